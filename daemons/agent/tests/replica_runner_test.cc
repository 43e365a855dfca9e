// The replica runner with real engine processes: hai-test-engine (a small
// program that listens and answers /health) and shell one-liners, launched
// through real engine profiles (testdata/engines). Backoff is one second and
// every wait is bounded; nothing here asserts how long anything took.
#include "daemons/agent/replica_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

#include "daemons/agent/tests/model_server_testing.h"
#include "daemons/agent/tests/process_testing.h"
#include "lib/engine_profile/profile_parser.h"
#include "lib/http/client.h"
#include "lib/proc/proc_table.h"

namespace hai::agent {
namespace {

using cluster::ReplicaPhase;
using namespace std::chrono_literals;
using testing::ReadFile;
using testing::Running;
using testing::WaitFor;

class ReplicaRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("hai-runner-test-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(accel::RegisterBuiltinAdapters(&adapters_).ok());
    auto profiles = engine_profile::LoadProfiles(HAI_AGENT_TESTDATA "/engines");
    ASSERT_TRUE(profiles.ok()) << profiles.status().ToString();
    planner_ = std::make_unique<LaunchPlanner>(
        LaunchPlanner::Settings{*profiles, HAI_AGENT_TESTDATA "/engines", HAI_TEST_BIN_DIR,
                                "127.0.0.1"},
        &adapters_);
    // A range of its own per test process, so parallel tests rarely meet
    // (the pool checks each port anyway).
    int first = 20000 + (getpid() % 150) * 40;  // below the ephemeral range
    ports_ = std::make_unique<PortPool>(first, first + 39);
    SupervisorSettings s;
    s.probe_interval = 200ms;
    s.backoff = 1s;
    s.backoff_max = 4s;
    s.stop_grace = 2s;
    s.address_host = "127.0.0.1";
    s.probe_host = "127.0.0.1";
    settings_ = s;
  }
  void TearDown() override {
    runner_.reset();
    model_weights_.reset();
    model_cache_.reset();
    model_server_.reset();
    std::filesystem::remove_all(dir_);
  }
  void StartRunner(const ModelWeights* weights = nullptr) {
    runner_ = std::make_unique<ReplicaRunner>(
        ReplicaRunner::Settings{"node-1", dir_ + "/replicas", settings_}, planner_.get(),
        ports_.get(), SystemClock::Get(),
        [this](cluster::ReplicaReport r) {
          std::lock_guard lock(mu_);
          reports_.push_back(std::move(r));
        },
        weights);
  }
  // The control node's model routes in process, and a runner whose replicas
  // fetch their weights from it into dir_/cache.
  void StartRunnerWithModelServer(ModelFetchMode mode) {
    model_server_ = std::make_unique<testing::ModelServer>(dir_ + "/control");
    ASSERT_TRUE(model_server_
                    ->AddModel(1, "tiny",
                               {{"config.json", "{\"model_type\": \"qwen2\"}\n"},
                                {"model.safetensors", std::string(300000, 'w')}})
                    .ok());
    ASSERT_TRUE(model_server_->Start().ok());
    model_source_ = std::make_unique<ModelSource>(
        ModelSource::Settings{"127.0.0.1", model_server_->port(), model_server_->token(), 10000});
    model_cache_ =
        std::make_unique<ModelCache>(ModelCacheSettings{dir_ + "/cache", 0}, model_source_.get());
    model_weights_ = std::make_unique<ModelWeights>(mode, model_cache_.get());
    StartRunner(model_weights_.get());
  }
  cluster::ReplicaAssignment Assignment(const std::string& id, const std::string& engine) {
    cluster::ReplicaAssignment a;
    a.replica_id = id;
    a.deployment_id = "dep-1";
    a.service = "svc";
    a.engine = engine;
    a.model_path = "/nonexistent/model";
    a.vendor = accel::Vendor::kCpu;
    return a;
  }
  cluster::ReplicaStatus StatusOf(const std::string& id) {
    auto v = runner_->Find(id);
    return v ? v->status : cluster::ReplicaStatus{};
  }
  bool WaitPhase(const std::string& id, ReplicaPhase phase, const std::string& reason = "") {
    return WaitFor([&] {
      cluster::ReplicaStatus s = StatusOf(id);
      return s.phase == phase && (reason.empty() || s.reason == reason);
    });
  }
  // Every reported state of `id`, in report order, without repeats.
  std::vector<cluster::ReplicaStatus> History(const std::string& id) {
    std::lock_guard lock(mu_);
    std::vector<cluster::ReplicaStatus> out;
    for (const cluster::ReplicaReport& r : reports_) {
      EXPECT_EQ(r.node, "node-1");
      for (const cluster::ReplicaStatus& s : r.replicas) {
        if (s.replica_id != id) continue;
        if (out.empty() || out.back().reason != s.reason || out.back().restarts != s.restarts ||
            out.back().phase != s.phase)
          out.push_back(s);
      }
    }
    return out;
  }
  bool Reported(const std::string& id, const std::string& reason) {
    for (const auto& s : History(id))
      if (s.reason == reason) return true;
    return false;
  }
  std::string Log(const std::string& id) {
    return ReadFile(dir_ + "/replicas/" + id + "/engine.log");
  }

