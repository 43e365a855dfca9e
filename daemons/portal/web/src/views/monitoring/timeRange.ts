// Time ranges of the monitoring page and the granularity that suits each:
// enough points to see a trend, few enough to draw quickly.
import type { Granularity } from '@/api/gateway';

export type RangeKey = '1h' | '6h' | '24h' | '7d' | 'custom';
export const RANGE_KEYS: RangeKey[] = ['1h', '6h', '24h', '7d', 'custom'];

const HOUR = 3600e3;
const PRESET_MS: Record<Exclude<RangeKey, 'custom'>, number> = {
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
};

/** Minute buckets over more than two days would be thousands of points. */
export const MAX_MINUTE_SPAN_MS = 48 * HOUR;

export function defaultGranularity(spanMs: number): Granularity {
  if (spanMs <= 6 * HOUR) return 'minute';
  if (spanMs <= 8 * 24 * HOUR) return 'hour';
  return 'day';
}

/** The window a range stands for now; presets end at the current time. */
export function resolveRange(key: RangeKey, custom: [Date, Date] | null, now = Date.now()): { from: number; to: number } {
  if (key === 'custom') {
    if (custom) return { from: custom[0].getTime(), to: custom[1].getTime() };
    return { from: now - HOUR, to: now };
  }
  return { from: now - PRESET_MS[key], to: now };
}

/** What the monitoring page asks for. */
export interface MonitoringQuery {
  range: RangeKey;
  custom: [Date, Date] | null;
  granularity: Granularity;
  org_id: number | undefined;
  service_id: number | undefined;
}
