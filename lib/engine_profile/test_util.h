#pragma once

// Test-only helpers: where the fixtures and the shipped profiles live.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "lib/engine_profile/profile_parser.h"

namespace hai::engine_profile::testing {

inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(HAI_ENGINE_PROFILE_TESTDATA) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string ShippedPath(const std::string& name) {
  return std::string(HAI_ENGINE_PROFILES_DIR) + "/" + name + ".toml";
}

// The shipped profile `name` (profiles/engines/NAME.toml); fails the test if it does not load.
inline EngineProfile Shipped(const std::string& name) {
  Result<EngineProfile> p = LoadProfile(ShippedPath(name));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : EngineProfile{};
}

}  // namespace hai::engine_profile::testing
