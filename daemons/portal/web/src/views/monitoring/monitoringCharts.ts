// ECharts options of the monitoring trends. Every series is [time, value]
// pairs on a time axis: the API sends only buckets with calls, and a missing
// bucket stays a gap (no bar), not an invented zero.
import type { EChartsCoreOption } from 'echarts/core';
import type { Distribution, SeriesPoint } from '@/api/gateway';

type Translate = (key: string) => string;
type Pair = [number, number | null];

export type ChartKey = 'calls' | 'failureRate' | 'tokens' | 'ttft' | 'tpot' | 'latency' | 'otps';
export const CHART_KEYS: ChartKey[] = ['calls', 'failureRate', 'tokens', 'ttft', 'tpot', 'latency', 'otps'];

const STATS: (keyof Distribution)[] = ['mean', 'p50', 'p90', 'p95', 'p99'];
const STAT_COLOURS: Record<keyof Distribution, string> = {
  mean: '#1d6fd8',
  p50: '#2ba471',
  p90: '#e0a21e',
  p95: '#e5702a',
  p99: '#d54941',
};

const time = (p: SeriesPoint) => new Date(p.time).getTime();
const round = (v: number | null | undefined, digits = 2): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

function base(range: { from: number; to: number }, yName: string): EChartsCoreOption {
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 36, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'time', min: range.from, max: range.to, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: yName, nameTextStyle: { align: 'left' }, min: 0 },
  };
}

function line(name: string, data: Pair[], colour?: string) {
  return { name, type: 'line', data, showSymbol: data.length < 60, connectNulls: false, itemStyle: colour ? { color: colour } : undefined };
}

function distributionOption(points: SeriesPoint[], range: { from: number; to: number }, pick: (p: SeriesPoint) => Distribution | undefined, unit: string, t: Translate): EChartsCoreOption {
  return {
    ...base(range, unit),
    series: STATS.map((s) => line(t(`monitoring.stat.${s}`), points.map((p) => [time(p), round(pick(p)?.[s])] as Pair), STAT_COLOURS[s])),
  };
}

export function chartOption(key: ChartKey, points: SeriesPoint[], range: { from: number; to: number }, t: Translate): EChartsCoreOption {
  switch (key) {
    case 'calls':
      return {
        ...base(range, t('monitoring.unit.calls')),
        series: [
          { name: t('monitoring.tile.calls'), type: 'bar', barMaxWidth: 14, data: points.map((p) => [time(p), p.calls]), itemStyle: { color: '#1d6fd8' } },
          { name: t('monitoring.tile.failures'), type: 'bar', barMaxWidth: 14, data: points.map((p) => [time(p), p.failures]), itemStyle: { color: '#d54941' } },
        ],
      };
    case 'failureRate':
      return {
        ...base(range, '%'),
        yAxis: { type: 'value', name: '%', min: 0, max: 100 },
        series: [line(t('monitoring.tile.failureRate'), points.map((p) => [time(p), p.failure_rate === null ? null : round(p.failure_rate * 100)] as Pair), '#d54941')],
      };
    case 'tokens':
      return {
        ...base(range, t('monitoring.unit.tokens')),
        yAxis: [
          { type: 'value', name: t('monitoring.unit.tokens'), min: 0 },
          { type: 'value', name: 'TPM', min: 0, splitLine: { show: false } },
        ],
        series: [
          { name: t('monitoring.inputTokens'), type: 'bar', stack: 'tokens', barMaxWidth: 14, data: points.map((p) => [time(p), p.input_tokens]), itemStyle: { color: '#7aa7e6' } },
          { name: t('monitoring.outputTokens'), type: 'bar', stack: 'tokens', barMaxWidth: 14, data: points.map((p) => [time(p), p.output_tokens]), itemStyle: { color: '#1d6fd8' } },
          { ...line('TPM', points.map((p) => [time(p), round(p.tpm)] as Pair), '#e0a21e'), yAxisIndex: 1 },
        ],
      };
    case 'ttft':
      return distributionOption(points, range, (p) => p.ttft, 'ms', t);
    case 'tpot':
      return distributionOption(points, range, (p) => p.tpot, 'ms', t);
    case 'latency':
      return distributionOption(points, range, (p) => p.latency, 'ms', t);
    case 'otps':
      return distributionOption(points, range, (p) => p.otps, t('monitoring.unit.tokensPerSecond'), t);
  }
}
