// Service monitoring: time series from the call-log rollups
// (docs/call-logs.md).
#include "daemons/portal/list_query.h"
#include "daemons/portal/monitoring_series.h"
#include "daemons/portal/routes.h"
#include "lib/base/time_format.h"

namespace hai::portal {
namespace {

using http::Response;
using store::Database;

// The range a series covers when the request names none.
int64_t DefaultSpanMs(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return 3600LL * 1000;  // the last hour
    case Granularity::kHour:
      return 24LL * 3600 * 1000;  // the last day
    case Granularity::kDay:
      return 30LL * 24 * 3600 * 1000;  // the last 30 days
  }
  return 3600LL * 1000;
}

Result<std::optional<int64_t>> TimeParam(const http::Request& req, const std::string& name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return std::optional<int64_t>();
  auto t = ParseTime(*raw);
  if (!t)
    return Status::InvalidArgument(name + " must be an ISO 8601 time or epoch milliseconds", name);
  return std::optional<int64_t>(*t);
}

Result<monitoring::SeriesQuery> ReadQuery(Services* s, const Call& call) {
  const http::Request& req = call.req;
  monitoring::SeriesQuery q;
  std::string name = req.Query("granularity").value_or("hour");
  auto g = ParseGranularity(name);
  if (!g) return Status::InvalidArgument("granularity must be minute, hour or day", "granularity");
  q.granularity = *g;
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> from, TimeParam(req, "from"));
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> to, TimeParam(req, "to"));
  q.to = to.value_or(s->clock->NowMs());
  q.from = BucketStart(q.granularity, from.value_or(q.to - DefaultSpanMs(q.granularity)));
  if (from && *from > q.to) return Status::InvalidArgument("from is after to", "from");
  const int64_t size = GranularityMs(q.granularity);
  const int64_t buckets = (q.to - q.from + size - 1) / size;
  if (buckets > monitoring::kMaxSeriesPoints)
    return Status::InvalidArgument("from … to spans " + std::to_string(buckets) + " " + name +
                                       " buckets; a series has at most " +
                                       std::to_string(monitoring::kMaxSeriesPoints) +
                                       " points: narrow the range or choose a coarser granularity",
                                   "from");
  HAI_ASSIGN_OR_RETURN(q.org_id, QueryInt(req, "org_id"));
  HAI_ASSIGN_OR_RETURN(q.service_id, QueryInt(req, "service_id"));
  if (!call.who->IsAdmin()) q.visible_orgs = call.who->OrgsWhere(Permission::kMonitoringRead);
  return q;
}

Result<Response> Series(Services* s, Call& call) {
  HAI_ASSIGN_OR_RETURN(monitoring::SeriesQuery q, ReadQuery(s, call));
  std::vector<monitoring::SeriesPoint> points;
  HAI_RETURN_IF_ERROR(s->db->Read([&](Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(points, monitoring::ReadSeries(tx, q));
    return Status::Ok();
  }));
  nlohmann::json out = {{"granularity", GranularityName(q.granularity)},
                        {"from", FormatIso8601(q.from)},
                        {"to", FormatIso8601(q.to)},
                        {"points", nlohmann::json::array()}};
  for (const auto& p : points) out["points"].push_back(monitoring::ToJson(p));
  return Response::Json(200, out);
}

}  // namespace

void AddMonitoringRoutes(Api* api, Services* s) {
  api->Add({"GET", "/api/v1/monitoring/series", Permission::kMonitoringRead, "", "",
            "Calls, failures, tokens, TPM and TTFT/TPOT/latency/OTPS mean and percentiles per "
            "minute, hour or day (org admins and developers: their organisations)"},
           [s](Call& c) { return Series(s, c); });
}

}  // namespace hai::portal
