#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/http/client.h"
#include "lib/proc/child.h"

namespace hai::gateway::testing {

// A real hai-gateway process on a free loopback port, pointed at a portal
// and a scheduler, with a small body limit, short ejections and call
// records sent every 100 ms for tests.
class GatewayProcess {
 public:
  // TLS on both sides, for the HTTPS tests: the gateway serves HTTPS with
  // `cert_file`/`key_file` and reaches the portal at https://127.0.0.1,
  // trusting `ca_file` ([cluster] ca_file); the tests' calls trust it too.
  struct Tls {
    std::string cert_file, key_file, ca_file;
  };
  // `port` 0: any free one.
  GatewayProcess(int portal_port, int scheduler_port, const std::string& token_file,
                 const Tls* tls = nullptr, int port = 0);
  ~GatewayProcess();

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }

  struct Reply {
    int status = 0;  // 0: no answer
    std::string body;
    nlohmann::json json;  // null unless the body is JSON
    http::ClientResponse raw;
  };
  Reply Post(const std::string& key, const std::string& path, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply Get(const std::string& key, const std::string& path);
  // A streamed answer, every byte as it came (status 0 when the exchange failed).
  Reply Stream(const std::string& key, const std::string& path, const std::string& body,
               const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Waits (bounded) until the gateway's /healthz answers 200.
  bool WaitHealthy();
  // A client for this gateway, over HTTPS when it serves it.
  http::Client MakeClient(int timeout_ms) const;

 private:
  std::string ca_file_;  // "": plain HTTP
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<proc::Child> child_;
};

}  // namespace hai::gateway::testing
