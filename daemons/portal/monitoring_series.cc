#include "daemons/portal/monitoring_series.h"

#include "lib/base/time_format.h"

namespace hai::portal::monitoring {
namespace {

using nlohmann::json;

SeriesPoint MakePoint(int64_t time_ms, Granularity g, const RollupCounts& c) {
  SeriesPoint p;
  p.time_ms = time_ms;
  p.granularity = g;
  p.calls = c.calls;
  p.failures = c.failures;
  p.input_tokens = c.input_tokens;
  p.output_tokens = c.output_tokens;
  p.ttft = Summarize(c.ttft);
  p.tpot = Summarize(c.tpot);
  p.latency = Summarize(c.latency);
  p.otps = Summarize(c.otps);
  return p;
}

json OptNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json DistributionJson(const Distribution& d) {
  return {{"count", d.count},        {"mean", OptNumber(d.mean)}, {"p50", OptNumber(d.p50)},
          {"p90", OptNumber(d.p90)}, {"p95", OptNumber(d.p95)},   {"p99", OptNumber(d.p99)}};
}

}  // namespace

double SeriesPoint::FailureRate() const {
  return calls == 0 ? 0 : static_cast<double>(failures) / static_cast<double>(calls);
}

double SeriesPoint::Tpm() const {
  const double minutes = static_cast<double>(GranularityMs(granularity)) / 60000;
  return static_cast<double>(input_tokens + output_tokens) / minutes;
}

Distribution Summarize(const RollupHistogram& h) {
  Distribution d;
  d.count = h.count();
  d.mean = h.Mean();
  d.p50 = h.Quantile(0.50);
  d.p90 = h.Quantile(0.90);
  d.p95 = h.Quantile(0.95);
  d.p99 = h.Quantile(0.99);
  return d;
}

Result<std::vector<SeriesPoint>> ReadSeries(store::Database::Tx& tx, const SeriesQuery& q) {
  rollups::RowFilter filter{q.from, q.to, q.org_id, q.service_id, q.visible_orgs};
  std::vector<SeriesPoint> points;
  std::optional<int64_t> bucket;
  RollupCounts sum;
  HAI_RETURN_IF_ERROR(rollups::ForEach(tx, q.granularity, filter,
                                       [&](const RollupKey& key, const RollupCounts& counts) {
                                         if (bucket && *bucket != key.bucket_ms) {
                                           points.push_back(MakePoint(*bucket, q.granularity, sum));
                                           sum = RollupCounts();
                                         }
                                         bucket = key.bucket_ms;
                                         sum.Merge(counts);
                                       }));
  if (bucket) points.push_back(MakePoint(*bucket, q.granularity, sum));
  return points;
}

json ToJson(const SeriesPoint& p) {
  return {{"time", FormatIso8601(p.time_ms)},
          {"calls", p.calls},
          {"failures", p.failures},
          {"failure_rate", p.FailureRate()},
          {"input_tokens", p.input_tokens},
          {"output_tokens", p.output_tokens},
          {"tpm", p.Tpm()},
          {"ttft", DistributionJson(p.ttft)},
          {"tpot", DistributionJson(p.tpot)},
          {"latency", DistributionJson(p.latency)},
          {"otps", DistributionJson(p.otps)}};
}

}  // namespace hai::portal::monitoring
