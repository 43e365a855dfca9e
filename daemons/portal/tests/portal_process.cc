#include "daemons/portal/tests/portal_process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace hai::portal::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string BinDir() { return HAI_TEST_BIN_DIR; }
std::string SourceDir() { return HAI_TEST_SOURCE_DIR; }

PortalProcess::PortalProcess(const std::string& extra_config, const std::string& https_ca_file)
    : https_ca_file_(https_ca_file) {
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          ("hai-portal-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
             .string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ + "/hai.toml")
      << "[log]\nlevel = \"warning\"\n[portal]\nlisten = \"127.0.0.1\"\nport = 0\n"
      << "data_dir = \"" << dir_ << "/data\"\nopenapi_file = \"" << SourceDir()
      << "/docs/api/openapi.json\"\nweb_dir = \"" << dir_ << "/web\"\n"
      << "password_hash_ops = 1\npassword_hash_memory_kib = 1024\n"
      << "max_body_bytes = 65536\n"
      << extra_config;
  child_ = std::make_unique<proc::Child>(
      proc::Child::Spawn({{BinDir() + "/hai-portal", "--config", dir_ + "/hai.toml",
                           "--ready-file", dir_ + "/ready.json"}})
          .value());
  for (int i = 0; i < 300; ++i) {
    if (std::filesystem::exists(dir_ + "/ready.json")) break;
    if (child_->Poll()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string ready = ReadFile(dir_ + "/ready.json");
  if (ready.empty()) {
    ADD_FAILURE() << "hai-portal did not start";
    return;
  }
  port_ = nlohmann::json::parse(ready)["port"].get<int>();
  std::string pw = ReadFile(dir_ + "/data/admin-password");
  admin_password_ = pw.substr(0, pw.find('\n'));
}

PortalProcess::~PortalProcess() {
  if (child_) child_->Terminate(std::chrono::seconds(10));
  std::filesystem::remove_all(dir_);
}

std::string PortalProcess::ClusterToken() const {
  std::string t = ReadFile(dir_ + "/data/cluster-token");
  return t.substr(0, t.find('\n'));
}

PortalProcess::Reply PortalProcess::SendRaw(const std::string& method, const std::string& path,
                                            const std::string& token,
                                            const std::string& raw_body) {
  return Exchange(method, path, token, raw_body, {});
}

PortalProcess::Reply PortalProcess::Send(
    const std::string& method, const std::string& path, const std::string& token,
    const nlohmann::json& body, const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string text = body.is_null() ? "" : body.is_string() ? body.get<std::string>() : body.dump();
  return Exchange(method, path, token, text, headers);
}

PortalProcess::Reply PortalProcess::Exchange(
    const std::string& method, const std::string& path, const std::string& token,
    const std::string& text, std::vector<std::pair<std::string, std::string>> headers) {
  http::Client client(http::HttpUrl{"127.0.0.1", port_, !https_ca_file_.empty()}, https_ca_file_);
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  auto r = client.Send(method, path, text, headers);
  Reply reply;
  if (!r.ok()) {
    ADD_FAILURE() << r.status().ToString();
    return reply;
  }
  reply.status = r->status;
  reply.raw = r->body;
  reply.set_cookie = r->Header("Set-Cookie");
  reply.request_id = r->Header("X-Request-Id");
  reply.body = nlohmann::json::parse(r->body, nullptr, false);
  if (reply.body.is_discarded()) reply.body = nullptr;
  return reply;
}

std::string PortalProcess::Login(const std::string& username, const std::string& password) {
  Reply r = Send("POST", "/api/v1/auth/login", "", {{"username", username}, {"password", password}});
  if (r.status != 200) return "";
  return r.body["token"].get<std::string>();
}

int64_t PortalProcess::CreateOrg(const std::string& token, const std::string& name) {
  Reply r = Send("POST", "/api/v1/orgs", token, {{"name", name}});
  EXPECT_EQ(r.status, 201) << r.raw;
  return r.status == 201 ? r.body["id"].get<int64_t>() : 0;
}

int64_t PortalProcess::CreateUser(const std::string& token, const std::string& username,
                                  std::optional<int64_t> org_id, const std::string& role) {
  nlohmann::json body = {{"username", username}, {"password", kPassword}};
  if (org_id) body["org_id"] = *org_id;
  if (!role.empty()) body["role"] = role;
  Reply r = Send("POST", "/api/v1/users", token, body);
  EXPECT_EQ(r.status, 201) << r.raw;
  return r.status == 201 ? r.body["id"].get<int64_t>() : 0;
}

int64_t PortalProcess::AuditTotal(const std::string& admin_token) {
  Reply r = Send("GET", "/api/v1/audit-events?limit=1", admin_token);
  EXPECT_EQ(r.status, 200) << r.raw;
  return r.status == 200 ? r.body["total"].get<int64_t>() : -1;
}

}  // namespace hai::portal::testing
