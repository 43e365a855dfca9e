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
