#pragma once

// For process tests of the deployment path: a real hai-scheduler and real
// hai-agent processes on loopback around one temporary data directory (the
// cluster token, the control-plane database), and a small real checkpoint
// made by hai-model. Bounded waits everywhere; nothing outlives the rig.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/proc/child.h"
#include "lib/store/database.h"
#include "lib/store/migrations.h"

namespace hai::scheduler::testing {

inline const std::string kBin = HAI_TEST_BIN_DIR;
inline const std::string kSource = HAI_TEST_SOURCE_DIR;

// Polls `done` every 200 ms for at most `seconds`.
inline bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

class ControlPlaneRig {
 public:
  // `name` tells parallel tests' folders apart.
  explicit ControlPlaneRig(const std::string& name)
      : dir_((std::filesystem::temp_directory_path() /
              ("hai-" + name + "-" + std::to_string(::getpid())))
                 .string()) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/models");
  }
  ~ControlPlaneRig() {
    db_.reset();
    agents_.clear();
    scheduler_.reset();
    if (!keep_) std::filesystem::remove_all(dir_);
  }

  const std::string& dir() const { return dir_; }
  int port() const { return port_; }
  store::Database* db() { return db_.get(); }
  // Leaves the folder for a look after a failure.
  void Keep() { keep_ = true; }

  // A 2-layer Qwen2 checkpoint (hai-model init, seed 7) at `out`.
  ::testing::AssertionResult InitModel(const std::string& out) {
    auto init = proc::Child::Spawn(
        {{kBin + "/hai-model", "init", "--out", out, "--arch", "qwen2", "--layers", "2", "--hidden",
          "64", "--heads", "4", "--kv-heads", "2", "--vocab", "512", "--seed", "7",
          "--max-position", "160"}});
    if (!init.ok()) return ::testing::AssertionFailure() << init.status().ToString();
    std::optional<int> status;
    if (!WaitFor([&] { return (status = init->Poll()).has_value(); }, 60))
      return ::testing::AssertionFailure() << "hai-model init did not finish";
    if (*status != 0) return ::testing::AssertionFailure() << "hai-model init: status " << *status;
    return ::testing::AssertionSuccess();
  }

  // The cluster token, hai-scheduler on a free port, and the database.
  ::testing::AssertionResult StartScheduler() {
    if (!WriteSecretFile(dir_ + "/cluster-token", RandomToken(32)).ok())
      return ::testing::AssertionFailure() << "cannot write the cluster token";
    const std::string cfg = dir_ + "/hai.toml";
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[scheduler]\nport = 0\n"
                       << "heartbeat_timeout_ms = 2000\ndata_dir = \"" << dir_ << "\"\n";
    auto child = proc::Child::Spawn({{kBin + "/hai-scheduler", "--config", cfg, "--ready-file",
                                      dir_ + "/ready.json"}});
    if (!child.ok()) return ::testing::AssertionFailure() << child.status().ToString();
    scheduler_ = std::make_unique<proc::Child>(std::move(*child));
    if (!WaitFor([&] { return std::filesystem::exists(dir_ + "/ready.json"); }, 30))
      return ::testing::AssertionFailure() << "hai-scheduler did not start";
    std::ifstream in(dir_ + "/ready.json");
    std::ostringstream text;
    text << in.rdbuf();
    port_ = nlohmann::json::parse(text.str())["port"];
    auto db = store::Database::Open(dir_ + "/hai.db", store::ControlPlaneMigrations());
    if (!db.ok()) return ::testing::AssertionFailure() << db.status().ToString();
    db_ = std::move(*db);
    return ::testing::AssertionSuccess();
  }

  // Agent `node-<i+1>` simulating 8 Ascend cards, running real engines from
  // its own block of five ports; `extra` adds [agent] keys.
  void StartAgent(int i, int first_port_base, const std::string& extra = "") {
    const std::string cfg = dir_ + "/agent-" + std::to_string(i) + ".toml";
    const int first = first_port_base + 100 * i + static_cast<int>(::getpid() % 20) * 5;
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[agent]\nnode_name = \"node-" << i + 1
                       << "\"\nport = 0\nscheduler_url = \"http://127.0.0.1:" << port_
                       << "\"\nheartbeat_interval_ms = 300\ndata_dir = \"" << dir_
                       << "\"\nprofile = \"" << kSource << "/profiles/nodes/ascend-910b3-x8.toml\""
                       << "\nengine_profiles_dir = \"" << kSource << "/profiles/engines\""
                       << "\nengine_port_first = " << first << "\nengine_port_last = " << first + 4
                       << "\nrestart_backoff_s = 1\nstop_grace_s = 5\n"
                       << extra;
    agents_[i] = std::make_unique<proc::Child>(
        proc::Child::Spawn({{kBin + "/hai-agent", "--config", cfg}}).value());
  }
  proc::Child* agent(int i) { return agents_.count(i) ? agents_[i].get() : nullptr; }
  void StopAgent(int i) { agents_.erase(i); }

  // Every replica event so far, one line each: "rep-<id> <reason>: <message>".
  std::string EventLog() {
    std::string out;
    (void)db_->Read([&](store::Database::Tx& tx) -> Status {
      HAI_ASSIGN_OR_RETURN(store::Statement s,
                           tx.Prepare("SELECT replica_id, reason, message FROM replica_events "
                                      "ORDER BY id"));
      for (;;) {
        HAI_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        out += "rep-" + std::to_string(s.Int(0)) + " " + s.Text(1) + ": " + s.Text(2) + "\n";
      }
      return Status::Ok();
    });
    return out;
  }

  ::testing::AssertionResult Exec(const std::string& sql) {
    Status st = db_->Write([&](store::Database::Tx& tx) { return tx.Exec(sql); });
    if (st.ok()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << sql << ": " << st.ToString();
  }

 private:
  std::string dir_;
  bool keep_ = false;
  int port_ = 0;
  std::unique_ptr<proc::Child> scheduler_;
  std::map<int, std::unique_ptr<proc::Child>> agents_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace hai::scheduler::testing
