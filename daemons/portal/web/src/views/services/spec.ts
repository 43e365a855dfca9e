// The deployment part of the deploy form, shared by the one-click deploy page
// and the "add deployment" dialog: its editable state, the API bodies made
// from it, and the checks the server would make anyway (service_validation.cc),
// here so that mistakes show next to the field.
import type { DeploymentCreate, PlacementPreviewRequest } from '@/api/services';

export const MAX_REPLICAS = 64;
export const MAX_WEIGHT = 100;
export const MAX_DEVICES = 64;

export interface EnvEntry {
  key: string;
  value: string;
}

export interface DeploySpec {
  cluster: string;
  engine: string;
  vendor: string;
  /** Accelerator model; "" = any of the vendor. */
  accelModel: string;
  devices: number;
  memoryMib: number | null;
  replicas: number;
  args: string[];
  env: EnvEntry[];
  weight: number;
}

export function emptySpec(): DeploySpec {
  return {
    cluster: '',
    engine: '',
    vendor: '',
    accelModel: '',
    devices: 1,
    memoryMib: null,
    replicas: 1,
    args: [],
    env: [],
    weight: MAX_WEIGHT,
  };
}

export function previewBody(s: DeploySpec): PlacementPreviewRequest {
  const body: PlacementPreviewRequest = {
    cluster: s.cluster.trim() || 'default',
    vendor: s.vendor,
    devices_per_replica: s.devices,
    replicas: s.replicas,
  };
  if (s.accelModel.trim()) body.model = s.accelModel.trim();
  if (s.memoryMib && s.memoryMib > 0) body.memory_mib = s.memoryMib;
  return body;
}

export function deploymentBody(s: DeploySpec): DeploymentCreate {
  const body: DeploymentCreate = {
    engine: s.engine,
    vendor: s.vendor,
    devices_per_replica: s.devices,
    replicas: s.replicas,
    weight: s.weight,
  };
  if (s.cluster.trim()) body.cluster = s.cluster.trim();
  if (s.accelModel.trim()) body.model = s.accelModel.trim();
  if (s.memoryMib && s.memoryMib > 0) body.memory_mib = s.memoryMib;
  const args = s.args.filter((a) => a !== '');
  if (args.length) body.args = args;
  const env = envObject(s.env);
  if (Object.keys(env).length) body.env = env;
  return body;
}

export function envObject(entries: EnvEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) if (e.key.trim()) out[e.key.trim()] = e.value;
  return out;
}

/** Node groups are named like nodes: a DNS label. */
export function clusterProblem(cluster: string): string | null {
  const c = cluster.trim();
  if (!c) return null;
  if (c.length > 63 || !/^[a-z0-9][a-z0-9-]*$/.test(c)) return 'cluster';
  return null;
}

/** Service names: 1–64 of letters, digits, '-', '_', '.', ':' starting with a letter or digit. */
export const SERVICE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A service name derived from a model name: the same characters, the rest as '-'. */
export function serviceNameFor(modelName: string): string {
  const s = modelName
    .replace(/[^A-Za-z0-9._:-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return s || 'service';
}

export function envKeyProblem(key: string): boolean {
  return key.trim() !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key.trim());
}
