// Services, deployments and replicas endpoints (/api/v1/services, /api/v1/replicas) and their types.
//
// Field names follow the portal's JSON (service_json.cc). Writes that place
// replicas (a new deployment, a scale-up, a start) may be refused with 409
// does_not_fit and the scheduler's per-node reasons; those calls read the
// error body themselves so the reasons reach the page (ApiError keeps only
// code, message and field).
import { ApiError, buildUrl, http, requestRaw, type Query } from './http';
import { authApi } from './index';
import type { DryRunResult, ListPage, PlacementReason } from './types';

export type ServiceState = 'active' | 'deleting';

export interface ModelService {
  id: number;
  name: string;
  description: string;
  capabilities: string[];
  org_id: number;
  org_name: string;
  model_id: number;
  model_name: string;
  created_by: number | null;
  state: ServiceState | string;
  deployment_count: number;
  /** Replicas asked of its active deployments. */
  desired: number;
  /** Ready replicas not being stopped. */
  ready: number;
  /** Taking traffic: a Ready replica in an active deployment with weight > 0. */
  online: boolean;
  created_at: string;
  updated_at: string;
}

export type DeploymentState = 'active' | 'stopped' | 'deleting';

export interface Deployment {
  id: number;
  service_id: number;
  cluster: string;
  engine: string;
  vendor: string;
  /** Accelerator model; "" = any of the vendor. */
  model: string;
  devices_per_replica: number;
  /** Per device; 0 = whole devices. */
  memory_mib: number;
  replicas: number;
  args: string[];
  env: Record<string, string>;
  weight: number;
  model_path: string;
  state: DeploymentState | string;
  generation: number;
  desired: number;
  ready: number;
  online: boolean;
  created_at: string;
  updated_at: string;
}

export interface ServiceDetail extends ModelService {
  deployments: Deployment[];
}

export type ReplicaStatus = 'Pending' | 'Starting' | 'Ready' | 'Failed' | 'Stopped';
export const REPLICA_STATUSES: ReplicaStatus[] = ['Pending', 'Starting', 'Ready', 'Failed', 'Stopped'];

export interface Replica {
  id: number;
  name: string;
  status: ReplicaStatus | string;
  cluster: string;
  /** "" until placed. */
  node: string;
  devices: number[];
  restarts: number;
  address: string;
  deployment_id: number;
  generation: number;
  pid: number;
  stopping: boolean;
  reason: string;
  message: string;
  created_at: string;
  updated_at: string;
}

export interface ReplicaEvent {
  id: number;
  replica_id: number;
  time: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  message: string;
}

export interface ReplicaProcess {
  pid: number;
  ppid: number;
  command: string;
  state: string;
  uptime_s: number;
  rss_bytes: number;
}

export interface ServiceCreate {
  name: string;
  model_id: number;
  org_id: number;
  description?: string;
  capabilities?: string[];
}

export interface DeploymentCreate {
  cluster?: string;
  engine: string;
  vendor: string;
  /** Accelerator model. */
  model?: string;
  devices_per_replica: number;
  memory_mib?: number;
  replicas: number;
  args?: string[];
  env?: Record<string, string>;
  weight?: number;
}

export interface DeploymentPatch {
  replicas?: number;
  weight?: number;
  args?: string[];
  env?: Record<string, string>;
  state?: 'active' | 'stopped';
}

/** The placement question the portal asks before storing a deployment. */
export interface PlacementPreviewRequest {
  /** Only this cluster's nodes (those labelled cluster=<name>; unlabelled: "default"). */
  cluster?: string;
  vendor: string;
  model?: string;
  devices_per_replica: number;
  memory_mib?: number;
  replicas: number;
}

/** What the deploy form needs of a model card (GET /api/v1/models). */
export interface DeployableModel {
  id: number;
  name: string;
  display_name: string;
  category: string;
  capabilities: string[];
  compatible_engines: string[];
  available: boolean;
}

/** 409 does_not_fit: the scheduler found no room; `reasons` say why per node. */
export class DoesNotFitError extends ApiError {
  readonly reasons: PlacementReason[];

  constructor(message: string, reasons: PlacementReason[]) {
    super(409, 'does_not_fit', message);
    this.name = 'DoesNotFitError';
    this.reasons = reasons;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; field?: string; reasons?: PlacementReason[] };
}

