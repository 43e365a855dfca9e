// Identity and audit at hospital scale: 10,000 users and 100,000 audit
// entries. Prints p50/p99 of the portal's list and filter queries (target
// p99 <= 20 ms), the audit insert rate (target >= 5,000/s) and sign-in
// throughput over real HTTP, each with a reference measured in the same run.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "daemons/portal/audit_log.h"
#include "daemons/portal/org_store.h"
#include "daemons/portal/portal_app.h"
#include "daemons/portal/user_store.h"
#include "lib/base/clock.h"
#include "lib/http/client.h"
#include "lib/log/log.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

using Clock = std::chrono::steady_clock;
using store::Database;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
  double p50, p99;
};

Stats Measure(int runs, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    fn();
    t.push_back(Ms(Clock::now() - start));
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t[std::min(t.size() - 1, t.size() * 99 / 100)]};
}

void Check(const Status& st) {
  if (!st.ok()) {
    std::fprintf(stderr, "bench: %s\n", st.ToString().c_str());
    std::exit(1);
  }
}

const char* kActions[] = {"auth.login", "org.create", "user.create", "api_key.create",
                          "org.member_add", "user.update", "api_key.revoke", "auth.logout"};

AuditEvent MakeEvent(int i, int64_t base) {
  AuditEvent e;
  e.time = base + i * 100;
  e.user_id = i % 10000 + 1;
  e.username = "user" + std::to_string(i % 10000);
  e.org_id = i % 50 + 1;
  e.action = kActions[i % 8];
  e.resource_type = "user";
  e.resource_id = std::to_string(i);
  e.outcome = i % 17 == 0 ? Outcome::kFailure : Outcome::kSuccess;
  e.summary = "benchmark entry";
  e.client_ip = "10.1.2.3";
  e.user_agent = "bench";
  e.request_id = "req" + std::to_string(i);
  return e;
}

