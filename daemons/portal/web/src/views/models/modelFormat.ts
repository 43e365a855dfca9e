// Display helpers and permission checks shared by the plaza pages.
import { session } from '@/stores/session';

/** Billions of parameters as "7.61B", "326M" or, for tiny test models, "48.6K". */
export function formatParams(b: number | null | undefined): string {
  if (b === null || b === undefined) return '—';
  const short = (v: number) => String(v >= 10 ? Math.round(v) : Number(v.toFixed(1)));
  if (b >= 1) return `${Number(b.toFixed(b >= 100 ? 0 : 2))}B`;
  if (b >= 0.001) return `${short(b * 1e3)}M`;
  return `${short(b * 1e6)}K`;
}

/** Tokens as "128K" when a whole number of 1,024s, else grouped digits. */
export function formatContext(tokens: number | null | undefined): string {
  if (tokens === null || tokens === undefined) return '—';
  if (tokens >= 1024 * 1024 && tokens % (1024 * 1024) === 0) return `${tokens / (1024 * 1024)}M`;
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}K`;
  return tokens.toLocaleString('en-US');
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** model.manage belongs to platform admins only (roles.cc). */
export function canManageModels(): boolean {
  return !!session.user?.is_admin;
}

/** service.manage: platform admins, and org admins and developers in their organisations. */
export function canManageServices(): boolean {
  if (session.user?.is_admin) return true;
  return session.memberships.some((m) => m.role === 'org_admin' || m.role === 'developer');
}

/**
 * The OpenAI-compatible gateway's /v1 base: the configured public URL
 * (portal.gateway_url, e.g. the VIP) when there is one, else port 8000 (the
 * installed default) on the host the portal was reached by.
 */
export function gatewayBaseUrl(configured: string | null): string {
  if (configured) return `${configured.replace(/\/+$/, '')}/v1`;
  // hostname keeps the brackets of an IPv6 literal.
  return `http://${window.location.hostname || 'localhost'}:8000/v1`;
}
