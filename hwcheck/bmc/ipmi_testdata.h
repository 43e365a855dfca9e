#pragma once

// Test-only: the recorded ipmitool outputs in testdata/ipmi/.

#include <fstream>
#include <sstream>
#include <string>

#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck::bmc::testing {

inline std::string IpmiFixturePath(const std::string& name) {
  return std::string(HAI_IPMI_TESTDATA) + "/" + name;
}

// The fixture's text without its `#` provenance header.
inline std::string IpmiFixture(const std::string& name) {
  std::ifstream in(IpmiFixturePath(name), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return accel::StripFixtureHeader(text.str());
}

}  // namespace hai::hwcheck::bmc::testing
