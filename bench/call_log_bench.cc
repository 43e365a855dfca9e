// Call-log ingest at gateway scale: a real hai-portal (the PortalApp the
// daemon runs, on a loopback port) takes batches of 1,000 realistic call
// records over HTTP with the cluster token, as the gateways send them.
// Prints rows/s (target >= 20,000/s) and bytes per row in the database file,
// indexes and rollups included (target <= 500 B), each against a reference
// measured in the same run: the same rows inserted by bare SQLite into the
// same call_logs table and indexes, no HTTP, no JSON, no rollups.
//
//   call_log_bench [rows]     (default 200,000; stops after 120 s of posting)
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "daemons/portal/call_log_testing.h"
#include "daemons/portal/portal_app.h"
#include "lib/base/clock.h"
#include "lib/http/client.h"
#include "lib/log/log.h"
#include "lib/store/schema.h"

namespace hai::portal {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int64_t kDayStart = 1795305600000;  // 2026-11-22T00:00:00Z
constexpr size_t kBatch = 1000;               // the gateway's default call_log_batch
constexpr double kMaxPostSeconds = 120;

void Check(const Status& st) {
  if (!st.ok()) {
    std::fprintf(stderr, "call_log_bench: %s\n", st.ToString().c_str());
    std::exit(1);
  }
}

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

// A day of traffic in time order, three organisations, three services.
std::vector<CallRecord> MakeRecords(size_t n) {
  std::mt19937_64 rng(2026);
  std::vector<CallRecord> out;
  out.reserve(n);
  const double step = 24.0 * 3600 * 1000 / static_cast<double>(n);
  for (size_t i = 0; i < n; ++i)
    out.push_back(
        testing::SampleRecord(rng, kDayStart + static_cast<int64_t>(step * static_cast<double>(i)),
                              static_cast<int64_t>(i)));
  return out;
}

// Bytes the database holds once the WAL is folded in: pages in use × page size.
struct DbSize {
  int64_t bytes = 0;
  std::vector<std::pair<std::string, int64_t>> by_object;  // from dbstat, when built in
};

DbSize Measure(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "call_log_bench: cannot open %s\n", path.c_str());
    std::exit(1);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* s = nullptr;
    int64_t v = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  };
  DbSize size;
  size.bytes =
      (scalar("PRAGMA page_count") - scalar("PRAGMA freelist_count")) * scalar("PRAGMA page_size");
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'call_%' "
                         "GROUP BY name ORDER BY 2 DESC",
                         -1, &s, nullptr) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW)
      size.by_object.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                                  sqlite3_column_int64(s, 1));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return size;
}

struct Run {
  size_t rows = 0;
  double seconds = 0;
  DbSize before, after;
};

Run IngestOverHttp(const std::string& dir, const std::vector<CallRecord>& records) {
  PortalConfig config;
  config.data_dir = dir + "/portal";
  config.port = 0;
  config.web_dir = dir + "/none";
  auto app = PortalApp::Create(config, SystemClock::Get());
  Check(app.status());
  Check((*app)->Start());
  std::ifstream token_file(config.TokenPath());
  std::string token;
  std::getline(token_file, token);

  // Bodies are made before the clock starts: the gateway's JSON is its cost.
  std::vector<std::string> bodies;
  for (size_t i = 0; i < records.size(); i += kBatch) {
    nlohmann::json batch = nlohmann::json::array();
    for (size_t j = i; j < std::min(records.size(), i + kBatch); ++j)
      batch.push_back(testing::RecordJson(records[j]));
    bodies.push_back(nlohmann::json{{"records", std::move(batch)}}.dump());
  }
  Run run;
  run.before = Measure(config.DatabasePath());
  http::Client client("127.0.0.1", (*app)->port(), 60000);
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", "Bearer " + token}};
  auto start = SteadyClock::now();
  for (const std::string& body : bodies) {
    auto r = client.Send("POST", "/internal/v1/call-logs", body, headers);
    if (!r.ok() || r->status != 200) {
      std::fprintf(stderr, "call_log_bench: ingest failed: %s\n",
                   r.ok() ? r->body.c_str() : r.status().ToString().c_str());
      std::exit(1);
    }
    auto answer = nlohmann::json::parse(r->body);
    run.rows += answer["accepted"].get<size_t>();
    if (answer["rejected"].get<int64_t>() != 0) {
      std::fprintf(stderr, "call_log_bench: records rejected: %s\n", r->body.c_str());
      std::exit(1);
    }
    if (Seconds(SteadyClock::now() - start) > kMaxPostSeconds) break;
  }
  run.seconds = Seconds(SteadyClock::now() - start);
  run.after = Measure(config.DatabasePath());
  (*app)->Stop();
  return run;
}

