// Deploy → first Ready replica of the demo model, through the whole
// appliance (`haictl up`: portal, scheduler, three agents), split into
//   schedule  POST …/deployments → the controller's Scheduled event
//   spawn     Scheduled → the agent's Starting report (assignment sent, process forked)
//   load      engine process start → model loaded (the engine's own since_start_ms)
//   ready     loaded → Ready (health probe and report)
// and against the reference measured in the same run: the same hai-engine
// started by hand on the same model and polled on /health every 5 ms, the
// floor no platform can go below. Goal (issue M1-4): total ≤ 5 s.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "lib/base/time_format.h"
#include "lib/http/client.h"
#include "lib/http/listening.h"
#include "lib/proc/child.h"

namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A base port whose daemon ports nothing listens on, below the ephemeral range.
int FreeBase() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    int base = 20000 + static_cast<int>((getpid() * 37 + attempt * 991) % 12000) / 10 * 10;
    bool free = true;
    for (int offset : {0, 2, 10, 11, 12, 100, 120, 140})
      free = free && !hai::http::LoopbackListening(base + offset);
    if (free) return base;
  }
  return 0;
}

class Portal {
 public:
  explicit Portal(int port) : port_(port) {}
  void SignIn(const std::string& password) {
    token_ = Call("POST", "/api/v1/auth/login", {{"username", "admin"}, {"password", password}})
                 .value("token", "");
  }
  json Call(const std::string& method, const std::string& path, const json& body = nullptr,
            int* status = nullptr) {
    hai::http::Client client("127.0.0.1", port_, 30'000);
    auto r = client.Send(method, path, body.is_null() ? "" : body.dump(),
                         {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}});
    if (status) *status = r.ok() ? r->status : 0;
    if (!r.ok()) return nullptr;
    json j = json::parse(r->body, nullptr, false);
    return j.is_discarded() ? json(r->body) : j;
  }

 private:
  int port_;
  std::string token_;
};

