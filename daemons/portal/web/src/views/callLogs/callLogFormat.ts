// Display of call-log values: durations, rates, the key column.
import type { CallLog, CallLogFilter } from '@/api/gateway';

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 10000) return `${(v / 1000).toFixed(1)} s`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
}

export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(1);
}

export function isPlayground(row: CallLog): boolean {
  return row.source === 'playground' || (!row.api_key_prefix && row.api_key_id === null);
}

/** Every field of a call record, in the order the detail drawer lists them. */
export const CALL_LOG_FIELDS: (keyof CallLog)[] = [
  'id',
  'request_id',
  'time',
  'time_ms',
  'org_id',
  'org_name',
  'user_id',
  'user_name',
  'source',
  'api_key_id',
  'api_key_prefix',
  'service',
  'service_id',
  'deployment_id',
  'replica_id',
  'endpoint',
  'status',
  'status_code',
  'error',
  'stream',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'usage_source',
  'ttft_ms',
  'tpot_ms',
  'latency_ms',
  'tps',
  'client_ip',
  'user_agent',
];

/** Filter values as the form holds them. */
export interface CallLogForm {
  range: [Date, Date] | null;
  org_id: number | undefined;
  service: string;
  api_key_prefix: string;
  status: 'success' | 'failure' | undefined;
  request_id: string;
}

export function emptyForm(): CallLogForm {
  return { range: null, org_id: undefined, service: '', api_key_prefix: '', status: undefined, request_id: '' };
}

export function toFilter(f: CallLogForm): CallLogFilter {
  const out: CallLogFilter = {};
  if (f.range) {
    out.from = f.range[0].toISOString();
    out.to = f.range[1].toISOString();
  }
  if (f.org_id !== undefined) out.org_id = f.org_id;
  if (f.service.trim()) out.service = f.service.trim();
  if (f.api_key_prefix.trim()) out.api_key_prefix = f.api_key_prefix.trim();
  if (f.status) out.status = f.status;
  if (f.request_id.trim()) out.request_id = f.request_id.trim();
  return out;
}
