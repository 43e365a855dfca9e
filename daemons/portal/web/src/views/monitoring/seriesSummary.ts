// Totals over the points of a series, for the summary tiles.
import type { SeriesPoint } from '@/api/gateway';

export interface SeriesSummary {
  calls: number;
  failures: number;
  /** failures / calls; null without calls. */
  failureRate: number | null;
  inputTokens: number;
  outputTokens: number;
  tokens: number;
  /** Tokens per minute over the whole window. */
  tpm: number | null;
}

export function summarise(points: SeriesPoint[], fromMs: number, toMs: number): SeriesSummary {
  let calls = 0;
  let failures = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const p of points) {
    calls += p.calls ?? 0;
    failures += p.failures ?? 0;
    inputTokens += p.input_tokens ?? 0;
    outputTokens += p.output_tokens ?? 0;
  }
  const tokens = inputTokens + outputTokens;
  const minutes = (toMs - fromMs) / 60000;
  return {
    calls,
    failures,
    failureRate: calls > 0 ? failures / calls : null,
    inputTokens,
    outputTokens,
    tokens,
    tpm: minutes > 0 ? tokens / minutes : null,
  };
}
