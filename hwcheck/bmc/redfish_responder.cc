#include "hwcheck/bmc/redfish_responder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hwcheck/bmc/redfish_session.h"

namespace hai::hwcheck::bmc::testing {

namespace fs = std::filesystem;

namespace {

// A fixture file without its leading '#' comment lines.
std::string ReadFixture(const fs::path& file) {
  std::ifstream in(file);
  std::string line, out;
  bool header = true;
  while (std::getline(in, line)) {
    if (header && !line.empty() && line[0] == '#') continue;
    header = false;
    out += line + "\n";
  }
  return out;
}

}  // namespace

RedfishResponder::RedfishResponder() = default;
RedfishResponder::~RedfishResponder() {
  if (server_) server_->Stop();
}

Status RedfishResponder::Load(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().filename() != "index.json") continue;
      std::string path = "/" + fs::relative(it->path().parent_path(), dir).generic_string();
      auto parsed = nlohmann::json::parse(ReadFixture(it->path()), nullptr, false);
      if (parsed.is_discarded()) return Status::InvalidArgument("not JSON: " + it->path().string());
      resources_[path] = std::move(parsed);
    }
    if (ec) return Status::NotFound("cannot read " + dir + ": " + ec.message());
  }
  return Status::Ok();
}

nlohmann::json& RedfishResponder::Resource(const std::string& path) { return resources_[path]; }

Status RedfishResponder::Start(const std::string& cert_file, const std::string& key_file) {
  for (const auto& [path, resource] : resources_) bodies_[path] = resource.dump(1);
  std::string expected = "Basic " + Base64(std::string(kUser) + ":" + kPassword);
  auto serve = [this, expected](http::Request& req) {
    std::string path = req.path;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    if (path != "/redfish/v1" && req.Header("Authorization") != expected) {
      http::Response denied = http::Response::Text(
          401, R"({"error":{"code":"Base.1.8.NoValidSession"}})", "application/json");
      denied.AddHeader("WWW-Authenticate", "Basic realm=\"Redfish\"");
      return denied;
    }
    auto it = bodies_.find(path);
    if (it == bodies_.end())
      return http::Response::Text(404, R"({"error":{"code":"Base.1.8.ResourceMissingAtURI"}})",
                                  "application/json");
    return http::Response::Text(200, it->second, "application/json");
  };
  router_.Add("GET", "/redfish/{path...}", serve);
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.threads = 2;
  options.tls_cert_file = cert_file;
  options.tls_key_file = key_file;
  server_ = std::make_unique<http::Server>(options, &router_, &registry_);
  return server_->Start();
}

SilentListener::SilentListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd_, 8) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return;
  port_ = ntohs(addr.sin_port);
}

SilentListener::~SilentListener() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace hai::hwcheck::bmc::testing
