// The signed-in user, as reported by GET /api/v1/auth/me.
import { reactive } from 'vue';
import { authApi } from '@/api';
import { ApiError } from '@/api/http';
import type { Membership, User } from '@/api/types';

interface SessionState {
  user: User | null;
  memberships: Membership[];
  /** True once the startup probe has answered (either way). */
  checked: boolean;
}

export const session = reactive<SessionState>({ user: null, memberships: [], checked: false });

/** Asks the server who we are; a 401 means "not signed in". */
export async function loadSession(): Promise<void> {
  try {
    const me = await authApi.me();
    session.user = me.user;
    session.memberships = me.memberships ?? [];
  } catch (e) {
    session.user = null;
    session.memberships = [];
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  } finally {
    session.checked = true;
  }
}

/**
 * Re-reads the signed-in user and memberships (they change when an admin
 * edits them). Unlike loadSession, a 401 here sends the user to the login page.
 */
export async function refreshSession(): Promise<void> {
  const me = await authApi.me({ quiet401: false });
  session.user = me.user;
  session.memberships = me.memberships ?? [];
}

export function clearSession(): void {
  session.user = null;
  session.memberships = [];
}

export function isAdmin(): boolean {
  return !!session.user?.is_admin;
}

export function isOrgAdminOf(orgId: number): boolean {
  return session.memberships.some((m) => m.org_id === orgId && m.role === 'org_admin');
}

/** Monitoring covers organisations where the user is org admin or developer;
 *  callers have none (roles.cc, monitoring.read). */
export function mayReadMonitoring(): boolean {
  if (session.user?.is_admin) return true;
  return session.memberships.some((m) => m.role === 'org_admin' || m.role === 'developer');
}