// A JSON write whose refusal may carry the scheduler's reasons.
async function placingWrite<T>(method: string, path: string, body: unknown): Promise<T> {
  let resp: Response;
  try {
    resp = await fetch(buildUrl(path), {
      method,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await resp.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (resp.ok) return parsed as T;
  const err = (parsed as ErrorBody | undefined)?.error;
  const message = err?.message || `HTTP ${resp.status} ${resp.statusText}`.trim();
  if (resp.status === 409 && err?.code === 'does_not_fit') {
    throw new DoesNotFitError(message, Array.isArray(err.reasons) ? err.reasons : []);
  }
  const failure = new ApiError(resp.status, err?.code || `http_${resp.status}`, message, err?.field);
  if (resp.status === 401) {
    // The session is gone: the shared wrapper's probe sends the user to sign in.
    failure.handled = true;
    void authApi.me({ quiet401: false }).catch(() => undefined);
  }
  throw failure;
}

export interface ServiceListQuery {
  limit?: number;
  offset?: number;
  sort?: string;
  q?: string;
  org_id?: number;
  model_id?: number;
}

export const servicesApi = {
  list: (q: ServiceListQuery) => http.get<ListPage<ModelService>>('/services', q as Query),
  get: (id: number) => http.get<ServiceDetail>(`/services/${id}`),
  create: (body: ServiceCreate) => http.post<ModelService>('/services', body),
  update: (id: number, body: { description?: string; capabilities?: string[] }) =>
    http.patch<ModelService>(`/services/${id}`, body),
  /** 204 when removed at once; 202 with the service while its deployments stop. */
  remove: (id: number) => http.del<ModelService | undefined>(`/services/${id}`),
  deployments: (id: number) => http.get<ListPage<Deployment>>(`/services/${id}/deployments`),
  deployment: (id: number, deploymentId: number) =>
    http.get<Deployment>(`/services/${id}/deployments/${deploymentId}`),
  createDeployment: (id: number, body: DeploymentCreate) =>
    placingWrite<Deployment>('POST', `/services/${id}/deployments`, body),
  updateDeployment: (id: number, deploymentId: number, body: DeploymentPatch) =>
    placingWrite<Deployment>('PATCH', `/services/${id}/deployments/${deploymentId}`, body),
  /** 202: its replicas stop, then it is removed. */
  removeDeployment: (id: number, deploymentId: number) =>
    http.del<Deployment>(`/services/${id}/deployments/${deploymentId}`),
  replicas: (id: number, deploymentId?: number) =>
    http.get<ListPage<Replica>>(`/services/${id}/replicas`, { deployment_id: deploymentId }),
};

export const replicasApi = {
  /** Newest first; limit 1–500 (server default 100). */
  events: (id: number, limit?: number) => http.get<ListPage<ReplicaEvent>>(`/replicas/${id}/events`, { limit }),
  processes: (id: number) => http.get<ListPage<ReplicaProcess>>(`/replicas/${id}/processes`),
  /** The last `tail` lines (0–10000; the agent's default is 200). */
  logs: async (id: number, tail?: number): Promise<string> => {
    const resp = await requestRaw('GET', `/replicas/${id}/logs`, { query: { tail } });
    return resp.text();
  },
  /** The last `tail` lines, then new lines as the engine writes them, until
   *  the body's reader is cancelled. */
  followLogs: (id: number, tail?: number) =>
    requestRaw('GET', `/replicas/${id}/logs`, { query: { tail, follow: true } }),
  /** The whole log file as it is now. */
  downloadLogs: (id: number) => requestRaw('GET', `/replicas/${id}/logs`, { query: { download: true } }),
};

/** An engine profile a deployment may name (GET /api/v1/engines). */
export interface EngineProfileInfo {
  name: string;
  display_name: string;
  description: string;
  categories: string[];
  vendors: string[];
  runs_on_simulated_devices: boolean;
  params: { name: string; description: string }[];
}

export const deployApi = {
  /** The engine profiles installed on the appliance. */
  engines: () => http.get<ListPage<EngineProfileInfo>>('/engines'),
  /** Models with weights on the appliance, which are the deployable ones. */
  availableModels: () =>
    http.get<ListPage<DeployableModel>>('/models', { available: true, sort: 'name', limit: 500 }),
  model: (id: number) => http.get<DeployableModel>(`/models/${id}`),
  /** The same question the portal asks before storing a deployment; binds nothing. */
  previewPlacement: (body: PlacementPreviewRequest) =>
    http.post<DryRunResult>('/placements/dry-run', body),
};
