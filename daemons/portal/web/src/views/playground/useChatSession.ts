// One conversation with one service, streamed. Keeps the turns so far, the
// answer as it grows, and what the browser measured: time to first token
// (request sent → first content chunk) and output tokens per second after it.
// The server's usage replaces the chunk count when the stream carries it.
import { ref, shallowRef } from 'vue';
import { useFailure } from '@/composables/useFailure';
import { playgroundApi, type ChatChunk } from '@/api/gateway';
import type { ChatMessage, TokenUsage } from '@/api/models';
import { buildChatRequest, chatMessages, type ChatSettings } from './chatRequest';

export interface StreamMetrics {
  ttftMs: number | null;
  /** Output tokens per second from the first token to the last. */
  tokensPerSecond: number | null;
  elapsedMs: number;
  /** Chunks that carried content. */
  contentChunks: number;
  usage: TokenUsage | null;
  finish: string | null;
}

export type SessionState = 'idle' | 'streaming' | 'done' | 'stopped' | 'error';

export function useChatSession() {
  const history = shallowRef<ChatMessage[]>([]);
  const pendingUser = ref('');
  const partial = ref('');
  const state = ref<SessionState>('idle');
  const { failure, clearFailure, recordFailure } = useFailure();
  const metrics = shallowRef<StreamMetrics | null>(null);
  let controller: AbortController | null = null;

  function tokensPerSecond(tokens: number, firstAt: number | null, lastAt: number): number | null {
    if (firstAt === null || tokens < 1) return null;
    const seconds = (lastAt - firstAt) / 1000;
    // A single chunk has no duration after the first token to divide by.
    return seconds > 0 ? tokens / seconds : null;
  }

  /** Sends `text` as the next user turn; resolves true when an answer came. */
  async function send(model: string, settings: ChatSettings, text: string): Promise<boolean> {
    if (state.value === 'streaming') return false;
    controller = new AbortController();
    const body = buildChatRequest(model, settings, chatMessages(settings, history.value, text));
    pendingUser.value = text;
    partial.value = '';
    clearFailure();
    state.value = 'streaming';
    const started = performance.now();
    let firstAt: number | null = null;
    let chunks = 0;
    let usage: TokenUsage | null = null;
    let finish: string | null = null;
    const update = (now: number) => {
      metrics.value = {
        ttftMs: firstAt === null ? null : firstAt - started,
        tokensPerSecond: tokensPerSecond(usage?.completion_tokens ?? chunks, firstAt, now),
        elapsedMs: now - started,
        contentChunks: chunks,
        usage,
        finish,
      };
    };
    metrics.value = null;
    const onChunk = (c: ChatChunk) => {
      const now = performance.now();
      for (const choice of c.choices ?? []) {
        const content = choice.delta?.content;
        if (content) {
          if (firstAt === null) firstAt = now;
          chunks++;
          partial.value += content;
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (c.usage) usage = c.usage;
      update(now);
    };
    try {
      await playgroundApi.streamChat(body, onChunk, controller.signal);
      state.value = 'done';
    } catch (e) {
      if (controller.signal.aborted) {
        state.value = 'stopped';
      } else {
        state.value = 'error';
        recordFailure(e);
      }
    } finally {
      update(performance.now());
      controller = null;
    }
    const answered = partial.value.length > 0;
    // A turn is kept when something came back, so the next turn has its context.
    if (answered || state.value === 'done') {
      history.value = [...history.value, { role: 'user', content: text }, { role: 'assistant', content: partial.value }];
    }
    pendingUser.value = '';
    partial.value = '';
    return state.value === 'done' || answered;
  }

  function stop(): void {
    controller?.abort();
  }

  function clear(): void {
    stop();
    history.value = [];
    metrics.value = null;
    clearFailure();
    state.value = 'idle';
  }

  return { history, pendingUser, partial, state, failure, metrics, send, stop, clear };
}

export type ChatSession = ReturnType<typeof useChatSession>;
