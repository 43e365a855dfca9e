#include "daemons/gateway/tests/gateway_rig.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "daemons/portal/tests/portal_process.h"

namespace hai::gateway::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

GatewayProcess::Reply Read(const Result<http::ClientResponse>& r) {
  GatewayProcess::Reply reply;
  if (!r.ok()) return reply;
  reply.status = r->status;
  reply.body = r->body;
  reply.raw = *r;
  reply.json = nlohmann::json::parse(r->body, nullptr, false);
  if (reply.json.is_discarded()) reply.json = nullptr;
  return reply;
}

std::vector<std::pair<std::string, std::string>> Auth(
    const std::string& key, std::vector<std::pair<std::string, std::string>> headers = {}) {
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  return headers;
}

}  // namespace

GatewayProcess::GatewayProcess(int portal_port, int scheduler_port, const std::string& token_file,
                               const Tls* tls, int port) {
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          ("hai-gateway-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
             .string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  if (tls) ca_file_ = tls->ca_file;
  std::ofstream config(dir_ + "/hai.toml");
  config << "[log]\nlevel = \"warning\"\n[cluster]\ntoken_file = \"" << token_file
         << "\"\nportal_url = \"" << (tls ? "https" : "http") << "://127.0.0.1:" << portal_port
         << "\"\nscheduler_url = \"http://127.0.0.1:" << scheduler_port << "\"\n";
  if (tls) config << "ca_file = \"" << tls->ca_file << "\"\n";
  config << "[gateway]\nport = " << port
         << "\nmax_body_bytes = 65536\neject_ms = 500\nmax_eject_ms = 2000\n"
         << "call_log_flush_ms = 100\n";
  if (tls)
    config << "tls_cert_file = \"" << tls->cert_file << "\"\ntls_key_file = \"" << tls->key_file
           << "\"\n";
  config.close();
  child_ = std::make_unique<proc::Child>(
      proc::Child::Spawn({{portal::testing::BinDir() + "/hai-gateway", "--config",
                           dir_ + "/hai.toml", "--ready-file", dir_ + "/ready.json"}})
          .value());
  for (int i = 0; i < 300 && !std::filesystem::exists(dir_ + "/ready.json"); ++i) {
    if (child_->Poll()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string ready = ReadFile(dir_ + "/ready.json");
  if (ready.empty()) {
    ADD_FAILURE() << "hai-gateway did not start";
    return;
  }
  port_ = nlohmann::json::parse(ready)["port"].get<int>();
}

GatewayProcess::~GatewayProcess() {
  if (child_) child_->Terminate(std::chrono::seconds(10));
  std::filesystem::remove_all(dir_);
}

http::Client GatewayProcess::MakeClient(int timeout_ms) const {
  return http::Client(http::HttpUrl{"127.0.0.1", port_, !ca_file_.empty()}, ca_file_, timeout_ms);
}

GatewayProcess::Reply GatewayProcess::Post(
    const std::string& key, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::Client client = MakeClient(120000);
  return Read(client.Send("POST", path, body, Auth(key, headers)));
}

GatewayProcess::Reply GatewayProcess::Get(const std::string& key, const std::string& path) {
  http::Client client = MakeClient(120000);
  return Read(client.Send("GET", path, "", Auth(key)));
}

GatewayProcess::Reply GatewayProcess::Stream(
    const std::string& key, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::Client client = MakeClient(120000);
  std::string received;
  auto r = client.SendStreaming("POST", path, body, Auth(key, headers), [&](std::string_view data) {
    received += data;
    return true;
  });
  Reply reply = Read(r);
  reply.body = received;
  return reply;
}

bool GatewayProcess::WaitHealthy() {
  for (int i = 0; i < 300; ++i) {
    http::Client client = MakeClient(2000);
    auto r = client.Send("GET", "/healthz");
    if (r.ok() && r->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace hai::gateway::testing
