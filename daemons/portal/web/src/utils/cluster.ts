// Display helpers for nodes and accelerators. Missing readings stay missing:
// every formatter returns "—" for null/undefined and never guesses a value.
import type { Accelerator } from '@/api/types';

export const DASH = '—';

export function isNum(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** MiB as GiB: whole numbers without decimals, otherwise one decimal. */
export function gib(mib: number | null | undefined): string {
  if (!isNum(mib)) return DASH;
  const g = mib / 1024;
  return Number.isInteger(g) ? String(g) : g.toFixed(1);
}

export function fixed(v: number | null | undefined, digits = 0, unit = ''): string {
  if (!isNum(v)) return DASH;
  return v.toFixed(digits) + unit;
}

export function percent(v: number | null | undefined): string {
  return fixed(v, 1, '%');
}

/** Memory used as a share of the total, or null when not reported. */
export function memoryShare(a: Accelerator): number | null {
  if (!isNum(a.memory_used_mib) || !isNum(a.memory_mib) || a.memory_mib <= 0) return null;
  return Math.min(100, Math.max(0, (a.memory_used_mib / a.memory_mib) * 100));
}

/** Mean of the reported values; null when none is reported. */
export function mean(values: Array<number | null | undefined>): number | null {
  const nums = values.filter(isNum);
  if (nums.length === 0) return null;
  return nums.reduce((a, b) => a + b, 0) / nums.length;
}

export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export function nodeStatusType(status: string): TagType {
  if (status === 'Ready') return 'success';
  if (status === 'NotReady') return 'danger';
  return 'info';
}

export function healthType(health: string): TagType {
  switch (health) {
    case 'ok':
      return 'success';
    case 'warning':
      return 'warning';
    case 'critical':
      return 'danger';
    default:
      return 'info';
  }
}

/** Colour of a utilisation or memory bar by load. */
export function loadColor(p: number): string {
  if (p >= 90) return '#d9534f';
  if (p >= 70) return '#e08a1e';
  return '#1d6fd8';
}