struct Split {
  double schedule = 0, spawn = 0, load = 0, ready = 0, total = 0;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// The engine's "model loaded" log line: since_start_ms=…
std::optional<double> SinceStartMs(const std::string& log) {
  size_t at = log.find("model loaded");
  if (at == std::string::npos) return std::nullopt;
  size_t key = log.find("since_start_ms=", at);
  if (key == std::string::npos) return std::nullopt;
  return std::stod(log.substr(key + 15));
}

std::optional<Split> DeployOnce(Portal& portal, int64_t model_id, int64_t org_id, int run) {
  int status = 0;
  json service = portal.Call("POST", "/api/v1/services",
                             {{"name", "bench-" + std::to_string(getpid()) + "-" + std::to_string(run)},
                              {"model_id", model_id},
                              {"org_id", org_id}},
                             &status);
  if (status != 201) {
    std::fprintf(stderr, "deploy_bench: creating the service failed: %s\n", service.dump().c_str());
    return std::nullopt;
  }
  const std::string path = "/api/v1/services/" + std::to_string(service["id"].get<int64_t>());
  const int64_t t0 = NowMs();
  json d = portal.Call("POST", path + "/deployments",
                       {{"engine", "builtin"}, {"vendor", "ascend"}, {"devices_per_replica", 1}, {"replicas", 1}},
                       &status);
  if (status != 201) {
    std::fprintf(stderr, "deploy_bench: deploying failed: %s\n", d.dump().c_str());
    return std::nullopt;
  }
  json replica;
  for (int i = 0; i < 6000 && replica.is_null(); ++i) {  // 120 s at most
    json list = portal.Call("GET", path + "/replicas");
    for (const json& r : list.value("items", json::array()))
      if (r.value("status", "") == "Ready") replica = r;
    if (replica.is_null()) std::this_thread::sleep_for(20ms);
  }
  std::optional<Split> split;
  if (replica.is_null()) {
    std::fprintf(stderr, "deploy_bench: no Ready replica within 120 s\n");
  } else {
    const std::string rep = "/api/v1/replicas/" + std::to_string(replica["id"].get<int64_t>());
    std::map<std::string, int64_t> at;  // first time of each reason
    for (const json& e : portal.Call("GET", rep + "/events").value("items", json::array())) {
      int64_t t = hai::ParseTime(e.value("time", "")).value_or(-1);
      std::string reason = e.value("reason", "");
      if (!at.count(reason) || t < at[reason]) at[reason] = t;
    }
    json log = portal.Call("GET", rep + "/logs?tail=200");
    std::optional<double> loaded = SinceStartMs(log.is_string() ? log.get<std::string>() : log.dump());
    if (!at.count("Scheduled") || !at.count("Starting") || !at.count("Ready") || !loaded) {
      std::fprintf(stderr, "deploy_bench: events or the engine's load line are missing\n");
    } else {
      Split s;
      s.schedule = static_cast<double>(at["Scheduled"] - t0);
      s.spawn = static_cast<double>(at["Starting"] - at["Scheduled"]);
      s.load = *loaded;
      s.ready = static_cast<double>(at["Ready"] - at["Starting"]) - *loaded;
      s.total = static_cast<double>(at["Ready"] - t0);
      split = s;
    }
  }
  // Gone before the next run, so each one starts on the same free devices.
  portal.Call("DELETE", path);
  for (int i = 0; i < 1500; ++i) {  // 30 s at most
    portal.Call("GET", path, nullptr, &status);
    if (status == 404) break;
    std::this_thread::sleep_for(20ms);
  }
  return split;
}

// The reference: hai-engine started by hand, /health polled every 5 ms.
std::optional<double> BareEngineMs(const std::string& bin, const std::string& model, int port) {
  const auto t0 = std::chrono::steady_clock::now();
  hai::proc::SpawnOptions spawn{{bin + "/hai-engine", "--model", model, "--served-name", "demo",
                                 "--host", "127.0.0.1", "--port", std::to_string(port),
                                 "--log-level", "warning"},
                                {"OMP_WAIT_POLICY=PASSIVE"}};
  spawn.stdout_to_stderr = true;
  auto child = hai::proc::Child::Spawn(spawn);
  if (!child.ok()) return std::nullopt;
  for (int i = 0; i < 24000; ++i) {  // 120 s at most
    hai::http::Client client("127.0.0.1", port, 1000);
    auto r = client.Send("GET", "/health");
    if (r.ok() && r->status == 200) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      child->Terminate(std::chrono::seconds(10));
      return ms;
    }
    if (child->Poll()) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Deploy → first Ready replica of the demo model through haictl up"};
  std::string bin = fs::path(argv[0]).parent_path().string();
  int runs = 5;
  app.add_option("--bin-dir", bin, "where haictl and the daemons are (default: beside this program)");
  app.add_option("--runs", runs, "deployments to time")->check(CLI::Range(1, 50));
  CLI11_PARSE(app, argc, argv);

  const int base = FreeBase();
  if (base == 0) {
    std::fprintf(stderr, "deploy_bench: no free loopback port block\n");
    return 1;
  }
  const std::string data = (fs::temp_directory_path() / ("hai-deploy-bench-" + std::to_string(getpid()))).string();
  hai::proc::SpawnOptions spawn{{bin + "/haictl", "up", "--data", data, "--base-port",
                                 std::to_string(base), "--log-level", "warning"}};
  spawn.capture_output = true;
  spawn.new_process_group = true;
  auto up = hai::proc::Child::Spawn(spawn);
  if (!up.ok()) {
    std::fprintf(stderr, "deploy_bench: %s\n", up.status().ToString().c_str());
    return 1;
  }
  // haictl's output: the ready line, then whatever it logs (drained so the
  // pipe never fills).
  std::mutex mu;
  std::string ready_line;  // GUARDED_BY(mu)
  std::thread drain([fd = up->output_fd(), &mu, &ready_line] {
    std::string line;
    char c;
    bool found = false;
    while (::read(fd, &c, 1) == 1) {
      if (c != '\n') {
        line += c;
        continue;
      }
      if (!found && line.find("\"ready\":true") != std::string::npos) {
        std::lock_guard<std::mutex> lock(mu);
        ready_line = line;
        found = true;
      } else if (!found) {
        std::fprintf(stderr, "  haictl: %s\n", line.c_str());
      }
      line.clear();
    }
  });
  // Every way out stops the appliance (its pipe then closes, ending the
  // drain) and removes its data.
  auto finish = [&](int code) {
    up->Terminate(std::chrono::seconds(20));
    drain.join();
    fs::remove_all(data);
    return code;
  };
  const auto up_started = std::chrono::steady_clock::now();
  auto ready_text = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return ready_line;
  };
  for (int i = 0; i < 3000 && ready_text().empty() && !up->Poll(); ++i)
    std::this_thread::sleep_for(100ms);
  json ready = json::parse(ready_text(), nullptr, false);
  if (ready.is_discarded() || !ready["admin_password"].is_string()) {
    std::fprintf(stderr, "deploy_bench: haictl up did not get ready\n");
    return finish(1);
  }
  const double up_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - up_started).count();

  Portal portal(base);
  portal.SignIn(ready["admin_password"]);
  int64_t model_id = 0, org_id = 0;
  for (const json& m : portal.Call("GET", "/api/v1/models?q=demo").value("items", json::array()))
    if (m.value("name", "") == "demo") model_id = m["id"];
  for (const json& o : portal.Call("GET", "/api/v1/orgs").value("items", json::array()))
    if (o.value("name", "") == "demo") org_id = o["id"];

  std::printf("deploy_bench: haictl up ready in %.1f s (base port %d); %d deployment(s) of the demo model\n",
              up_s, base, runs);
  std::printf("%-4s %9s %9s %9s %9s %9s\n", "run", "schedule", "spawn", "load", "ready", "total");
  std::vector<double> sched, spawn_ms, load, readyv, total;
  for (int run = 1; run <= runs; ++run) {
    std::optional<Split> s = DeployOnce(portal, model_id, org_id, run);
    if (!s) return finish(1);
    std::printf("%-4d %7.0fms %7.0fms %7.0fms %7.0fms %7.0fms\n", run, s->schedule, s->spawn, s->load,
                s->ready, s->total);
    sched.push_back(s->schedule);
    spawn_ms.push_back(s->spawn);
    load.push_back(s->load);
    readyv.push_back(s->ready);
    total.push_back(s->total);
  }
  std::printf("%-4s %7.0fms %7.0fms %7.0fms %7.0fms %7.0fms\n", "p50", Median(sched), Median(spawn_ms),
              Median(load), Median(readyv), Median(total));

  std::vector<double> bare;
  for (int run = 0; run < std::min(runs, 3); ++run)
    if (auto ms = BareEngineMs(bin, data + "/models/demo", base + 99)) bare.push_back(*ms);
  if (bare.empty()) {
    std::fprintf(stderr, "deploy_bench: the reference engine did not start\n");
    return finish(1);
  }
  std::printf("reference: hai-engine by hand → /health 200: p50 %.0f ms\n", Median(bare));
  std::printf("deploy → first Ready p50 %.2f s (goal ≤ 5 s); %.2f× the bare engine start\n",
              Median(total) / 1000, Median(total) / Median(bare));
  return finish(0);
}
