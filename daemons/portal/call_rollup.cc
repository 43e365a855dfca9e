#include "daemons/portal/call_rollup.h"

#include <array>

#include "daemons/portal/list_query.h"

namespace hai::portal {
namespace {

constexpr std::array<Granularity, 3> kAll = {Granularity::kMinute, Granularity::kHour,
                                             Granularity::kDay};

std::string Table(Granularity g) { return "call_rollup_" + std::string(GranularityName(g)); }

constexpr const char* kColumns =
    "bucket_ms, org_id, service_id, calls, failures, input_tokens, output_tokens, "
    "ttft_count, ttft_sum, ttft_hist, tpot_count, tpot_sum, tpot_hist, "
    "latency_count, latency_sum, latency_hist, otps_count, otps_sum, otps_hist";
constexpr int kColumnCount = 19;

RollupHistogram RollupCounts::*const kHistograms[] = {&RollupCounts::ttft, &RollupCounts::tpot,
                                                      &RollupCounts::latency, &RollupCounts::otps};

// Reads columns 3… of a row selected with kColumns.
Result<RollupCounts> ReadCounts(const store::Statement& s) {
  RollupCounts c;
  c.calls = s.Int(3);
  c.failures = s.Int(4);
  c.input_tokens = s.Int(5);
  c.output_tokens = s.Int(6);
  int col = 7;
  for (auto member : kHistograms) {
    HAI_ASSIGN_OR_RETURN(c.*member,
                         RollupHistogram::Decode(s.Int(col), s.Int(col + 1), s.Blob(col + 2)));
    col += 3;
  }
  return c;
}

void BindCounts(store::Statement& s, const RollupKey& k, const RollupCounts& c) {
  s.Bind(1, k.bucket_ms).Bind(2, k.org_id).Bind(3, k.service_id);
  s.Bind(4, c.calls).Bind(5, c.failures).Bind(6, c.input_tokens).Bind(7, c.output_tokens);
  int pos = 8;
  for (auto member : kHistograms) {
    const RollupHistogram& h = c.*member;
    s.Bind(pos, h.count()).Bind(pos + 1, h.sum_milli()).BindBlob(pos + 2, h.EncodeBuckets());
    pos += 3;
  }
}

// Adds `delta` to the stored row of `key` (or stores it as the first).
class RollupWriter {
 public:
  static Result<RollupWriter> Prepare(store::Database::Tx& tx, Granularity g) {
    const std::string table = Table(g);
    HAI_ASSIGN_OR_RETURN(store::Statement find,
                         tx.Prepare("SELECT " + std::string(kColumns) + " FROM " + table +
                                    " WHERE bucket_ms = ? AND org_id = ? AND service_id = ?"));
    std::string marks = "?";
    for (int i = 1; i < kColumnCount; ++i) marks += ", ?";
    HAI_ASSIGN_OR_RETURN(store::Statement put, tx.Prepare("INSERT OR REPLACE INTO " + table + "(" +
                                                          kColumns + ") VALUES (" + marks + ")"));
    return RollupWriter(std::move(find), std::move(put));
  }

  Status Add(const RollupKey& key, const RollupCounts& delta) {
    RollupCounts total = delta;
    find_.Reset();
    find_.Bind(1, key.bucket_ms).Bind(2, key.org_id).Bind(3, key.service_id);
    HAI_ASSIGN_OR_RETURN(bool found, find_.Step());
    if (found) {
      HAI_ASSIGN_OR_RETURN(RollupCounts stored, ReadCounts(find_));
      total.Merge(stored);
    }
    find_.Reset();
    put_.Reset();
    BindCounts(put_, key, total);
    return put_.Run();
  }

 private:
  RollupWriter(store::Statement find, store::Statement put)
      : find_(std::move(find)), put_(std::move(put)) {}
  store::Statement find_;
  store::Statement put_;
};

void ApplyFilter(const rollups::RowFilter& f, Where* where) {
  where->And("bucket_ms >= ?", {f.from}).And("bucket_ms < ?", {f.to});
  if (f.org_id) where->And("org_id = ?", {*f.org_id});
  if (f.service_id) where->And("service_id = ?", {*f.service_id});
  if (f.visible_orgs) where->AndIn("org_id", *f.visible_orgs);
}

}  // namespace

std::string_view GranularityName(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return "minute";
    case Granularity::kHour:
      return "hour";
    case Granularity::kDay:
      return "day";
  }
  return "minute";
}

