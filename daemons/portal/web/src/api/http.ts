// Minimal fetch wrapper for the same-origin JSON API.
//
// Authentication rides on the HttpOnly `hai_session` cookie set by the login
// call; the SPA never sees or stores the token. Every failure becomes an
// ApiError carrying the server's code and message. A 401 on any call other
// than the login itself invokes the registered unauthorised handler, which
// sends the user back to the login page.

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** True when the UI already reacted (e.g. redirect to login on 401). */
  handled = false;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not run the unauthorised handler on 401 (login, session probe). */
  quiet401?: boolean;
  /** Cancels the request (and the reading of a streamed body). */
  signal?: AbortSignal;
  /** Accept header; JSON unless a stream is asked for. */
  accept?: string;
}

let onUnauthorized: ((err: ApiError) => void) | null = null;

export function setUnauthorizedHandler(fn: (err: ApiError) => void): void {
  onUnauthorized = fn;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const qs = params.toString();
  return API_BASE + path + (qs ? `?${qs}` : '');
}

/** The ApiError for a failed answer: the portal's and the OpenAI error shape
 *  both carry error.code and error.message. */
export async function errorFrom(resp: Response): Promise<ApiError> {
  let code = 'http_' + resp.status;
  let message = `HTTP ${resp.status} ${resp.statusText}`.trim();
  let field: string | undefined;
  try {
    const text = await resp.text();
    if (text) {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string; field?: string } };
      if (body && body.error) {
        code = body.error.code || code;
        message = body.error.message || message;
        field = body.error.field;
      }
    }
  } catch {
    // Not JSON (e.g. a proxy error page): keep the HTTP status text.
  }
  return new ApiError(resp.status, code, message, field);
}

/** Performs a request and returns the raw Response after status checks. */
export async function requestRaw(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let resp: Response;
  try {
    resp = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!resp.ok) {
    const err = await errorFrom(resp);
    if (resp.status === 401 && !opts.quiet401 && onUnauthorized) {
      err.handled = true;
      onUnauthorized(err);
    }
    throw err;
  }
  return resp;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const resp = await requestRaw(method, path, opts);
  if (resp.status === 204) return undefined as T;
  const text = await resp.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(resp.status, 'bad_response', 'invalid JSON in response');
  }
}

export const http = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};
