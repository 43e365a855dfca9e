// 服务监控页面的简体中文文案（键与 monitoring.en.ts 一致）。
import type { MonitoringMessages } from './monitoring.en';

const monitoring: MonitoringMessages = {
  range: {
    '1h': '最近 1 小时',
    '6h': '最近 6 小时',
    '24h': '最近 24 小时',
    '7d': '最近 7 天',
    custom: '自定义',
  },
  from: '开始时间',
  to: '结束时间',
  granularity: '粒度',
  granularities: {
    minute: '分钟',
    hour: '小时',
    day: '天',
  },
  allOrgs: '全部组织',
  allServices: '全部服务（模型）',
  autoRefresh: '每 {n} 秒刷新',
  updated: '更新于 {time}',
  noCalls: '该时间范围内没有调用。',
  tile: {
    calls: '调用次数',
    failures: '失败次数',
    failureRate: '失败率',
    tokens: 'tokens',
    tpm: 'TPM',
  },
  tokensSplit: '输入 {input} / 输出 {output}',
  tpmHint: '时间范围内平均每分钟 tokens',
  inputTokens: '输入 tokens',
  outputTokens: '输出 tokens',
  chart: {
    calls: '调用与失败',
    failureRate: '失败率（%）',
    tokens: 'tokens 与 TPM',
    ttft: '首 token 时延（TTFT）',
    tpot: '每输出 token 时延（TPOT）',
    latency: '端到端时延',
    otps: '每秒输出 tokens（OTPS）',
  },
  stat: {
    mean: '均值',
    p50: 'P50',
    p90: 'P90',
    p95: 'P95',
    p99: 'P99',
  },
  unit: {
    calls: '次',
    tokens: 'tokens',
    tokensPerSecond: 'tokens/秒',
  },
};

export default monitoring;