  std::string dir_;
  accel::AdapterRegistry adapters_;
  std::unique_ptr<LaunchPlanner> planner_;
  std::unique_ptr<PortPool> ports_;
  SupervisorSettings settings_;
  std::unique_ptr<testing::ModelServer> model_server_;
  std::unique_ptr<ModelSource> model_source_;
  std::unique_ptr<ModelCache> model_cache_;
  std::unique_ptr<ModelWeights> model_weights_;
  std::unique_ptr<ReplicaRunner> runner_;
  std::mutex mu_;
  std::vector<cluster::ReplicaReport> reports_;
};

TEST_F(ReplicaRunnerTest, StartsAnEngineAndReportsItReady) {
  StartRunner();
  auto a = Assignment("rep-ready", "test-engine");
  auto st = runner_->Apply(a);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ASSERT_TRUE(WaitPhase("rep-ready", ReplicaPhase::kReady)) << Log("rep-ready");
  cluster::ReplicaStatus s = StatusOf("rep-ready");
  EXPECT_EQ(s.reason, "Ready");
  EXPECT_GT(s.pid, 0);
  EXPECT_EQ(s.address, "http://127.0.0.1:" + std::to_string(s.port));
  EXPECT_EQ(s.restarts, 0);
  EXPECT_EQ(s.generation, 1);
  http::Client client("127.0.0.1", s.port, 2000);
  auto health = client.Send("GET", "/health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  // Reported in order: Starting before Ready.
  auto history = History("rep-ready");
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(history[history.size() - 2].reason, "Starting");
  EXPECT_EQ(history.back().reason, "Ready");
  // The engine's output and the agent's own lines are in the log; it ran in
  // its work directory with the passive OpenMP wait policy, in its own group.
  ASSERT_TRUE(WaitFor([&] { return Log("rep-ready").find("stderr line 2") != std::string::npos; }));
  std::string log = Log("rep-ready");
  EXPECT_NE(log.find("[hai-agent] starting generation 1"), std::string::npos) << log;
  EXPECT_NE(log.find("stdout line 0"), std::string::npos) << log;
  EXPECT_NE(log.find("OMP_WAIT_POLICY=PASSIVE"), std::string::npos) << log;
  EXPECT_NE(log.find("cwd " + dir_ + "/replicas/rep-ready"), std::string::npos) << log;
  EXPECT_EQ(proc::ProcTable().Read(s.pid)->pgid, s.pid);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/replicas/rep-ready/engine.pid"));
}

TEST_F(ReplicaRunnerTest, ACrashIsReportedAndRestartedWithGrowingBackoff) {
  StartRunner();
  ASSERT_TRUE(runner_->Apply(Assignment("rep-crash", "crash-at-once")).ok());
  ASSERT_TRUE(WaitFor([&] { return StatusOf("rep-crash").restarts >= 2; })) << Log("rep-crash");
  auto history = History("rep-crash");
  // Starting → Crashed → BackOff → Restarted → Crashed → BackOff → Restarted …
  ASSERT_GE(history.size(), 6u);
  EXPECT_EQ(history[0].reason, "Starting");
  EXPECT_EQ(history[1].reason, "Crashed");
  EXPECT_EQ(history[1].phase, ReplicaPhase::kFailed);
  EXPECT_EQ(history[1].message, "exited with code 3");
  EXPECT_EQ(history[1].exit_code, 3);
  EXPECT_FALSE(history[1].signal.has_value());
  EXPECT_EQ(history[2].reason, "BackOff");
  EXPECT_EQ(history[2].message, "exited with code 3; restarting in 1 s");
  EXPECT_EQ(history[3].reason, "Restarted");
  EXPECT_EQ(history[3].phase, ReplicaPhase::kStarting);
  EXPECT_EQ(history[3].restarts, 1);
  EXPECT_EQ(history[5].reason, "BackOff");
  EXPECT_EQ(history[5].message, "exited with code 3; restarting in 2 s") << "the delay doubles";
  EXPECT_NE(Log("rep-crash").find("about to fail"), std::string::npos);
  EXPECT_NE(Log("rep-crash").find("[hai-agent] engine exited with code 3"), std::string::npos);
}

TEST_F(ReplicaRunnerTest, AKilledEngineComesBackReady) {
  StartRunner();
  ASSERT_TRUE(runner_->Apply(Assignment("rep-kill", "test-engine")).ok());
  ASSERT_TRUE(WaitPhase("rep-kill", ReplicaPhase::kReady)) << Log("rep-kill");
  cluster::ReplicaStatus before = StatusOf("rep-kill");
  ASSERT_EQ(kill(before.pid, SIGKILL), 0);
  ASSERT_TRUE(WaitFor([&] {
    cluster::ReplicaStatus s = StatusOf("rep-kill");
    return s.phase == ReplicaPhase::kReady && s.restarts == 1;
  })) << Log("rep-kill");
  cluster::ReplicaStatus after = StatusOf("rep-kill");
  EXPECT_NE(after.pid, before.pid);
  EXPECT_EQ(after.port, before.port) << "the replica keeps its address";
  EXPECT_EQ(after.signal, SIGKILL) << "the last exit stays on record";
  bool crashed = false;
  for (const auto& s : History("rep-kill"))
    if (s.reason == "Crashed") {
      crashed = true;
      EXPECT_EQ(s.message, "killed by signal 9");
      EXPECT_EQ(s.signal, 9);
      EXPECT_FALSE(s.exit_code.has_value());
    }
  EXPECT_TRUE(crashed);
}

// After a stable run the next crash waits the first delay again, not twice it.
TEST_F(ReplicaRunnerTest, BackoffStartsAgainAfterAStableRun) {
  const auto stable = 300ms;
  settings_.stable_after = stable;
  StartRunner();
  ASSERT_TRUE(runner_->Apply(Assignment("rep-stable", "test-engine")).ok());
  ASSERT_TRUE(WaitPhase("rep-stable", ReplicaPhase::kReady));
  ASSERT_EQ(kill(StatusOf("rep-stable").pid, SIGKILL), 0);
  ASSERT_TRUE(WaitFor([&] {
    cluster::ReplicaStatus s = StatusOf("rep-stable");
    return s.phase == ReplicaPhase::kReady && s.restarts == 1;
  }));
  // Health probes the engine logged after the stable period: the backoff has
  // been reset by one of them.
  std::this_thread::sleep_for(stable + 100ms);
  auto probes = [&] {
    std::string log = Log("rep-stable");
    size_t n = 0;
    for (size_t at = log.find("path=/health"); at != std::string::npos;
         at = log.find("path=/health", at + 1))
      ++n;
    return n;
  };
  size_t before = probes();
  ASSERT_TRUE(WaitFor([&] { return probes() >= before + 2; }));
  ASSERT_EQ(kill(StatusOf("rep-stable").pid, SIGKILL), 0);
  auto backoffs = [&] {
    std::vector<std::string> messages;
    for (const auto& s : History("rep-stable"))
      if (s.reason == "BackOff") messages.push_back(s.message);
    return messages;
  };
  ASSERT_TRUE(WaitFor([&] { return backoffs().size() == 2; }));
  EXPECT_EQ(backoffs()[0], "killed by signal 9; restarting in 1 s");
  EXPECT_EQ(backoffs()[1], "killed by signal 9; restarting in 1 s")
      << "not 2 s: the run was stable";
}

TEST_F(ReplicaRunnerTest, LaunchesThatCannotStartAreNotRetried) {
  StartRunner();
  auto unknown = Assignment("rep-unknown", "no-such-engine");
  auto missing = Assignment("rep-missing", "not-installed");
  auto vendor = Assignment("rep-vendor", "test-engine");
  vendor.vendor = accel::Vendor::kNvidia;
  vendor.device_ids = {0};
  auto args = Assignment("rep-args", "test-engine");
  args.args = {"--port", "1"};
  for (const auto& a : {unknown, missing, vendor, args}) ASSERT_TRUE(runner_->Apply(a).ok());
  for (const char* id : {"rep-unknown", "rep-missing", "rep-vendor", "rep-args"})
    ASSERT_TRUE(WaitPhase(id, ReplicaPhase::kFailed, "FailedToStart")) << id;
  EXPECT_NE(StatusOf("rep-unknown").message.find("no engine profile 'no-such-engine'"),
            std::string::npos);
  EXPECT_NE(StatusOf("rep-missing").message.find("hai-no-such-engine-anywhere"), std::string::npos);
  EXPECT_NE(StatusOf("rep-args").message.find("--port"), std::string::npos);
  // Longer than two backoff periods: still no retry.
  std::this_thread::sleep_for(2500ms);
  for (const char* id : {"rep-unknown", "rep-missing", "rep-vendor", "rep-args"}) {
    EXPECT_EQ(StatusOf(id).reason, "FailedToStart") << id;
    EXPECT_EQ(StatusOf(id).restarts, 0) << id;
  }
  // A new generation that can start does.
  auto fixed = Assignment("rep-unknown", "test-engine");
  fixed.generation = 2;
  ASSERT_TRUE(runner_->Apply(fixed).ok());
  ASSERT_TRUE(WaitPhase("rep-unknown", ReplicaPhase::kReady));
  EXPECT_EQ(StatusOf("rep-unknown").generation, 2);
}

TEST_F(ReplicaRunnerTest, AnEngineThatStopsAnsweringIsRestarted) {
  StartRunner();
  std::string health = dir_ + "/healthy";
  std::ofstream(health) << "ok\n";
  auto a = Assignment("rep-sick", "test-engine");
  a.params = {{"health_file", health}};
  ASSERT_TRUE(runner_->Apply(a).ok());
  ASSERT_TRUE(WaitPhase("rep-sick", ReplicaPhase::kReady));
  pid_t first = StatusOf("rep-sick").pid;
  std::filesystem::remove(health);  // /health answers 503 from now on
  ASSERT_TRUE(WaitFor([&] { return Reported("rep-sick", "Unhealthy"); })) << Log("rep-sick");
  EXPECT_FALSE(Running(first)) << "an unhealthy engine is stopped";
  std::ofstream(health) << "ok\n";
  ASSERT_TRUE(WaitFor([&] {
    cluster::ReplicaStatus s = StatusOf("rep-sick");
    return s.phase == ReplicaPhase::kReady && s.restarts == 1;
  })) << Log("rep-sick");
  for (const auto& s : History("rep-sick")) {
    if (s.reason == "Unhealthy") {
      EXPECT_EQ(s.message, "3 health probes of /health failed in a row");
    }
  }
}

TEST_F(ReplicaRunnerTest, AnEngineNeverReadyTimesOut) {
  StartRunner();
  ASSERT_TRUE(runner_->Apply(Assignment("rep-slow", "never-ready")).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("rep-slow", "BackOff"); })) << Log("rep-slow");
  auto history = History("rep-slow");
  bool unhealthy = false;
  for (const auto& s : history)
    if (s.reason == "Unhealthy") {
      unhealthy = true;
      EXPECT_EQ(s.message, "no healthy answer from /health within 1 s");
      EXPECT_EQ(s.phase, ReplicaPhase::kFailed);
    }
  EXPECT_TRUE(unhealthy);
}

