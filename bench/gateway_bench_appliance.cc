#include "bench/gateway_bench_appliance.h"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/gateway_bench_report.h"
#include "lib/base/random.h"
#include "lib/http/client.h"
#include "lib/http/listening.h"
#include "lib/http/url.h"

namespace hai::bench {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

// The bench's upstream as an engine profile (docs/engine-profiles.md). It
// runs on the CPU, so it may be placed on the simulated devices of the
// embedded nodes; the model path is not used.
constexpr const char* kUpstreamProfile =
    R"(# Written by gateway_bench (bench/gateway_bench_appliance.cc).
name = "gateway-bench-upstream"
display_name = "gateway_bench minimal upstream"
description = "An OpenAI-shaped server that does no work, for measuring the gateway."
categories = ["text-generation"]
vendors = ["ascend", "metax", "hygon", "mthreads", "ppu", "nvidia", "cpu"]
runs_on_simulated_devices = true
command = [
  "{engine_bin_dir}/gateway_bench_upstream",
  "--host", "{host}",
  "--port", "{port}",
  "--served-name", "{served_name}",
]
health_path = "/health"
ready_timeout_s = 60
)";

const std::vector<std::string> kPrograms = {
    "haictl",    "hai-portal", "hai-scheduler", "hai-gateway",
    "hai-agent", "hai-engine", "hai-model",     "gateway_bench_upstream"};

// A base port whose appliance ports nothing listens on, below the ephemeral
// range (the engines take base+100 … base+159).
int FreeBasePort() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    int base = 20000 + static_cast<int>((getpid() * 53 + attempt * 997) % 12000) / 10 * 10;
    bool free = true;
    for (int offset : {0, 1, 2, 3, 4, 10, 11, 12, 100, 120, 140})
      free = free && !http::LoopbackListening(base + offset);
    if (free) return base;
  }
  return 0;
}

Status LinkOrCopy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::Unavailable("cannot copy " + from.string() + ": " + ec.message());
  return Status::Ok();
}

// Symbolic links in `to` to every entry of `from` except `except`.
Status MirrorExcept(const fs::path& from, const fs::path& to, const std::string& except) {
  std::error_code ec;
  fs::create_directories(to, ec);
  for (const fs::directory_entry& e : fs::directory_iterator(from, ec)) {
    if (e.path().filename() == except) continue;
    fs::create_symlink(e.path(), to / e.path().filename(), ec);
    if (ec) return Status::Unavailable("cannot link " + e.path().string() + ": " + ec.message());
  }
  if (ec) return Status::Unavailable("cannot read " + from.string() + ": " + ec.message());
  return Status::Ok();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

OutputDrain::OutputDrain(int fd, std::string prefix) {
  thread_ = std::thread([this, fd, prefix = std::move(prefix)] {
    std::string line;
    char buf[4096];
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 200) < 0 && errno != EINTR) break;
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fd, buf, sizeof(buf));
      if (n <= 0) break;
      for (ssize_t i = 0; i < n; ++i) {
        if (buf[i] != '\n') {
          line += buf[i];
          continue;
        }
        // The ready line carries the admin password: kept, never printed.
        if (line.find("\"ready\":true") == std::string::npos)
          std::fprintf(stderr, "%s%s\n", prefix.c_str(), line.c_str());
        std::lock_guard<std::mutex> lock(mu_);
        lines_.push_back(std::move(line));
        if (lines_.size() > 200) lines_.erase(lines_.begin() + 1);  // keep the first
        line.clear();
      }
    }
    ::close(fd);
    ended_ = true;
  });
}

OutputDrain::~OutputDrain() { Join(); }

void OutputDrain::Join() {
  for (int i = 0; i < 50 && !ended_; ++i) std::this_thread::sleep_for(100ms);
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string OutputDrain::LineWith(const std::string& marker) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& l : lines_)
    if (l.find(marker) != std::string::npos) return l;
  return "";
}

std::string OutputDrain::Tail() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (size_t i = lines_.size() > 10 ? lines_.size() - 10 : 0; i < lines_.size(); ++i)
    out += lines_[i] + "\n";
  return out;
}

