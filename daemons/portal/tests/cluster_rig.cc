#include "daemons/portal/tests/cluster_rig.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "daemons/portal/tests/portal_process.h"
#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/http/client.h"

namespace hai::portal::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool Free(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return free;
}

}  // namespace

int ClusterRig::FreePort() {
  static std::atomic<int> calls{0};
  for (int attempt = 0; attempt < 500; ++attempt) {
    int port = 20000 + static_cast<int>((getpid() * 131 + (calls++) * 997 + attempt * 7) % 12000);
    if (Free(port)) return port;
  }
  return 0;
}

ClusterRig::ClusterRig(Options options) {
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          ("hai-rig-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
             .string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  token_file_ = options.token_file.empty() ? dir_ + "/cluster-token" : options.token_file;
  if (options.token_file.empty()) {
    token_ = RandomToken(32);
    if (!WriteSecretFile(token_file_, token_).ok()) {
      ADD_FAILURE() << "cannot write the cluster token";
      return;
    }
  } else {
    token_ = ReadFile(token_file_);
    token_ = token_.substr(0, token_.find('\n'));
  }
  const std::string data = options.data_dir.empty() ? dir_ : options.data_dir;
  std::ofstream(dir_ + "/scheduler.toml")
      << "[log]\nlevel = \"warning\"\n[scheduler]\nport = " << options.port
      << "\nheartbeat_timeout_ms = 1500\ndata_dir = \"" << data << "\"\n[cluster]\ntoken_file = \""
      << token_file_ << "\"\n";
  scheduler_ = std::make_unique<proc::Child>(
      proc::Child::Spawn({{BinDir() + "/hai-scheduler", "--config", dir_ + "/scheduler.toml",
                           "--ready-file", dir_ + "/scheduler-ready.json"}})
          .value());
  for (int i = 0; i < 300 && !std::filesystem::exists(dir_ + "/scheduler-ready.json"); ++i) {
    if (scheduler_->Poll()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string ready = ReadFile(dir_ + "/scheduler-ready.json");
  if (ready.empty()) {
    ADD_FAILURE() << "hai-scheduler did not start";
    return;
  }
  port_ = nlohmann::json::parse(ready)["port"].get<int>();
  for (size_t i = 0; i < options.profiles.size(); ++i) {
    std::string cfg = dir_ + "/agent-" + std::to_string(i + 1) + ".toml";
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[agent]\nnode_name = \"node-" << i + 1
                       << "\"\nport = 0\nscheduler_url = \"http://127.0.0.1:" << port_
                       << "\"\nheartbeat_interval_ms = 300\ndata_dir = \"" << dir_
                       << "\"\nprofile = \"" << SourceDir() << "/profiles/nodes/"
                       << options.profiles[i] << "\"\n";
    if (options.run_engines) {
      // Ports taken by something else are skipped by the agent, so a range
      // spread by pid is enough to keep parallel tests apart.
      const int first = 27000 + static_cast<int>(::getpid() % 400) * 20 + static_cast<int>(i) * 5;
      std::ofstream(cfg, std::ios::app)
          << "engine_profiles_dir = \"" << SourceDir() << "/profiles/engines\"\n"
          << "engine_port_first = " << first << "\nengine_port_last = " << first + 4
          << "\nstop_grace_s = 5\n";
    }
    std::ofstream(cfg, std::ios::app) << "[cluster]\ntoken_file = \"" << token_file_ << "\"\n";
    agents_.push_back(std::make_unique<proc::Child>(
        proc::Child::Spawn({{BinDir() + "/hai-agent", "--config", cfg}}).value()));
  }
}

ClusterRig::~ClusterRig() {
  for (auto& agent : agents_)
    if (agent) agent->Terminate(std::chrono::seconds(10));
  agents_.clear();
  if (scheduler_) scheduler_->Terminate(std::chrono::seconds(10));
  std::filesystem::remove_all(dir_);
}

std::string ClusterRig::PortalConfig() const {
  return "\n[cluster]\nscheduler_url = \"http://127.0.0.1:" + std::to_string(port_) +
         "\"\ntoken_file = \"" + token_file_ + "\"\n";
}

nlohmann::json ClusterRig::Get(const std::string& path) {
  http::Client c("127.0.0.1", port_, 5000);
  auto r = c.Send("GET", path, "", {{"Authorization", "Bearer " + token_}});
  if (!r.ok() || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

int ClusterRig::Post(const std::string& path, const std::string& body) {
  http::Client c("127.0.0.1", port_, 5000);
  auto r = c.Send("POST", path, body, {{"Authorization", "Bearer " + token_}});
  return r.ok() ? r->status : -1;
}

bool ClusterRig::WaitForReadyNodes(int n) {
  for (int i = 0; i < 300; ++i) {
    auto nodes = Get("/internal/v1/nodes?status=Ready");
    if (!nodes.is_null() && nodes["total"].get<int>() == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

void ClusterRig::StopAgent(size_t i) {
  if (i < agents_.size() && agents_[i]) agents_[i]->Terminate(std::chrono::seconds(10));
}

}  // namespace hai::portal::testing
