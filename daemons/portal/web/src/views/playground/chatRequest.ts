// The chat parameters the playground exposes and the OpenAI request they make.
// One builder serves both the request sent and the "view code" examples, so
// the examples always show exactly what the playground sends.
import type { ChatMessage } from '@/api/models';
import type { PlaygroundChatRequest } from '@/api/gateway';

export interface ChatSettings {
  system: string;
  temperature: number;
  top_p: number;
  /** null: the engine's default. */
  top_k: number | null;
  repetition_penalty: number | null;
  max_tokens: number;
  stop: string[];
  seed: number | null;
}

export function defaultChatSettings(): ChatSettings {
  return {
    system: '',
    temperature: 0.7,
    top_p: 1,
    top_k: null,
    repetition_penalty: null,
    max_tokens: 256,
    stop: [],
    seed: null,
  };
}

/** The messages to send: the system prompt (if any), the history, the new turn. */
export function chatMessages(settings: ChatSettings, history: ChatMessage[], next?: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (settings.system.trim()) out.push({ role: 'system', content: settings.system.trim() });
  out.push(...history);
  if (next !== undefined) out.push({ role: 'user', content: next });
  return out;
}

const isSet = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function buildChatRequest(model: string, settings: ChatSettings, messages: ChatMessage[]): PlaygroundChatRequest {
  const body: PlaygroundChatRequest = {
    model,
    messages,
    temperature: settings.temperature,
    top_p: settings.top_p,
    max_tokens: settings.max_tokens,
    stream: true,
    // Usage arrives in a last chunk; without it the gateway counts tokens itself.
    stream_options: { include_usage: true },
  };
  if (isSet(settings.top_k)) body.top_k = settings.top_k;
  if (isSet(settings.repetition_penalty)) body.repetition_penalty = settings.repetition_penalty;
  const stop = settings.stop.filter((s) => s.length > 0);
  if (stop.length) body.stop = stop;
  if (isSet(settings.seed)) body.seed = settings.seed;
  return body;
}
