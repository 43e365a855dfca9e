// Display helpers of the service pages.
import type { TagType } from '@/utils/cluster';

/** The per-replica views the replicas table opens. */
export type ReplicaView = 'logs' | 'events' | 'processes';

export function replicaStatusType(status: string): TagType {
  switch (status) {
    case 'Ready':
      return 'success';
    case 'Starting':
      return 'warning';
    case 'Failed':
      return 'danger';
    case 'Pending':
      return 'primary';
    default:
      return 'info';
  }
}

export function deploymentStateType(state: string): TagType {
  if (state === 'active') return 'success';
  if (state === 'deleting') return 'warning';
  return 'info';
}

/** 3725 → "1h 2m 5s"; seconds under a minute stay seconds. */
export function formatUptime(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts: string[] = [];
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (!d && !h) parts.push(`${s % 60}s`);
  return parts.join(' ');
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number | null | undefined): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** Device indices as "#0 #1", or a dash before placement. */
export function deviceList(devices: number[] | null | undefined): string {
  return devices && devices.length ? devices.map((d) => `#${d}`).join(' ') : '—';
}