TEST_F(ReplicaRunnerTest, GenerationsDecideWhetherTheEngineIsReplaced) {
  StartRunner();
  auto a = Assignment("rep-gen", "test-engine");
  ASSERT_TRUE(runner_->Apply(a).ok());
  ASSERT_TRUE(WaitPhase("rep-gen", ReplicaPhase::kReady));
  pid_t first = StatusOf("rep-gen").pid;
  a.args = {"--lines", "5"};  // ignored: same generation
  ASSERT_TRUE(runner_->Apply(a).ok());
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(StatusOf("rep-gen").pid, first);
  a.generation = 2;
  ASSERT_TRUE(runner_->Apply(a).ok());
  ASSERT_TRUE(WaitFor([&] {
    cluster::ReplicaStatus s = StatusOf("rep-gen");
    return s.generation == 2 && s.phase == ReplicaPhase::kReady;
  }));
  EXPECT_NE(StatusOf("rep-gen").pid, first);
  EXPECT_FALSE(Running(first));
  EXPECT_EQ(StatusOf("rep-gen").restarts, 0) << "a new generation is not a restart";
  a.generation = 1;
  auto old = runner_->Apply(a);
  EXPECT_EQ(old.status().code(), Code::kFailedPrecondition);
}

// The engine ignores SIGTERM and has a child in its group: removing the
// replica still leaves nothing running, then forgets it after one Stopped.
TEST_F(ReplicaRunnerTest, RemovingStopsTheWholeGroupAndForgetsTheReplica) {
  StartRunner();
  auto a = Assignment("rep-gone", "test-engine");
  a.params = {{"ignore_term", "1"}, {"child", "1"}};
  ASSERT_TRUE(runner_->Apply(a).ok());
  ASSERT_TRUE(WaitPhase("rep-gone", ReplicaPhase::kReady));
  pid_t leader = StatusOf("rep-gone").pid;
  ASSERT_TRUE(WaitFor([&] { return proc::ProcTable().InGroup(leader).size() == 2; }));
  auto members = proc::ProcTable().InGroup(leader);
  ASSERT_TRUE(runner_->Remove("rep-gone").ok());
  ASSERT_TRUE(WaitFor([&] { return !runner_->Find("rep-gone"); }));
  for (const auto& p : members) EXPECT_FALSE(Running(p.pid)) << p.pid;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/replicas/rep-gone"));
  EXPECT_TRUE(Reported("rep-gone", "Stopped"));
  EXPECT_EQ(History("rep-gone").back().phase, ReplicaPhase::kStopped);
  EXPECT_EQ(runner_->Remove("rep-gone").status().code(), Code::kNotFound);
  // Forgotten: later reports leave it out.
  EXPECT_TRUE(runner_->Report().replicas.empty());
  // The id can be used again.
  ASSERT_TRUE(runner_->Apply(Assignment("rep-gone", "test-engine")).ok());
  ASSERT_TRUE(WaitPhase("rep-gone", ReplicaPhase::kReady));
}

