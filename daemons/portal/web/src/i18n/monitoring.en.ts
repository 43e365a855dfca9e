// English messages of the monitoring page (views/monitoring).
// Note: '@', '|', '{' and '}' are special in vue-i18n messages.
const monitoring = {
  range: {
    '1h': 'Last 1 h',
    '6h': 'Last 6 h',
    '24h': 'Last 24 h',
    '7d': 'Last 7 d',
    custom: 'Custom',
  },
  from: 'From',
  to: 'To',
  granularity: 'Granularity',
  granularities: {
    minute: 'Minute',
    hour: 'Hour',
    day: 'Day',
  },
  allOrgs: 'All organisations',
  allServices: 'All services (models)',
  autoRefresh: 'Refreshes every {n} s',
  updated: 'updated {time}',
  noCalls: 'No calls in this time range.',
  tile: {
    calls: 'Calls',
    failures: 'Failures',
    failureRate: 'Failure rate',
    tokens: 'Tokens',
    tpm: 'TPM',
  },
  tokensSplit: '{input} in / {output} out',
  tpmHint: 'Tokens per minute, averaged over the range',
  inputTokens: 'Input tokens',
  outputTokens: 'Output tokens',
  chart: {
    calls: 'Calls and failures',
    failureRate: 'Failure rate (%)',
    tokens: 'Tokens and TPM',
    ttft: 'Time to first token (TTFT)',
    tpot: 'Time per output token (TPOT)',
    latency: 'End-to-end latency',
    otps: 'Output tokens per second (OTPS)',
  },
  stat: {
    mean: 'Mean',
    p50: 'P50',
    p90: 'P90',
    p95: 'P95',
    p99: 'P99',
  },
  unit: {
    calls: 'calls',
    tokens: 'tokens',
    tokensPerSecond: 'tokens/s',
  },
};

export type MonitoringMessages = typeof monitoring;
export default monitoring;