std::optional<Granularity> ParseGranularity(std::string_view name) {
  for (Granularity g : kAll)
    if (GranularityName(g) == name) return g;
  return std::nullopt;
}

int64_t GranularityMs(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return 60LL * 1000;
    case Granularity::kHour:
      return 3600LL * 1000;
    case Granularity::kDay:
      return 24LL * 3600 * 1000;
  }
  return 60LL * 1000;
}

int64_t BucketStart(Granularity g, int64_t time_ms) {
  const int64_t size = GranularityMs(g);
  int64_t q = time_ms / size;
  if (time_ms % size < 0) --q;  // floor for times before 1970
  return q * size;
}

void RollupCounts::Add(const CallRecord& r) {
  ++calls;
  failures += r.failed ? 1 : 0;
  input_tokens += r.input_tokens;
  output_tokens += r.output_tokens;
  if (r.failed) return;
  if (r.ttft_us) ttft.Add(*r.ttft_us);
  if (r.tpot_us) tpot.Add(*r.tpot_us);
  latency.Add(r.latency_us);
  if (r.tps_milli) otps.Add(*r.tps_milli);
}

void RollupCounts::Merge(const RollupCounts& o) {
  calls += o.calls;
  failures += o.failures;
  input_tokens += o.input_tokens;
  output_tokens += o.output_tokens;
  for (auto member : kHistograms) (this->*member).Merge(o.*member);
}

namespace rollups {

Status Add(Database::Tx& tx, std::span<const CallRecord> records) {
  std::map<RollupKey, RollupCounts> minutes;
  for (const CallRecord& r : records)
    minutes[{BucketStart(Granularity::kMinute, r.time_ms), r.org_id, r.service_id.value_or(0)}].Add(
        r);
  for (Granularity g : kAll) {
    std::map<RollupKey, RollupCounts> coarse;
    const std::map<RollupKey, RollupCounts>* rows = &minutes;
    if (g != Granularity::kMinute) {
      for (const auto& [key, counts] : minutes)
        coarse[{BucketStart(g, key.bucket_ms), key.org_id, key.service_id}].Merge(counts);
      rows = &coarse;
    }
    HAI_ASSIGN_OR_RETURN(RollupWriter writer, RollupWriter::Prepare(tx, g));
    for (const auto& [key, counts] : *rows) HAI_RETURN_IF_ERROR(writer.Add(key, counts));
  }
  return Status::Ok();
}

Status ForEach(Database::Tx& tx, Granularity g, const RowFilter& filter,
               const std::function<void(const RollupKey&, const RollupCounts&)>& row) {
  Where where;
  ApplyFilter(filter, &where);
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT " + std::string(kColumns) + " FROM " + Table(g) +
                                  where.Sql() + " ORDER BY bucket_ms, org_id, service_id"));
  where.Bind(s);
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) return Status::Ok();
    HAI_ASSIGN_OR_RETURN(RollupCounts counts, ReadCounts(s));
    row({s.Int(0), s.Int(1), s.Int(2)}, counts);
  }
}

Result<std::vector<std::pair<RollupKey, RollupCounts>>> Read(Database::Tx& tx, Granularity g,
                                                             const RowFilter& filter) {
  std::vector<std::pair<RollupKey, RollupCounts>> out;
  HAI_RETURN_IF_ERROR(ForEach(
      tx, g, filter, [&](const RollupKey& k, const RollupCounts& c) { out.emplace_back(k, c); }));
  return out;
}

Result<int64_t> RemoveOlderThan(Database::Tx& tx, Granularity g, int64_t cutoff) {
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("DELETE FROM " + Table(g) + " WHERE bucket_ms < ?"));
  HAI_RETURN_IF_ERROR(s.Bind(1, cutoff).Run());
  return static_cast<int64_t>(tx.Changes());
}

}  // namespace rollups
}  // namespace hai::portal
