// A real hai-agent process running engine replicas: the real hai-engine on a
// tiny checkpoint made by hai-model, and hai-test-engine. The scheduler side
// is a small HTTP server in this test that accepts registration and
// heartbeats and records the replica reports the agent sends. Every wait is
// bounded; nothing asserts how long anything took.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "daemons/agent/tests/process_testing.h"
#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/cluster/replica_wire.h"
#include "lib/http/client.h"
#include "lib/http/server.h"
#include "lib/proc/child.h"
#include "lib/proc/proc_table.h"

namespace hai::agent {
namespace {

using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string kBin = HAI_TEST_BIN_DIR;
using testing::ReadFile;
using testing::Running;
using testing::WaitFor;

// Stands in for hai-scheduler's node routes: accepts the agent and keeps
// every replica report it sends.
class ReportRecorder {
 public:
  ReportRecorder() {
    router_.Add("POST", "/internal/v1/nodes/register", [](http::Request&) {
      return http::Response::Json(200, {{"status", "Ready"}});
    });
    router_.Add("POST", "/internal/v1/nodes/{name}/heartbeat", [](http::Request&) {
      return http::Response::Json(200, {{"ok", true}});
    });
    router_.Add("POST", "/internal/v1/nodes/{name}/replicas", [this](http::Request& req) {
      auto report = cluster::ReplicaReportFromJson(nlohmann::json::parse(req.body, nullptr, false));
      if (!report.ok()) {
        ADD_FAILURE() << "malformed report: " << report.status().ToString() << " " << req.body;
        return http::Response::Error(report.status());
      }
      EXPECT_EQ(report->node, req.Param("name"));
      std::lock_guard lock(mu_);
      reports_.push_back(std::move(*report));
      return http::Response::Json(200, {{"ok", true}});
    });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  int port() const { return server_->port(); }
  std::vector<cluster::ReplicaReport> reports() {
    std::lock_guard lock(mu_);
    return reports_;
  }
  void Clear() {
    std::lock_guard lock(mu_);
    reports_.clear();
  }
  bool Saw(const std::string& id, const std::string& reason) {
    for (const auto& r : reports())
      for (const auto& s : r.replicas)
        if (s.replica_id == id && s.reason == reason) return true;
    return false;
  }

 private:
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::vector<cluster::ReplicaReport> reports_;
};

class AgentProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("hai-agent-test-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/engines");
    token_ = RandomToken(32);
    ASSERT_TRUE(WriteSecretFile(dir_ + "/cluster-token", token_).ok());
    // The shipped builtin profile and the test engine's, side by side.
    std::filesystem::copy_file(HAI_SOURCE_DIR "/profiles/engines/builtin.toml",
                               dir_ + "/engines/builtin.toml");
    std::filesystem::copy_file(HAI_AGENT_TESTDATA "/engines/test-engine.toml",
                               dir_ + "/engines/test-engine.toml");
    int first = 26000 + (getpid() % 150) * 40;  // below the ephemeral range
    std::ofstream(dir_ + "/agent.toml")
        << "[log]\nlevel = \"info\"\n[agent]\nnode_name = \"node-1\"\nport = 0\n"
        << "scheduler_url = \"http://127.0.0.1:" << scheduler_.port() << "\"\n"
        << "heartbeat_interval_ms = 300\ndata_dir = \"" << dir_ << "\"\n"
        << "engine_profiles_dir = \"" << dir_ << "/engines\"\n"
        << "engine_port_first = " << first << "\nengine_port_last = " << first + 39 << "\n"
        << "restart_backoff_s = 1\nrestart_backoff_max_s = 4\nstop_grace_s = 3\n";
    StartAgent();
  }
  void TearDown() override {
    StopAgent();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }
  void StartAgent() {
    std::filesystem::remove(dir_ + "/ready.json");
    // Through sh only to send stderr to a file; exec keeps one process.
    proc::SpawnOptions o{
        {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>>\"$HAI_TEST_LOG\"", kBin + "/hai-agent",
         "--config", dir_ + "/agent.toml", "--ready-file", dir_ + "/ready.json"},
        {"HAI_TEST_LOG=" + dir_ + "/agent.log"}};
    auto child = proc::Child::Spawn(o);
    ASSERT_TRUE(child.ok()) << child.status().ToString();
    agent_ = std::make_unique<proc::Child>(std::move(*child));
    ASSERT_TRUE(WaitFor([&] {
      return std::filesystem::exists(dir_ + "/ready.json") || agent_->Poll();
    })) << AgentLog();
    ASSERT_FALSE(agent_->Poll().has_value()) << AgentLog();
    port_ = nlohmann::json::parse(ReadFile(dir_ + "/ready.json"))["port"];
  }
  void StopAgent() {
    if (!agent_) return;
    int status = agent_->Terminate(std::chrono::seconds(20));
    if (!agent_->term_signal() || *agent_->term_signal() != SIGKILL) {
      EXPECT_EQ(status, 0) << AgentLog();
    }
    std::string log = AgentLog();
    for (const char* report : {"AddressSanitizer", "LeakSanitizer", "runtime error:"})
      EXPECT_EQ(log.find(report), std::string::npos) << log;
    agent_.reset();
  }
  std::string AgentLog() { return ReadFile(dir_ + "/agent.log"); }

