#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "hwcheck/bmc/bmc_readers.h"
#include "hwcheck/evidence.h"
#include "lib/base/status.h"
#include "lib/http/client.h"

namespace hai::hwcheck::bmc {

// The GETs of one Redfish read of one BMC: Basic auth on every request,
// answers bounded in size and in number, and every body kept as evidence
// (the Authorization header never is). Not thread-safe.
class RedfishSession {
 public:
  struct Limits {
    // A BMC with a few hundred sensors and a long SEL fits; a BMC that links
    // to itself forever stops here.
    size_t max_resources = 1000;
    size_t max_body_bytes = 4u << 20;
    // The whole read, as a multiple of the per-request timeout.
    int budget_timeouts = 40;
  };

  RedfishSession(const BmcTarget& target, EvidenceStore& evidence,
                 std::chrono::milliseconds timeout, Limits limits);
  ~RedfishSession();
  RedfishSession(const RedfishSession&) = delete;
  RedfishSession& operator=(const RedfishSession&) = delete;

  // GETs `path` (an @odata.id under /redfish/v1) and parses its JSON body.
  // NotFound for HTTP 404 (a link to a resource this BMC does not have);
  // Unavailable, saying why, for a refused login (401/403), any other
  // error status, a transport failure or timeout, a body that is not JSON
  // or too large, and a read past its limits.
  Result<nlohmann::json> Get(const std::string& path);

  size_t fetched() const { return fetched_; }

 private:
  std::string DescribeFailure(const std::string& path, const Status& status,
                              std::chrono::steady_clock::duration took) const;

  BmcTarget target_;
  EvidenceStore& evidence_;
  std::chrono::milliseconds timeout_;
  Limits limits_;
  std::chrono::steady_clock::time_point deadline_;
  std::string authorization_;
  std::unique_ptr<http::Client> client_;
  size_t fetched_ = 0;
};

// RFC 4648 base64 with padding (HTTP Basic credentials).
std::string Base64(const std::string& bytes);

}  // namespace hai::hwcheck::bmc
