// Test doubles for a BMC's Redfish service: a responder serving a tree of
// DMTF-format JSON files (testdata/redfish/) over HTTPS or HTTP on
// 127.0.0.1 with Basic auth, and a listener that accepts connections and
// never answers.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/http/router.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"

namespace hai::hwcheck::bmc::testing {

// Serves GET /redfish/v1/... from resources loaded from mockup folders
// (<dir>/redfish/v1/.../index.json, leading '#' lines dropped). The service
// root answers anyone, as Redfish requires; everything else wants
// Basic kUser:kPassword and answers 401 otherwise. Resources may be edited
// between Load and Start only (the server's threads read them unlocked).
class RedfishResponder {
 public:
  static constexpr const char* kUser = "admin";
  static constexpr const char* kPassword = "s3cret:@%";

  RedfishResponder();
  ~RedfishResponder();

  // Loads each folder in turn; a later folder's resource replaces an
  // earlier one's at the same path (a variant over a base tree).
  Status Load(const std::vector<std::string>& dirs);
  // The resource at `path` ("/redfish/v1/Chassis/1U/Thermal"), created empty
  // when missing.
  nlohmann::json& Resource(const std::string& path);
  void Remove(const std::string& path) { resources_.erase(path); }

  // HTTPS with this certificate and key; both "" → plain HTTP.
  Status Start(const std::string& cert_file, const std::string& key_file);
  int port() const { return server_ ? server_->port() : 0; }

 private:
  std::map<std::string, std::string> bodies_;  // built by Start from resources_
  std::map<std::string, nlohmann::json> resources_;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
};

// A TCP listener on 127.0.0.1 that never accepts: the kernel completes the
// handshake and the client then waits for an answer that never comes.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace hai::hwcheck::bmc::testing