Result<std::unique_ptr<Appliance>> Appliance::Start(const std::string& bin_dir,
                                                    const std::string& log_level) {
  std::unique_ptr<Appliance> a(new Appliance());
  HAI_RETURN_IF_ERROR(a->Build(bin_dir));
  HAI_RETURN_IF_ERROR(a->Up(log_level));
  return a;
}

Status Appliance::Build(const std::string& source_bin) {
  const fs::path src_bin = fs::absolute(source_bin);
  const fs::path src_share = src_bin.parent_path() / "share" / "hai";
  if (!fs::exists(src_share / "api" / "openapi.json"))
    return Status::FailedPrecondition("no built share/hai beside " + src_bin.string() +
                                      " (build the hai-portal target)");
  root_ = (src_bin.parent_path() / ("gateway-bench-" + std::to_string(getpid()))).string();
  bin_ = root_ + "/bin";
  data_ = root_ + "/data";
  std::error_code ec;
  fs::remove_all(root_, ec);
  fs::create_directories(bin_, ec);
  if (ec) return Status::Unavailable("cannot create " + bin_ + ": " + ec.message());
  for (const std::string& p : kPrograms) {
    if (!fs::exists(src_bin / p))
      return Status::FailedPrecondition((src_bin / p).string() + " is missing (build it)");
    HAI_RETURN_IF_ERROR(LinkOrCopy(src_bin / p, fs::path(bin_) / p));
  }
  const fs::path share = fs::path(root_) / "share" / "hai";
  HAI_RETURN_IF_ERROR(MirrorExcept(src_share, share, "profiles"));
  HAI_RETURN_IF_ERROR(MirrorExcept(src_share / "profiles", share / "profiles", "engines"));
  HAI_RETURN_IF_ERROR(
      MirrorExcept(src_share / "profiles" / "engines", share / "profiles" / "engines", ""));
  std::ofstream(share / "profiles" / "engines" / "gateway-bench-upstream.toml") << kUpstreamProfile;
  return Status::Ok();
}

Status Appliance::Up(const std::string& log_level) {
  base_ = FreeBasePort();
  if (base_ == 0) return Status::Unavailable("no free loopback port block");
  proc::SpawnOptions spawn{{bin_ + "/haictl", "up", "--data", data_, "--base-port",
                            std::to_string(base_), "--log-level", log_level}};
  spawn.capture_output = true;
  spawn.new_process_group = true;
  HAI_ASSIGN_OR_RETURN(proc::Child child, proc::Child::Spawn(spawn));
  up_ = std::make_unique<proc::Child>(std::move(child));
  output_ = std::make_unique<OutputDrain>(up_->TakeOutputFd(), "  haictl: ");
  const auto started = std::chrono::steady_clock::now();
  std::string line;
  for (int i = 0; i < 3000 && line.empty(); ++i) {  // 300 s at most
    if (up_->Poll()) return Status::Unavailable("haictl up exited before it was ready");
    std::this_thread::sleep_for(100ms);
    line = output_->LineWith("\"ready\":true");
  }
  json ready = json::parse(line, nullptr, false);
  if (ready.is_discarded() || !ready["admin_password"].is_string())
    return Status::Unavailable("haictl up did not get ready within 300 s");
  up_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  admin_password_ = ready["admin_password"].get<std::string>();
  engine_url_ = ready.value("engine", json()).is_string() ? ready["engine"].get<std::string>() : "";
  return Status::Ok();
}

Appliance::~Appliance() {
  if (up_) up_->Terminate(std::chrono::seconds(20));
  output_.reset();
  up_.reset();
  std::error_code ec;
  if (!root_.empty()) fs::remove_all(root_, ec);
}

pid_t Appliance::gateway_pid() const {
  return FindProcess({bin_ + "/hai-gateway", data_ + "/hai.toml"});
}

Status PortalSession::SignIn(const std::string& username, const std::string& password) {
  HAI_ASSIGN_OR_RETURN(json j, Call("POST", "/api/v1/auth/login",
                                    {{"username", username}, {"password", password}}, 200));
  token_ = j.value("token", "");
  if (token_.empty()) return Status::Unavailable("the portal's sign-in answer has no token");
  return Status::Ok();
}

