#pragma once

// Test-only helpers: where the recorded fixtures live and how to read them.

#include <fstream>
#include <sstream>
#include <string>

#include "lib/accel/fake_command_runner.h"

namespace hai::accel::testing {

inline std::string Testdata(const std::string& relative) {
  return std::string(HAI_ACCEL_TESTDATA) + "/" + relative;
}

inline std::string ProfilePath(const std::string& name) {
  return std::string(HAI_PROFILES_DIR) + "/" + name;
}

// A fixture's text without its `#` provenance header, as the fake runner serves it.
inline std::string ReadFixture(const std::string& relative) {
  std::ifstream in(Testdata(relative), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return StripFixtureHeader(text.str());
}

}  // namespace hai::accel::testing
