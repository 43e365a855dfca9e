// Who may create, scale, stop and delete services: service.manage belongs to
// platform admins and to org admins and developers of the service's
// organisation (roles.cc); callers only read. The server decides in the end;
// this only hides the buttons a user could not use.
import type { OrgRole } from '@/api/types';
import { session } from '@/stores/session';

const MANAGING_ROLES: OrgRole[] = ['org_admin', 'developer'];

export function mayManageIn(orgId: number): boolean {
  if (session.user?.is_admin) return true;
  return session.memberships.some((m) => m.org_id === orgId && MANAGING_ROLES.includes(m.role));
}

/** Whether the user may manage services in at least one organisation. */
export function mayManageAny(): boolean {
  if (session.user?.is_admin) return true;
  return session.memberships.some((m) => MANAGING_ROLES.includes(m.role));
}

/** The organisations a non-admin may deploy into. */
export function managedMemberships(): { id: number; name: string }[] {
  return session.memberships
    .filter((m) => MANAGING_ROLES.includes(m.role))
    .map((m) => ({ id: m.org_id, name: m.org_name }));
}