TEST_F(ReplicaRunnerTest, StoppingTheRunnerStopsEveryEngine) {
  StartRunner();
  ASSERT_TRUE(runner_->Apply(Assignment("rep-x", "test-engine")).ok());
  ASSERT_TRUE(runner_->Apply(Assignment("rep-y", "test-engine")).ok());
  ASSERT_TRUE(WaitPhase("rep-x", ReplicaPhase::kReady));
  ASSERT_TRUE(WaitPhase("rep-y", ReplicaPhase::kReady));
  pid_t x = StatusOf("rep-x").pid, y = StatusOf("rep-y").pid;
  EXPECT_NE(StatusOf("rep-x").port, StatusOf("rep-y").port);
  runner_->Stop();
  EXPECT_FALSE(Running(x));
  EXPECT_FALSE(Running(y));
  EXPECT_EQ(runner_->Apply(Assignment("rep-z", "test-engine")).status().code(), Code::kUnavailable);
}

// The weights are not where the assignment says (another node's folder):
// the replica fetches them from the scheduler, reporting its progress, and
// the engine gets the cached folder (the stand-in engine is healthy only
// while {model_path}/config.json exists).
TEST_F(ReplicaRunnerTest, AReplicaRunsFromItsFetchedModel) {
  StartRunnerWithModelServer(ModelFetchMode::kAuto);
  auto a = Assignment("rep-fetch", "needs-model");
  a.model_path = "/nonexistent/control-node/models/tiny";
  a.model_id = 1;
  ASSERT_TRUE(runner_->Apply(a).ok());
  ASSERT_TRUE(WaitPhase("rep-fetch", ReplicaPhase::kReady)) << Log("rep-fetch");
  auto history = History("rep-fetch");
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[0].reason, "FetchingModel");
  EXPECT_EQ(history[0].phase, ReplicaPhase::kStarting);
  EXPECT_NE(history[0].message.find("fetching model 1: "), std::string::npos) << history[0].message;
  EXPECT_NE(history[0].message.find(" bytes ("), std::string::npos) << history[0].message;
  EXPECT_EQ(history[history.size() - 2].reason, "Starting");
  EXPECT_EQ(history.back().reason, "Ready");
  const std::string cached = dir_ + "/cache/1-";
  const std::string log = Log("rep-fetch");
  EXPECT_NE(log.find("--health-file " + cached), std::string::npos) << log;
  EXPECT_NE(log.find("[hai-agent] fetching model 1 from the scheduler"), std::string::npos);
  EXPECT_EQ(model_cache_->downloads(), 1);

  // A second replica of the same model uses the same copy; a restart of the
  // engine needs no download either.
  auto b = a;
  b.replica_id = "rep-fetch-2";
  ASSERT_TRUE(runner_->Apply(b).ok());
  ASSERT_TRUE(WaitPhase("rep-fetch-2", ReplicaPhase::kReady)) << Log("rep-fetch-2");
  const pid_t pid = StatusOf("rep-fetch").pid;
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(WaitFor([&] {
    auto s = StatusOf("rep-fetch");
    return s.phase == ReplicaPhase::kReady && s.restarts == 1;
  })) << Log("rep-fetch");
  EXPECT_EQ(model_cache_->downloads(), 1);
}

