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
  GatewayProcess(int portal_port, int scheduler_port, const std::string& token_file);
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

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<proc::Child> child_;
};

}  // namespace hai::gateway::testing