  struct Reply {
    int status = 0;
    nlohmann::json body;
    std::string raw;
    http::ClientResponse response;
  };
  Reply Send(const std::string& method, const std::string& path, const std::string& body = "",
             bool auth = true) {
    http::Client client("127.0.0.1", port_, 20000);
    Headers h;
    if (auth) h.emplace_back("Authorization", "Bearer " + token_);
    auto r = client.Send(method, path, body, h);
    Reply reply;
    if (!r.ok()) {
      ADD_FAILURE() << method << " " << path << ": " << r.status().ToString();
      return reply;
    }
    reply.status = r->status;
    reply.raw = r->body;
    reply.body = nlohmann::json::parse(r->body, nullptr, false);
    reply.response = *r;
    return reply;
  }
  Reply Put(const cluster::ReplicaAssignment& a) {
    return Send("PUT", "/internal/v1/replicas/" + a.replica_id, cluster::ToJson(a).dump());
  }
  nlohmann::json Replica(const std::string& id) {
    Reply r = Send("GET", "/internal/v1/replicas/" + id);
    return r.status == 200 ? r.body : nlohmann::json(nullptr);
  }
  bool WaitReady(const std::string& id, int restarts, std::chrono::seconds limit = 120s) {
    return WaitFor(
        [&] {
          nlohmann::json r = Replica(id);
          return r.is_object() && r["phase"] == "Ready" && r["restarts"] == restarts;
        },
        limit);
  }
  std::string EngineLog(const std::string& id) {
    return ReadFile(dir_ + "/replicas/node-1/" + id + "/engine.log");
  }
  cluster::ReplicaAssignment TestEngine(const std::string& id) {
    cluster::ReplicaAssignment a;
    a.replica_id = id;
    a.deployment_id = "dep-t";
    a.service = "test";
    a.engine = "test-engine";
    a.model_path = "/nonexistent/model";
    return a;
  }

  std::string dir_, token_;
  ReportRecorder scheduler_;
  std::unique_ptr<proc::Child> agent_;
  int port_ = 0;
};

// The builtin profile launches the real hai-engine on simulated Ascend
// devices; the replica serves, survives a kill -9, shows its log and
// processes, and leaves nothing behind when deleted.
TEST_F(AgentProcessTest, RunsTheBuiltinEngineThroughItsWholeLife) {
  std::string model = dir_ + "/model";
  auto init =
      proc::Child::Spawn({{kBin + "/hai-model", "init", "--out",    model, "--arch",  "qwen2",
                           "--layers",          "2",    "--hidden", "64",  "--heads", "4",
                           "--kv-heads",        "2",    "--vocab",  "512", "--seed",  "7",
                           "--max-position",    "160"}});
  ASSERT_TRUE(init.ok());
  ASSERT_TRUE(WaitFor([&] { return init->Poll().has_value(); }, 120s));
  ASSERT_EQ(init->Poll(), 0);

  cluster::ReplicaAssignment a;
  a.replica_id = "rep-demo";
  a.deployment_id = "dep-1";
  a.service = "chat";
  a.engine = "builtin";
  a.model_path = model;
  a.vendor = accel::Vendor::kAscend;
  a.device_ids = {0, 1};
  a.simulated = true;
  a.params = {{"threads", "1"}};
  Reply put = Put(a);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["replica_id"], "rep-demo");
  ASSERT_TRUE(WaitReady("rep-demo", 0)) << Replica("rep-demo").dump() << EngineLog("rep-demo");
  nlohmann::json ready = Replica("rep-demo");
  int engine_port = ready["port"];
  pid_t first_pid = ready["pid"];
  EXPECT_EQ(ready["address"], "http://127.0.0.1:" + std::to_string(engine_port));
  EXPECT_EQ(ready["engine"], "builtin");
  EXPECT_EQ(ready["deployment_id"], "dep-1");
  EXPECT_TRUE(WaitFor([&] { return scheduler_.Saw("rep-demo", "Ready"); }));