Result<json> PortalSession::Call(const std::string& method, const std::string& path,
                                 const json& body, int expect) {
  http::Client client("127.0.0.1", port_, 30'000);
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token_.empty()) headers.push_back({"Authorization", "Bearer " + token_});
  HAI_ASSIGN_OR_RETURN(http::ClientResponse r,
                       client.Send(method, path, body.is_null() ? "" : body.dump(), headers));
  if (r.status != expect)
    return Status::Unavailable(method + " " + path + " answered " + std::to_string(r.status) +
                               " (expected " + std::to_string(expect) + "): " + r.body);
  json j = json::parse(r.body, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

Result<int64_t> PortalSession::IdOf(const std::string& list_path, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(json list, Call("GET", list_path, nullptr, 200));
  for (const json& item : list.value("items", json::array()))
    if (item.value("name", "") == name) return item.value("id", int64_t{0});
  return Status::NotFound("no '" + name + "' in " + list_path);
}

Result<std::string> CreateInferenceKey(PortalSession& admin, int64_t org_id) {
  // Keys are made by members of the organisation, which the platform admin
  // is not: a developer of it makes the key.
  const std::string username = "gateway-bench-" + std::to_string(getpid());
  const std::string password = RandomPassword(24);
  HAI_RETURN_IF_ERROR(admin
                          .Call("POST", "/api/v1/users",
                                {{"username", username},
                                 {"password", password},
                                 {"org_id", org_id},
                                 {"role", "developer"}},
                                201)
                          .status());
  PortalSession portal(admin.port());
  HAI_RETURN_IF_ERROR(portal.SignIn(username, password));
  HAI_ASSIGN_OR_RETURN(
      json made,
      portal.Call("POST", "/api/v1/api-keys",
                  {{"org_id", org_id}, {"name", "gateway-bench"}, {"scopes", {"inference"}}}, 201));
  std::string key = made.value("key", "");
  if (key.empty()) return Status::Unavailable("the new API key's answer has no key");
  return key;
}

Result<UpstreamReplica> DeployUpstream(PortalSession& portal, int64_t model_id, int64_t org_id,
                                       const std::string& service) {
  HAI_ASSIGN_OR_RETURN(
      json made, portal.Call("POST", "/api/v1/services",
                             {{"name", service}, {"model_id", model_id}, {"org_id", org_id}}, 201));
  UpstreamReplica replica;
  replica.service_id = made.value("id", int64_t{0});
  const std::string path = "/api/v1/services/" + std::to_string(replica.service_id);
  HAI_RETURN_IF_ERROR(portal
                          .Call("POST", path + "/deployments",
                                {{"engine", "gateway-bench-upstream"},
                                 {"vendor", "ascend"},
                                 {"devices_per_replica", 1},
                                 {"replicas", 1}},
                                201)
                          .status());
  for (int i = 0; i < 600; ++i) {  // 120 s at most
    HAI_ASSIGN_OR_RETURN(json list, portal.Call("GET", path + "/replicas", nullptr, 200));
    for (const json& r : list.value("items", json::array())) {
      if (r.value("status", "") != "Ready") continue;
      HAI_ASSIGN_OR_RETURN(http::HttpUrl url,
                           http::ParseHttpUrl(r.value("address", ""), "address"));
      replica.port = url.port;
      return replica;
    }
    std::this_thread::sleep_for(200ms);
  }
  return Status::Unavailable("the upstream replica of " + service + " was not Ready within 120 s");
}

std::string ReplicaState(PortalSession& portal, int64_t service_id) {
  auto list = portal.Call("GET", "/api/v1/services/" + std::to_string(service_id) + "/replicas",
                          nullptr, 200);
  if (!list.ok()) return list.status().message();
  std::string out;
  for (const json& r : list->value("items", json::array())) {
    out += (out.empty() ? "" : "; ") + r.value("status", std::string("?")) + ", " +
           std::to_string(r.value("restarts", 0)) + " restarts";
    if (r.value("restarts", 0) == 0) continue;
    // Why: the replica's events after its first Ready.
    auto events = portal.Call(
        "GET", "/api/v1/replicas/" + std::to_string(r.value("id", int64_t{0})) + "/events", nullptr,
        200);
    if (!events.ok()) continue;
    for (const json& e : events->value("items", json::array()))
      out += "\n    " + e.value("time", std::string()) + " " + e.value("reason", std::string()) +
             ": " + e.value("message", std::string());
  }
  return out.empty() ? "no replica" : out;
}

Status WaitRoutable(int port, const std::string& key, const std::string& body) {
  std::string last;
  for (int i = 0; i < 300; ++i) {  // 60 s at most
    http::Client client("127.0.0.1", port, 10'000);
    auto r =
        client.Send("POST", "/v1/chat/completions", body, {{"Authorization", "Bearer " + key}});
    if (r.ok() && r->status == 200) return Status::Ok();
    last = r.ok() ? std::to_string(r->status) + " " + r->body : r.status().message();
    std::this_thread::sleep_for(200ms);
  }
  return Status::Unavailable("the gateway on port " + std::to_string(port) +
                             " did not route the bench's request within 60 s: " + last);
}

Result<std::unique_ptr<GatewayProcess>> GatewayProcess::Start(const Appliance& appliance,
                                                              int threads) {
  std::unique_ptr<GatewayProcess> g(new GatewayProcess());
  g->dir_ = appliance.data_dir() + "/gateway-bench-" + std::to_string(threads);
  std::error_code ec;
  fs::remove_all(g->dir_, ec);
  fs::create_directories(g->dir_, ec);
  const std::string config = g->dir_ + "/hai.toml";
  std::ofstream(config) << "# gateway_bench's own hai-gateway: only the thread count differs.\n"
                        << "[log]\nlevel = \"warning\"\n[cluster]\ntoken_file = \""
                        << appliance.data_dir() << "/cluster-token\"\nportal_url = "
                        << "\"http://127.0.0.1:" << appliance.portal_port()
                        << "\"\nscheduler_url = \"http://127.0.0.1:" << appliance.scheduler_port()
                        << "\"\n[gateway]\nport = 0\nthreads = " << threads << "\n";
  proc::SpawnOptions spawn{{appliance.bin_dir() + "/hai-gateway", "--config", config,
                            "--ready-file", g->dir_ + "/ready.json"}};
  spawn.capture_output = true;
  HAI_ASSIGN_OR_RETURN(proc::Child child, proc::Child::Spawn(spawn));
  g->child_ = std::make_unique<proc::Child>(std::move(child));
  g->output_ = std::make_unique<OutputDrain>(g->child_->TakeOutputFd(), "  hai-gateway: ");
  for (int i = 0; i < 600 && !fs::exists(g->dir_ + "/ready.json"); ++i) {  // 30 s
    if (auto status = g->child_->Poll()) {
      g->output_->Join();
      return Status::Unavailable("hai-gateway (threads = " + std::to_string(threads) +
                                 ") exited with status " + std::to_string(*status) + ": " +
                                 g->output_->Tail());
    }
    std::this_thread::sleep_for(50ms);
  }
  json ready = json::parse(ReadFile(g->dir_ + "/ready.json"), nullptr, false);
  if (ready.is_discarded() || !ready["port"].is_number_integer())
    return Status::Unavailable("hai-gateway did not start within 30 s");
  g->port_ = ready["port"].get<int>();
  for (int i = 0; i < 300; ++i) {  // 30 s: until the routing table has arrived
    http::Client client("127.0.0.1", g->port_, 2000);
    auto r = client.Send("GET", "/healthz");
    if (r.ok() && r->status == 200) return g;
    std::this_thread::sleep_for(100ms);
  }
  return Status::Unavailable("hai-gateway got no routing table within 30 s");
}

GatewayProcess::~GatewayProcess() {
  if (child_) child_->Terminate(std::chrono::seconds(10));
  output_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace hai::bench
