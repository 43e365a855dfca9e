// One function per endpoint of the portal API contract.
import { http, requestRaw, type Query } from './http';
import type {
  Accelerator,
  AcceleratorFilter,
  ApiKey,
  AuditEvent,
  AuditFilter,
  ClusterEvent,
  ClusterNode,
  CreatedApiKey,
  DryRunRequest,
  DryRunResult,
  KeyScope,
  KeyStatus,
  ListPage,
  ListQuery,
  LoginResponse,
  Me,
  Org,
  OrgMember,
  OrgRole,
  User,
} from './types';

export const authApi = {
  login: (username: string, password: string) =>
    http.post<LoginResponse>('/auth/login', { username, password }, { quiet401: true }),
  logout: () => http.post<void>('/auth/logout', undefined, { quiet401: true }),
  me: (opts: { quiet401?: boolean } = { quiet401: true }) => http.get<Me>('/auth/me', undefined, opts),
  changePassword: (old_password: string, new_password: string) =>
    http.post<void>('/auth/password', { old_password, new_password }),
};

export interface UserCreate {
  username: string;
  password: string;
  display_name?: string;
  email?: string;
  is_admin?: boolean;
  org_id?: number;
  role?: OrgRole;
}

export type UserPatch = Partial<Pick<User, 'display_name' | 'email' | 'disabled' | 'is_admin'>>;

export const usersApi = {
  list: (q: ListQuery & { org_id?: number }) => http.get<ListPage<User>>('/users', q as Query),
  get: (id: number) => http.get<User>(`/users/${id}`),
  create: (body: UserCreate) => http.post<User>('/users', body),
  update: (id: number, body: UserPatch) => http.patch<User>(`/users/${id}`, body),
  remove: (id: number) => http.del(`/users/${id}`),
  resetPassword: (id: number, new_password: string) => http.post<void>(`/users/${id}/password`, { new_password }),
  unlock: (id: number) => http.post<void>(`/users/${id}/unlock`),
};

export const orgsApi = {
  list: (q: ListQuery) => http.get<ListPage<Org>>('/orgs', q as Query),
  get: (id: number) => http.get<Org>(`/orgs/${id}`),
  create: (body: { name: string; description?: string }) => http.post<Org>('/orgs', body),
  update: (id: number, body: { name?: string; description?: string }) => http.patch<Org>(`/orgs/${id}`, body),
  remove: (id: number) => http.del(`/orgs/${id}`),
  members: (id: number) => http.get<ListPage<OrgMember>>(`/orgs/${id}/members`, { limit: 500 }),
  addMember: (id: number, user_id: number, role: OrgRole) =>
    http.post<OrgMember>(`/orgs/${id}/members`, { user_id, role }),
  setMemberRole: (id: number, user_id: number, role: OrgRole) =>
    http.patch<OrgMember>(`/orgs/${id}/members/${user_id}`, { role }),
  removeMember: (id: number, user_id: number) => http.del(`/orgs/${id}/members/${user_id}`),
};

export interface ApiKeyCreate {
  org_id: number;
  name: string;
  scopes: KeyScope[];
  expires_at?: string;
  allowed_services?: string[];
}

export const apiKeysApi = {
  list: (q: ListQuery & { org_id?: number; status?: KeyStatus }) => http.get<ListPage<ApiKey>>('/api-keys', q as Query),
  create: (body: ApiKeyCreate) => http.post<CreatedApiKey>('/api-keys', body),
  revoke: (id: number) => http.del(`/api-keys/${id}`),
};

export const auditApi = {
  list: (f: AuditFilter & { limit?: number; offset?: number }) =>
    http.get<ListPage<AuditEvent>>('/audit-events', f as Query),
  /** Fetches the CSV export; the caller turns it into a download. */
  exportCsv: (f: AuditFilter) => requestRaw('GET', '/audit-events/export', { query: { ...f } as Query }),
};

export const docsApi = {
  openapi: () => http.get<Record<string, unknown>>('/openapi.json'),
};

export const clusterApi = {
  nodes: (q: { status?: string } = {}) => http.get<ListPage<ClusterNode>>('/nodes', q as Query),
  accelerators: (f: AcceleratorFilter = {}) => http.get<ListPage<Accelerator>>('/accelerators', f as Query),
  events: (q: { node?: string; limit?: number } = {}) => http.get<ListPage<ClusterEvent>>('/cluster-events', q as Query),
  /** Asks where a workload would go; binds nothing. */
  dryRun: (body: DryRunRequest) => http.post<DryRunResult>('/placements/dry-run', body),
};