  // It serves.
  nlohmann::json completion = {
      {"model", "chat"}, {"prompt", "hello"}, {"max_tokens", 4}, {"temperature", 0}};
  http::Client engine("127.0.0.1", engine_port, 60000);
  auto served = engine.Send("POST", "/v1/completions", completion.dump());
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  ASSERT_EQ(served->status, 200) << served->body;
  EXPECT_TRUE(nlohmann::json::parse(served->body)["choices"][0]["text"].is_string());

  // The process list is the engine's group.
  Reply processes = Send("GET", "/internal/v1/replicas/rep-demo/processes");
  ASSERT_EQ(processes.status, 200) << processes.raw;
  ASSERT_GE(processes.body["items"].size(), 1u) << processes.raw;
  nlohmann::json leader = processes.body["items"][0];
  EXPECT_EQ(leader["pid"], first_pid);
  EXPECT_NE(leader["command"].get<std::string>().find("hai-engine --model " + model),
            std::string::npos)
      << leader;
  EXPECT_GT(leader["rss_bytes"].get<int64_t>(), 0);
  EXPECT_GE(leader["uptime_s"].get<int64_t>(), 0);
  EXPECT_TRUE(leader["state"].is_string());
  EXPECT_TRUE(leader["ppid"].is_number_integer());

  // kill -9: reported Crashed, restarted once, Ready again. (On the same
  // port unless the dead engine's connections still hold it: ours does, so
  // the reported address is what counts.)
  ASSERT_EQ(kill(first_pid, SIGKILL), 0);
  ASSERT_TRUE(WaitReady("rep-demo", 1)) << Replica("rep-demo").dump() << EngineLog("rep-demo");
  nlohmann::json again = Replica("rep-demo");
  EXPECT_NE(again["pid"], first_pid);
  EXPECT_EQ(again["address"], "http://127.0.0.1:" + std::to_string(again["port"].get<int>()));
  EXPECT_EQ(again["signal"], 9);
  EXPECT_TRUE(WaitFor([&] { return scheduler_.Saw("rep-demo", "Crashed"); }));
  EXPECT_TRUE(scheduler_.Saw("rep-demo", "BackOff"));
  EXPECT_TRUE(WaitFor([&] { return scheduler_.Saw("rep-demo", "Restarted"); }));
  bool crashed_by_signal = false;
  for (const auto& r : scheduler_.reports())
    for (const auto& s : r.replicas)
      if (s.replica_id == "rep-demo" && s.reason == "Crashed")
        crashed_by_signal = s.message == "killed by signal 9" && s.signal == 9;
  EXPECT_TRUE(crashed_by_signal);
  http::Client restarted("127.0.0.1", again["port"].get<int>(), 60000);
  served = restarted.Send("POST", "/v1/completions", completion.dump());
  ASSERT_TRUE(served.ok()) << served.status().ToString();
  EXPECT_EQ(served->status, 200) << served->body;

