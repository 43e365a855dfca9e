#pragma once

#include <string>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// --verify of the TLS material in /etc/hai/tls: the certificate parses, is
// valid now and for 30 more days, holds this node's address, matches the
// key, and verifies against ca.crt as a server certificate for that address.
class TlsProbe : public Probe {
 public:
  explicit TlsProbe(std::string address) : address_(std::move(address)) {}
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  std::string address_;
};

}  // namespace hai::install
