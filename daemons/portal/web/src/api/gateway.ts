// The gateway's traces in the portal: call logs (GET /api/v1/call-logs),
// monitoring series (GET /api/v1/monitoring/series) and the playground relay
// (POST /api/v1/playground/*), which forwards to the gateway as the signed-in
// user. Field names follow the M1-5 contract (call record R).
import { ApiError, http, requestRaw, type Query } from './http';
import { authApi } from './index';
import type { ListPage } from './types';
import type { ChatMessage, TokenUsage } from './models';
import { readSseData } from '@/utils/sse';

export type CallStatus = 'success' | 'failure';
export const CALL_STATUSES: CallStatus[] = ['success', 'failure'];

/** One request through the gateway. */
export interface CallLog {
  id: number;
  request_id: string;
  time_ms: number;
  /** ISO 8601. */
  time: string;
  org_id: number;
  org_name?: string;
  user_id: number | null;
  user_name?: string;
  /** null for playground calls. */
  api_key_id: number | null;
  /** "" for playground calls. */
  api_key_prefix: string;
  source: 'api' | 'playground' | string;
  service_id: number | null;
  service: string;
  deployment_id: number | null;
  replica_id: number | null;
  endpoint: string;
  status: CallStatus | string;
  status_code: number;
  error: string;
  client_ip: string;
  user_agent: string;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  usage_source: 'engine' | 'counted' | 'none' | string;
  ttft_ms: number | null;
  tpot_ms: number | null;
  latency_ms: number;
  tps: number | null;
}

export interface CallLogFilter {
  /** ISO 8601 or epoch ms. */
  from?: string;
  to?: string;
  org_id?: number;
  service_id?: number;
  /** The service's name (also finds calls of deleted services). */
  service?: string;
  api_key_prefix?: string;
  user_id?: number;
  status?: CallStatus;
  status_code?: number;
  request_id?: string;
}

export type Granularity = 'minute' | 'hour' | 'day';
export const GRANULARITIES: Granularity[] = ['minute', 'hour', 'day'];

/** Mean and percentiles of one measure in a bucket; null without samples. */
export interface Distribution {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SeriesPoint {
  /** Start of the bucket, ISO 8601. */
  time: string;
  calls: number;
  failures: number;
  failure_rate: number | null;
  input_tokens: number;
  output_tokens: number;
  tpm: number | null;
  ttft: Distribution;
  tpot: Distribution;
  latency: Distribution;
  otps: Distribution;
}

export interface MonitoringSeries {
  granularity: Granularity;
  from: string;
  to: string;
  /** Only buckets with calls, oldest first. */
  points: SeriesPoint[];
}

export interface SeriesQuery {
  granularity: Granularity;
  from: string;
  to: string;
  org_id?: number;
  service_id?: number;
}

export const callLogsApi = {
  list: (f: CallLogFilter & { limit?: number; offset?: number }) =>
    http.get<ListPage<CallLog>>('/call-logs', f as Query),
  /** The same filters as CSV; the caller turns the answer into a download. */
  exportCsv: (f: CallLogFilter) => requestRaw('GET', '/call-logs', { query: { ...f, format: 'csv' } as Query }),
};

export const monitoringApi = {
  series: (q: SeriesQuery) => http.get<MonitoringSeries>('/monitoring/series', q as unknown as Query),
};

// ---- playground ------------------------------------------------------------

/** An OpenAI chat request as the playground sends it; `model` is the service name. */
export interface PlaygroundChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  repetition_penalty?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  stream: boolean;
  stream_options?: { include_usage: boolean };
}

/** One chat.completion.chunk (only the fields the playground reads). */
export interface ChatChunk {
  choices?: { index: number; delta?: { role?: string; content?: string | null }; finish_reason?: string | null }[];
  usage?: TokenUsage | null;
  error?: { message?: string; code?: string | null; type?: string };
}

export interface PlaygroundEmbeddingsRequest {
  model: string;
  input: string | string[];
}

export interface PlaygroundEmbeddings {
  data: { index: number; embedding: number[] }[];
  usage?: TokenUsage;
}

export interface PlaygroundRerankRequest {
  model: string;
  query: string;
  documents: string[];
  return_documents?: boolean;
}

export interface RerankResult {
  index: number;
  relevance_score: number;
  document?: { text: string } | string;
}

export interface PlaygroundRerank {
  results: RerankResult[];
  usage?: TokenUsage;
}

/**
 * A relayed call's 401 may be the gateway's (it refused the portal's
 * delegation), not the end of the session: only a failing session probe
 * sends the user to the login page.
 */
async function relayed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) void authApi.me({ quiet401: false }).catch(() => undefined);
    throw e;
  }
}

/**
 * Sends a streamed chat and hands every chunk to `onChunk` as it arrives.
 * Resolves when the stream ends ([DONE] or the connection closes); an error
 * event inside the stream (a replica lost midway) rejects with its message.
 */
async function streamChat(body: PlaygroundChatRequest, onChunk: (c: ChatChunk) => void, signal?: AbortSignal): Promise<void> {
  const resp = await relayed(() =>
    requestRaw('POST', '/playground/chat/completions', { body, signal, accept: 'text/event-stream', quiet401: true }),
  );
  if (!resp.body) throw new ApiError(resp.status, 'bad_response', 'the answer has no body');
  if ((resp.headers.get('Content-Type') ?? '').includes('application/json')) {
    // An engine that ignores "stream": one whole answer, shown as one chunk.
    const whole = (await resp.json()) as { choices?: { index: number; message?: ChatMessage; finish_reason?: string | null }[]; usage?: TokenUsage };
    onChunk({
      choices: (whole.choices ?? []).map((c) => ({ index: c.index, delta: { content: c.message?.content ?? '' }, finish_reason: c.finish_reason })),
      usage: whole.usage,
    });
    return;
  }
  for await (const data of readSseData(resp.body, signal)) {
    if (data.trim() === '[DONE]') return;
    let chunk: ChatChunk;
    try {
      chunk = JSON.parse(data) as ChatChunk;
    } catch {
      continue;
    }
    if (chunk.error) {
      throw new ApiError(resp.status, chunk.error.code || 'stream_error', chunk.error.message || 'the stream broke');
    }
    onChunk(chunk);
  }
}

export const playgroundApi = {
  streamChat,
  embeddings: (body: PlaygroundEmbeddingsRequest) =>
    relayed(() => http.post<PlaygroundEmbeddings>('/playground/embeddings', body, { quiet401: true })),
  rerank: (body: PlaygroundRerankRequest) =>
    relayed(() => http.post<PlaygroundRerank>('/playground/rerank', body, { quiet401: true })),
};