  // The log: a tail, a download, and a follow that sees lines as they come
  // (the engine logs every health probe's request).
  Reply tail = Send("GET", "/internal/v1/replicas/rep-demo/logs?tail=5");
  ASSERT_EQ(tail.status, 200) << tail.raw;
  EXPECT_EQ(tail.response.Header("Content-Type").rfind("text/plain", 0), 0u);
  long lines = std::count(tail.raw.begin(), tail.raw.end(), '\n');
  EXPECT_GE(lines, 1);
  EXPECT_LE(lines, 5);
  Reply whole = Send("GET", "/internal/v1/replicas/rep-demo/logs?download=true");
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.response.Header("Content-Disposition"),
            "attachment; filename=\"rep-demo-engine.log\"");
  EXPECT_NE(whole.raw.find("[hai-agent] starting generation 1: "), std::string::npos);
  EXPECT_NE(whole.raw.find("[hai-agent] engine killed by signal 9"), std::string::npos);
  EXPECT_NE(whole.raw.find("[hai-agent] starting generation 1 (restart)"), std::string::npos);
  {
    http::Client follower("127.0.0.1", port_, 30000);
    std::string streamed;
    auto r =
        follower.SendStreaming("GET", "/internal/v1/replicas/rep-demo/logs?tail=1&follow=true", "",
                               {{"Authorization", "Bearer " + token_}}, [&](std::string_view d) {
                                 streamed.append(d);
                                 // The tail line, then at least one line written later.
                                 return std::count(streamed.begin(), streamed.end(), '\n') < 3;
                               });
    EXPECT_FALSE(r.ok()) << "the stream ends only when the client leaves";
    EXPECT_GE(std::count(streamed.begin(), streamed.end(), '\n'), 3) << streamed;
  }

  // The replica gauges.
  Reply metrics = Send("GET", "/metrics", "", false);
  EXPECT_NE(metrics.raw.find("hai_agent_replica_phase{node=\"node-1\",replica=\"rep-demo\","
                             "deployment=\"dep-1\",phase=\"Ready\"} 1"),
            std::string::npos)
      << metrics.raw;
  EXPECT_NE(metrics.raw.find("hai_agent_replica_restarts{node=\"node-1\",replica=\"rep-demo\","
                             "deployment=\"dep-1\"} 1"),
            std::string::npos);

  // DELETE: stopped, reported Stopped once, forgotten, nothing of it left.
  pid_t second_pid = again["pid"];
  Reply del = Send("DELETE", "/internal/v1/replicas/rep-demo");
  ASSERT_EQ(del.status, 200) << del.raw;
  ASSERT_TRUE(WaitFor([&] { return Send("GET", "/internal/v1/replicas/rep-demo").status == 404; }));
  EXPECT_TRUE(WaitFor([&] { return scheduler_.Saw("rep-demo", "Stopped"); }));
  EXPECT_FALSE(Running(second_pid));
  EXPECT_TRUE(proc::ProcTable().InGroup(second_pid).empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/replicas/node-1/rep-demo"));
  EXPECT_EQ(Send("GET", "/internal/v1/replicas").body["total"], 0);
  EXPECT_EQ(Send("DELETE", "/internal/v1/replicas/rep-demo").status, 404);
}

// Killed with SIGKILL, the agent takes its engine with it (parent-death
// signal); a worker the engine started is killed when the agent starts again,
// and the new agent reports that it runs nothing.
TEST_F(AgentProcessTest, AKilledAgentLeavesNoEngineBehind) {
  auto a = TestEngine("rep-orphan");
  a.params = {{"child", "1"}};
  ASSERT_EQ(Put(a).status, 200);
  ASSERT_TRUE(WaitReady("rep-orphan", 0)) << EngineLog("rep-orphan");
  pid_t leader = Replica("rep-orphan")["pid"];
  ASSERT_TRUE(WaitFor([&] { return proc::ProcTable().InGroup(leader).size() == 2; }));
  auto members = proc::ProcTable().InGroup(leader);

  agent_->Signal(SIGKILL);
  ASSERT_TRUE(WaitFor([&] { return agent_->Poll().has_value(); }));
  ASSERT_TRUE(WaitFor([&] { return !Running(leader); })) << "the engine outlived its agent";

  scheduler_.Clear();
  StartAgent();
  for (const auto& p : members) EXPECT_FALSE(Running(p.pid)) << "left running: " << p.pid;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/replicas/node-1/rep-orphan"));
  EXPECT_EQ(Send("GET", "/internal/v1/replicas").body["total"], 0);
  ASSERT_TRUE(WaitFor([&] { return !scheduler_.reports().empty(); }));
  EXPECT_TRUE(scheduler_.reports().front().replicas.empty());
  EXPECT_NE(AgentLog().find("killed an engine process left by a previous run"), std::string::npos);
}

