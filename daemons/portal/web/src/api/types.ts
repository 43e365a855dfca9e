// Types of the portal JSON API (/api/v1). Field names follow the API contract.

export type OrgRole = 'org_admin' | 'developer' | 'caller';
export const ORG_ROLES: OrgRole[] = ['org_admin', 'developer', 'caller'];

export type KeyScope = 'inference' | 'management';
export const KEY_SCOPES: KeyScope[] = ['inference', 'management'];

export type KeyStatus = 'active' | 'revoked' | 'expired';
export const KEY_STATUSES: KeyStatus[] = ['active', 'revoked', 'expired'];

export interface ListPage<T> {
  items: T[];
  total: number;
}

export interface ListQuery {
  limit?: number;
  offset?: number;
  sort?: string;
  q?: string;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string;
  is_admin: boolean;
  disabled: boolean;
  locked_until: string | null;
  created_at: string;
  last_login_at: string | null;
}

export interface Membership {
  org_id: number;
  org_name: string;
  role: OrgRole;
}

export interface Me {
  user: User;
  memberships: Membership[];
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: User;
}

export interface Org {
  id: number;
  name: string;
  description: string;
  created_at: string;
  member_count: number;
}

export interface OrgMember {
  user_id: number;
  username: string;
  display_name: string;
  role: OrgRole;
  added_at: string;
}

export interface ApiKey {
  id: number;
  org_id: number;
  org_name: string;
  user_id: number;
  username: string;
  name: string;
  prefix: string;
  scopes: KeyScope[];
  allowed_services: string[] | null;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  status: KeyStatus;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export type Outcome = 'success' | 'failure';

export interface AuditEvent {
  id: number;
  time: string;
  user: string;
  user_id: number | null;
  org_id: number | null;
  action: string;
  resource_type: string;
  resource_id: string | number | null;
  outcome: Outcome;
  reason: string;
  summary: string;
  client_ip: string;
  user_agent: string;
  request_id: string;
}

export interface AuditFilter {
  from?: string;
  to?: string;
  user?: string;
  org_id?: number;
  action?: string;
  outcome?: Outcome;
}

// ---- Clusters & accelerators (S1, S2, D3, CP1) ----

export type NodeStatus = 'Ready' | 'NotReady';
export const NODE_STATUSES: NodeStatus[] = ['Ready', 'NotReady'];

export interface ClusterNode {
  id: string;
  name: string;
  status: NodeStatus | string;
  labels: Record<string, string>;
  cpu_cores: number;
  memory_mib: number;
  /** "vendor/model" → device count. */
  accelerators: Record<string, number>;
  device_count: number;
  agent_url: string;
  agent_version: string;
  registered_at: string;
  last_heartbeat: string | null;
}

export type Vendor = 'ascend' | 'metax' | 'hygon' | 'mthreads' | 'ppu' | 'nvidia' | 'cpu';
export const VENDORS: Vendor[] = ['ascend', 'metax', 'hygon', 'mthreads', 'ppu', 'nvidia', 'cpu'];

export type DeviceHealth = 'ok' | 'warning' | 'critical' | 'unknown';

export interface Accelerator {
  vendor: Vendor | string;
  model: string;
  node: string;
  node_status: NodeStatus | string;
  index: number;
  bus_id: string;
  memory_mib: number;
  memory_used_mib: number | null;
  /** Percent 0–100. */
  utilization: number | null;
  temperature_c: number | null;
  power_w: number | null;
  health: DeviceHealth | string;
  ecc_errors: number | null;
  topology_group: string;
  numa: number | null;
  simulated: boolean;
  held_by: string | null;
}

export interface AcceleratorFilter {
  vendor?: string;
  model?: string;
  node?: string;
}

export interface ClusterEvent {
  id: number | string;
  time: string;
  kind: string;
  node: string;
  message: string;
}

export type Topology = 'same-group' | 'any';
export type Sharing = 'exclusive' | 'shared';
export type PlacementPolicy = 'binpack' | 'spread';

export interface DryRunRequest {
  vendor: string;
  model?: string;
  devices_per_replica: number;
  memory_mib?: number;
  replicas: number;
  topology: Topology;
  gang?: boolean;
  sharing?: Sharing;
  policy?: PlacementPolicy;
}

export interface Placement {
  replica: number;
  node: string;
  devices: number[];
  env: Record<string, string>;
}

export interface PlacementReason {
  node: string;
  code: string;
  message: string;
}

export interface DryRunResult {
  feasible: boolean;
  placements: Placement[];
  reasons: PlacementReason[];
}
