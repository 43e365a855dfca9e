// Model registry and plaza endpoints (/api/v1/models), the services that
// serve one model, and the portal's "try" relays, with their types. Field
// names follow daemons/portal/model_json.cc and service_json.cc.
import { ApiError, buildUrl, http, type Query } from './http';
import type { ListPage } from './types';

export type ModelCategory =
  | 'text-generation'
  | 'image-generation'
  | 'speech-generation'
  | 'video-generation'
  | 'embedding'
  | 'rerank';

export const MODEL_CATEGORIES: ModelCategory[] = [
  'text-generation',
  'image-generation',
  'speech-generation',
  'video-generation',
  'embedding',
  'rerank',
];

/** The capability words the registry accepts (model_card.cc kCapabilities). */
export const MODEL_CAPABILITIES = [
  'chat',
  'tool_calls',
  'vision',
  'long_context',
  'reasoning',
  'code',
  'math',
  'multilingual',
  'text_to_image',
  'text_to_speech',
  'voice_cloning',
  'text_to_video',
  'image_to_video',
  'dense_retrieval',
  'sparse_retrieval',
  'multi_vector',
] as const;

/** Engines a card may name as compatible (model_card.cc kEngines). */
export const MODEL_ENGINES = ['builtin', 'vllm', 'vllm-ascend', 'mindie', 'sglang', 'llama-cpp-server'] as const;

export type ModelSource = 'catalog' | 'import' | 'demo';

export interface ModelFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelArtifact {
  path: string;
  format: string;
  model_type: string;
  architecture: string;
  total_bytes: number;
  /** Only in the single-model answer. */
  files?: ModelFile[];
}

export interface EvaluationResult {
  dataset: string;
  metric: string;
  score: number;
  note: string;
  evaluated_at: string | null;
}

export interface ModelVersion {
  version: string;
  imported_at: string;
  total_bytes: number;
  digest: string;
}

export interface Model {
  id: number;
  name: string;
  display_name: string;
  category: ModelCategory | string;
  capabilities: string[];
  series: string;
  vendor: string;
  /** Billions of parameters. */
  params_b: number | null;
  /** Tokens. */
  context_length: number | null;
  licence: string;
  introduction: string;
  use_cases: string[];
  highlights: string[];
  evaluation_results: EvaluationResult[];
  compatible_engines: string[];
  /** Weights are present on the appliance. */
  available: boolean;
  artifact: ModelArtifact | null;
  version: string | null;
  versions: ModelVersion[];
  visibility: 'all' | 'orgs';
  visible_org_ids: number[];
  source: ModelSource | string;
  created_at: string;
  updated_at: string;
}

/** Value → count; computed by the server over the caller's visible models. */
export interface ModelFacets {
  category: Record<string, number>;
  capability: Record<string, number>;
  vendor: Record<string, number>;
}

export interface ModelListPage extends ListPage<Model> {
  facets: ModelFacets;
}

export type ModelSort = '' | 'relevance' | 'name' | '-name' | 'params' | '-params' | 'context' | '-context' | 'updated' | '-updated';

/** List filters; lists are sent comma-separated (the server splits them). */
export interface ModelFilter {
  category?: string[];
  capability?: string[];
  vendor?: string[];
  context_min?: number;
  context_max?: number;
  params_min?: number;
  params_max?: number;
  q?: string;
  sort?: ModelSort;
  limit?: number;
  offset?: number;
}

/** Card fields an import or an edit may set (ReadPatchFields in model_json.cc). */
export interface ModelCardFields {
  display_name?: string;
  category?: string;
  capabilities?: string[];
  series?: string;
  vendor?: string;
  params_b?: number | null;
  context_length?: number | null;
  licence?: string;
  introduction?: string;
  use_cases?: string[];
  highlights?: string[];
  compatible_engines?: string[];
  visibility?: 'all' | 'orgs';
  visible_org_ids?: number[];
  evaluation_results?: Omit<EvaluationResult, 'evaluated_at'>[];
}

/** POST /models/import as JSON: a folder on the control node. */
export interface DirectoryImport extends ModelCardFields {
  path: string;
  name?: string;
  version?: string;
}

/** A service as GET /services lists it (service_json.cc). */
export interface ModelServiceSummary {
  id: number;
  name: string;
  description: string;
  capabilities: string[];
  org_id: number;
  org_name: string;
  model_id: number;
  model_name: string;
  state: 'active' | 'deleting' | string;
  deployment_count: number;
  desired: number;
  ready: number;
  online: boolean;
  created_at: string;
  updated_at: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** The service name; the relay sets it again to what the replica serves. */
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
  stream: false;
}

export interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** OpenAI chat.completion, as the engine answers it. */
export interface ChatCompletion {
  id: string;
  object: string;
  model: string;
  choices: { index: number; message: ChatMessage; finish_reason: string | null }[];
  usage?: TokenUsage;
}

export interface EmbeddingsResponse {
  object: string;
  model: string;
  data: { index: number; embedding: number[] }[];
  usage?: TokenUsage;
}

function listQuery(f: ModelFilter): Query {
  const join = (v?: string[]) => (v && v.length ? v.join(',') : undefined);
  return {
    category: join(f.category),
    capability: join(f.capability),
    vendor: join(f.vendor),
    context_min: f.context_min,
    context_max: f.context_max,
    params_min: f.params_min,
    params_max: f.params_max,
    q: f.q,
    sort: f.sort || undefined,
    limit: f.limit,
    offset: f.offset,
  };
}

/**
 * Uploads a tar archive as the raw request body (Content-Type
 * application/x-tar, name and version in the query), reporting progress.
 * XMLHttpRequest rather than fetch: fetch cannot report upload progress.
 */
function uploadArchive(file: Blob, name: string, version: string, onProgress?: (fraction: number) => void): Promise<Model> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl('/models/import', { name, version: version || undefined }));
    xhr.setRequestHeader('Content-Type', 'application/x-tar');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.withCredentials = true;
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
      };
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload did not reach the portal'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as Model);
        return;
      }
      const err = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
      reject(
        new ApiError(
          xhr.status,
          err?.code || `http_${xhr.status}`,
          err?.message || `HTTP ${xhr.status} ${xhr.statusText}`.trim(),
          err?.field,
        ),
      );
    };
    xhr.send(file);
  });
}

export const modelsApi = {
  list: (f: ModelFilter) => http.get<ModelListPage>('/models', listQuery(f)),
  get: (id: number) => http.get<Model>(`/models/${id}`),
  importDirectory: (body: DirectoryImport) => http.post<Model>('/models/import', body),
  importArchive: uploadArchive,
  update: (id: number, body: ModelCardFields) => http.patch<Model>(`/models/${id}`, body),
  /** Removes the weights; an imported model's entry goes with them. */
  remove: (id: number) => http.del(`/models/${id}`),
  services: (modelId: number) =>
    http.get<ListPage<ModelServiceSummary>>('/services', { model_id: modelId, limit: 100, sort: 'name' }),
  /** One chat completion answered by a Ready replica of the service. */
  chat: (serviceId: number, body: ChatRequest) => http.post<ChatCompletion>(`/services/${serviceId}/chat/completions`, body),
  embeddings: (serviceId: number, model: string, input: string) =>
    http.post<EmbeddingsResponse>(`/services/${serviceId}/embeddings`, { model, input }),
};

/** Where programs reach the appliance (GET /api/v1/endpoints). */
export interface Endpoints {
  /** portal.gateway_url, without /v1; null when not configured. */
  gateway_url: string | null;
}

export const endpointsApi = {
  get: () => http.get<Endpoints>('/endpoints'),
};