TEST_F(AgentProcessTest, FollowingALogEndsWhenTheReplicaIsDeleted) {
  auto a = TestEngine("rep-follow");
  ASSERT_EQ(Put(a).status, 200);
  ASSERT_TRUE(WaitReady("rep-follow", 0)) << EngineLog("rep-follow");
  int engine_port = Replica("rep-follow")["port"];
  std::string streamed;
  std::mutex mu;
  std::atomic<bool> ended{false};
  std::thread follow([&] {
    http::Client follower("127.0.0.1", port_, 60000);
    auto r =
        follower.SendStreaming("GET", "/internal/v1/replicas/rep-follow/logs?tail=0&follow=1", "",
                               {{"Authorization", "Bearer " + token_}}, [&](std::string_view d) {
                                 std::lock_guard lock(mu);
                                 streamed.append(d);
                                 return true;
                               });
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    ended = true;
  });
  auto seen = [&](const std::string& text) {
    std::lock_guard lock(mu);
    return streamed.find(text) != std::string::npos;
  };
  http::Client engine("127.0.0.1", engine_port, 5000);
  // Said until the follower has it (it may connect after the first try).
  EXPECT_TRUE(WaitFor([&] {
    (void)engine.Send("GET", "/say?text=hello-follower");
    return seen("said hello-follower");
  }));
  EXPECT_FALSE(seen("stdout line 0")) << "tail=0: nothing from before";
  EXPECT_EQ(Send("DELETE", "/internal/v1/replicas/rep-follow").status, 200);
  EXPECT_TRUE(WaitFor([&] { return ended.load(); })) << "the stream did not end";
  follow.join();
  EXPECT_TRUE(seen("[hai-agent] stopping the engine: the replica was deleted"));
}

TEST_F(AgentProcessTest, RefusesBadRequests) {
  auto a = TestEngine("rep-bad");
  EXPECT_EQ(Send("PUT", "/internal/v1/replicas/rep-bad", cluster::ToJson(a).dump(), false).status,
            401);
  EXPECT_EQ(Send("GET", "/internal/v1/replicas", "", false).status, 401);
  Reply r = Send("PUT", "/internal/v1/replicas/rep-bad", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.body["error"]["message"].is_string());
  r = Send("PUT", "/internal/v1/replicas/rep-other", cluster::ToJson(a).dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "replica_id");
  nlohmann::json j = cluster::ToJson(a);
  j["vendor"] = "acme";
  r = Send("PUT", "/internal/v1/replicas/rep-bad", j.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "vendor");
  j = cluster::ToJson(a);
  j.erase("generation");
  EXPECT_EQ(Send("PUT", "/internal/v1/replicas/rep-bad", j.dump()).body["error"]["field"],
            "generation");
  EXPECT_EQ(Send("GET", "/internal/v1/replicas").body["total"], 0) << "nothing half-stored";

  r = Send("GET", "/internal/v1/replicas/rep-none/logs");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["error"]["code"], "not_found") << r.raw;
  EXPECT_EQ(Send("GET", "/internal/v1/replicas/rep-none/processes").status, 404);
  EXPECT_EQ(Send("DELETE", "/internal/v1/replicas/rep-none").status, 404);

  ASSERT_EQ(Put(a).status, 200);
  for (const char* q :
       {"tail=abc", "tail=-1", "tail=10001", "follow=maybe", "follow=true&download=true"}) {
    r = Send("GET", std::string("/internal/v1/replicas/rep-bad/logs?") + q);
    EXPECT_EQ(r.status, 400) << q;
  }
  EXPECT_EQ(Send("GET", "/internal/v1/replicas/rep-bad/logs?tail=10000").status, 200);
  // An older generation is refused; the running one stays.
  a.generation = 3;
  ASSERT_EQ(Put(a).status, 200);
  a.generation = 2;
  r = Put(a);
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_TRUE(WaitFor([&] { return Replica("rep-bad")["generation"] == 3; }));
}

}  // namespace
}  // namespace hai::agent