void StoreBenchmarks(const std::string& dir) {
  auto opened = Database::Open(dir + "/bench.db", store::ControlPlaneMigrations());
  Check(opened.status());
  Database& db = **opened;
  const int64_t base = 1795342800000;
  // 50 organisations, 10,000 users (fixed hash: hashing is measured below).
  Check(db.Write([&](Database::Tx& tx) -> Status {
    for (int o = 0; o < 50; ++o) HAI_RETURN_IF_ERROR(orgs::Insert(tx, "Dept " + std::to_string(o), "", base).status());
    for (int u = 0; u < 10000; ++u) {
      users::NewUser nu{"user" + std::to_string(u), "$argon2id$fixed", "User " + std::to_string(u),
                        "u" + std::to_string(u) + "@hospital.example", false};
      HAI_ASSIGN_OR_RETURN(User user, users::Insert(tx, nu, base));
      HAI_RETURN_IF_ERROR(orgs::AddMember(tx, u % 50 + 1, user.id, Role::kDeveloper, base));
    }
    return Status::Ok();
  }));

  // Audit inserts the way the portal writes them: one transaction each.
  const int kEvents = 100000;
  auto start = Clock::now();
  for (int i = 0; i < kEvents; ++i) {
    AuditEvent e = MakeEvent(i, base);
    Check(db.Write([&](Database::Tx& tx) { return audit::Append(tx, e); }));
  }
  double ours_s = Ms(Clock::now() - start) / 1000;
  // Reference: raw sqlite3, same rows, one prepared statement, one big transaction.
  sqlite3* raw = nullptr;
  sqlite3_open((dir + "/ref.db").c_str(), &raw);
  sqlite3_exec(raw, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    "CREATE TABLE a(time, user_id, username, org_id, action, resource_type, "
                    "resource_id, outcome, reason, summary, client_ip, user_agent, request_id);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(raw, "INSERT INTO a VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &stmt, nullptr);
  start = Clock::now();
  sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
  for (int i = 0; i < kEvents; ++i) {
    AuditEvent e = MakeEvent(i, base);
    sqlite3_bind_int64(stmt, 1, e.time);
    sqlite3_bind_int64(stmt, 2, *e.user_id);
    sqlite3_bind_text(stmt, 3, e.username.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 4, *e.org_id);
    sqlite3_bind_text(stmt, 5, e.action.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 6, e.resource_type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 7, e.resource_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 8, "success", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 9, "", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 10, e.summary.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 11, e.client_ip.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 12, e.user_agent.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 13, e.request_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(stmt);
    sqlite3_reset(stmt);
  }
  sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  double ref_s = Ms(Clock::now() - start) / 1000;
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
  std::printf("%-44s %10.0f /s   (reference, one raw batch: %.0f /s; ratio %.2f)   target >= 5000 /s\n",
              "audit insert, one transaction each", kEvents / ours_s, kEvents / ref_s,
              (kEvents / ours_s) / (kEvents / ref_s));

  auto query = [&](const std::string& label, const std::function<Status(Database::Tx&)>& fn) {
    Stats s = Measure(200, [&] { Check(db.Read(fn)); });
    return std::make_pair(label, s);
  };
  Stats ref = Measure(200, [&] {
    Check(db.Read([](Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(store::Statement st,
                           tx.Prepare("SELECT id FROM audit_events ORDER BY time DESC LIMIT 50"));
      for (;;) {
        HAI_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
      }
      return Status::Ok();
    }));
  });
  std::vector<std::pair<std::string, Stats>> results;
  ListWindow w50{50, 0, "username ASC"};
  results.push_back(query("users: first page by name", [&](Database::Tx& tx) {
    return users::List(tx, {}, w50).status();
  }));
  results.push_back(query("users: search \"user99\"", [&](Database::Tx& tx) {
    users::Filter f;
    f.q = "user99";
    return users::List(tx, f, w50).status();
  }));
  results.push_back(query("users: members of one org", [&](Database::Tx& tx) {
    users::Filter f;
    f.org_id = 7;
    return users::List(tx, f, w50).status();
  }));
  ListWindow a50{50, 0, "time DESC"};
  results.push_back(query("audit: newest page", [&](Database::Tx& tx) {
    return audit::Query(tx, {}, a50).status();
  }));
  results.push_back(query("audit: deep page (offset 50,000)", [&](Database::Tx& tx) {
    return audit::Query(tx, {}, {50, 50000, "time DESC"}).status();
  }));
  results.push_back(query("audit: one user", [&](Database::Tx& tx) {
    audit::Filter f;
    f.user = "user1234";
    return audit::Query(tx, f, a50).status();
  }));
  results.push_back(query("audit: action prefix + 1 h range", [&](Database::Tx& tx) {
    audit::Filter f;
    f.action = "api_key.";
    f.from = base + 3600 * 1000;
    f.to = base + 2 * 3600 * 1000;
    return audit::Query(tx, f, a50).status();
  }));
  results.push_back(query("audit: org admin's scope (one org)", [&](Database::Tx& tx) {
    audit::Filter f;
    f.visible_orgs = std::vector<int64_t>{3};
    f.outcome = "failure";
    return audit::Query(tx, f, a50).status();
  }));
  std::printf("\n%-44s %9s %9s %12s   target p99 <= 20 ms\n", "query (10,000 users, 100,000 entries)",
              "p50 ms", "p99 ms", "p99/ref");
  for (const auto& [label, s] : results)
    std::printf("%-44s %9.3f %9.3f %12.1f\n", label.c_str(), s.p50, s.p99, s.p99 / ref.p99);
  std::printf("%-44s %9.3f %9.3f %12s\n", "reference: raw newest-50 select", ref.p50, ref.p99, "1.0");
}

void LoginBenchmark(const std::string& dir) {
  PortalConfig config;
  config.data_dir = dir + "/portal";
  config.port = 0;
  config.web_dir = dir + "/none";
  auto app = PortalApp::Create(config, SystemClock::Get());
  Check(app.status());
  Check((*app)->Start());
  const std::string password = (*app)->initial_password();
  const int port = (*app)->port();
  auto run = [&](int threads, int per_thread, const std::string& path, const std::string& body) {
    auto start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&] {
        http::Client client("127.0.0.1", port);
        for (int i = 0; i < per_thread; ++i) {
          auto r = body.empty() ? client.Send("GET", path) : client.Send("POST", path, body);
          if (!r.ok() || r->status != 200) std::exit(1);
        }
      });
    for (auto& th : pool) th.join();
    return threads * per_thread / (Ms(Clock::now() - start) / 1000);
  };
  std::string body = nlohmann::json{{"username", "admin"}, {"password", password}}.dump();
  double logins = run(2, 40, "/api/v1/auth/login", body);
  double health = run(2, 2000, "/healthz", "");
  std::printf("\n%-44s %10.1f /s   (reference, GET /healthz same client: %.0f /s)\n",
              "sign-in over HTTP (argon2id t=2 m=19 MiB)", logins, health);
  std::printf("%-44s %10.1f ms  per sign-in on 2 threads\n", "", 1000.0 / logins * 2);
  (*app)->Stop();
}

}  // namespace
}  // namespace hai::portal

int main() {
  hai::log::Init("portal_bench", hai::log::Level::kError);
  std::string dir = (std::filesystem::temp_directory_path() / "hai-portal-bench").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("hai-portal benchmark (%u hardware threads)\n\n", std::thread::hardware_concurrency());
  hai::portal::StoreBenchmarks(dir);
  hai::portal::LoginBenchmark(dir);
  std::filesystem::remove_all(dir);
  return 0;
}