// The same rows through one prepared statement, one transaction per batch,
// into the call_logs table and indexes of migration 7 (nothing else).
Run BareSqlite(const std::string& dir, const std::vector<CallRecord>& records, size_t rows) {
  const std::string path = dir + "/reference.db";
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
               nullptr);
  std::string schema(store::kSchemaCallLogsV7);
  schema = schema.substr(0, schema.find("CREATE TABLE call_rollup_minute"));
  if (sqlite3_exec(db, schema.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "call_log_bench: reference schema: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO call_logs(time_ms, request_id, org_id, user_id, api_key_id, "
                     "api_key_prefix, source, service_id, service, deployment_id, replica_id, "
                     "endpoint, failed, status_code, error, client_ip, user_agent, stream, "
                     "input_tokens, output_tokens, total_tokens, usage_source, ttft_us, tpot_us, "
                     "latency_us, tps_milli) VALUES "
                     "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &s, nullptr);
  auto opt = [&](int pos, const std::optional<int64_t>& v) {
    if (v)
      sqlite3_bind_int64(s, pos, *v);
    else
      sqlite3_bind_null(s, pos);
  };
  auto text = [&](int pos, const std::string& v) {
    sqlite3_bind_text(s, pos, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  Run run;
  run.rows = rows;
  auto start = SteadyClock::now();
  for (size_t i = 0; i < rows; ++i) {
    if (i % kBatch == 0) sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    const CallRecord& r = records[i];
    sqlite3_bind_int64(s, 1, r.time_ms);
    text(2, r.request_id);
    sqlite3_bind_int64(s, 3, r.org_id);
    opt(4, r.user_id);
    opt(5, r.api_key_id);
    text(6, r.api_key_prefix);
    text(7, r.source);
    opt(8, r.service_id);
    text(9, r.service);
    opt(10, r.deployment_id);
    opt(11, r.replica_id);
    text(12, r.endpoint);
    sqlite3_bind_int64(s, 13, r.failed);
    sqlite3_bind_int64(s, 14, r.status_code);
    text(15, r.error);
    text(16, r.client_ip);
    text(17, r.user_agent);
    sqlite3_bind_int64(s, 18, r.stream);
    sqlite3_bind_int64(s, 19, r.input_tokens);
    sqlite3_bind_int64(s, 20, r.output_tokens);
    sqlite3_bind_int64(s, 21, r.total_tokens);
    text(22, r.usage_source);
    opt(23, r.ttft_us);
    opt(24, r.tpot_us);
    sqlite3_bind_int64(s, 25, r.latency_us);
    opt(26, r.tps_milli);
    if (sqlite3_step(s) != SQLITE_DONE) {
      std::fprintf(stderr, "call_log_bench: reference insert: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    sqlite3_reset(s);
    if ((i + 1) % kBatch == 0 || i + 1 == rows)
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  run.seconds = Seconds(SteadyClock::now() - start);
  sqlite3_finalize(s);
  sqlite3_close(db);
  run.after = Measure(path);
  return run;
}

}  // namespace
}  // namespace hai::portal

int main(int argc, char** argv) {
  using namespace hai::portal;
  // HAI_BENCH_LOG=1 shows the portal's own log (its access log times each batch).
  hai::log::Init("call_log_bench",
                 std::getenv("HAI_BENCH_LOG") ? hai::log::Level::kInfo : hai::log::Level::kError);
  const size_t rows = argc > 1 ? static_cast<size_t>(std::strtoull(argv[1], nullptr, 10)) : 200000;
  if (rows == 0) {
    std::fprintf(stderr, "usage: call_log_bench [rows]\n");
    return 2;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "hai-call-log-bench").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("hai-portal call-log ingest benchmark (%u hardware threads)\n\n",
              std::thread::hardware_concurrency());
  const std::vector<CallRecord> records = MakeRecords(rows);
  Run ours = IngestOverHttp(dir, records);
  Run ref = BareSqlite(dir, records, ours.rows);

  const double ours_rate = static_cast<double>(ours.rows) / ours.seconds;
  const double ref_rate = static_cast<double>(ref.rows) / ref.seconds;
  const double ours_bpr =
      static_cast<double>(ours.after.bytes - ours.before.bytes) / static_cast<double>(ours.rows);
  const double ref_bpr = static_cast<double>(ref.after.bytes) / static_cast<double>(ref.rows);
  std::printf(
      "%zu rows (a day of traffic, 3 organisations, 3 services) in batches of %zu over "
      "HTTP, one connection\n\n",
      ours.rows, kBatch);
  std::printf(
      "%-40s %10.0f rows/s   (reference, bare SQLite same rows and indexes: %.0f rows/s; "
      "ratio %.2f)   target >= 20000 rows/s\n",
      "ingest: JSON, checks, rows, rollups", ours_rate, ref_rate, ours_rate / ref_rate);
  std::printf(
      "%-40s %10.0f B        (reference, call_logs table and indexes alone: %.0f B; "
      "ratio %.2f)   target <= 500 B\n",
      "bytes per row, indexes and rollups", ours_bpr, ref_bpr, ours_bpr / ref_bpr);
  for (const auto& [name, bytes] : ours.after.by_object)
    std::printf("  %-38s %10.1f B/row\n", name.c_str(),
                static_cast<double>(bytes) / static_cast<double>(ours.rows));
  std::filesystem::remove_all(dir);
  return 0;
}