// A corrupt file on the control node: FetchFailed naming the file, then the
// restart back-off; once the file is right again the retry succeeds.
TEST_F(ReplicaRunnerTest, AFailedFetchIsReportedAndRetriedWithBackOff) {
  StartRunnerWithModelServer(ModelFetchMode::kAlways);
  const std::string weights = model_server_->Folder("tiny") + "/model.safetensors";
  const std::string good = ReadFile(weights);
  std::string bad = good;
  bad[1234] = 'x';
  std::ofstream(weights, std::ios::binary | std::ios::trunc) << bad;

  auto a = Assignment("rep-bad", "needs-model");
  a.model_path = model_server_->Folder("tiny");  // here, but "always" fetches anyway
  a.model_id = 1;
  ASSERT_TRUE(runner_->Apply(a).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("rep-bad", "BackOff"); })) << Log("rep-bad");
  auto history = History("rep-bad");
  std::optional<cluster::ReplicaStatus> failed;
  for (const auto& s : history)
    if (s.reason == "FetchFailed") failed = s;
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->phase, ReplicaPhase::kFailed);
  EXPECT_NE(failed->message.find("'model.safetensors'"), std::string::npos) << failed->message;
  EXPECT_NE(failed->message.find("checksum mismatch"), std::string::npos) << failed->message;
  EXPECT_EQ(history.back().reason, "BackOff");
  EXPECT_NE(history.back().message.find("; restarting in 1 s"), std::string::npos)
      << history.back().message;
  EXPECT_NE(Log("rep-bad").find("[hai-agent] cannot fetch the model: model 1: file "),
            std::string::npos)
      << Log("rep-bad");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/cache/" +
                                       ModelCache::Key(1, model_source_->Manifest(1)->digest)));

  std::ofstream(weights, std::ios::binary | std::ios::trunc) << good;
  ASSERT_TRUE(WaitPhase("rep-bad", ReplicaPhase::kReady)) << Log("rep-bad");
  EXPECT_EQ(model_cache_->downloads(), 1);
}

}  // namespace
}  // namespace hai::agent
