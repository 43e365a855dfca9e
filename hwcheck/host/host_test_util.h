#pragma once

// Test-only helpers for hwcheck_host_test: fixture paths and item lookup.

#include <gtest/gtest.h>

#include <string>

#include "hwcheck/check.h"
#include "hwcheck/host/proc_text.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck::host::testing {

inline std::string Testdata(const std::string& relative) {
  return std::string(HAI_HWCHECK_HOST_TESTDATA) + "/" + relative;
}

// A recorded tool output without its `#` header, as the fake runner serves it.
inline std::string ReadFixture(const std::string& relative) {
  return accel::StripFixtureHeader(ReadSmallFile(Testdata(relative)).value_or(""));
}

// The item with `id`; a test failure (and an empty item) when there is none.
inline CheckItem ItemById(const Findings& f, const std::string& id) {
  for (const CheckItem& item : f.items)
    if (item.id == id) return item;
  ADD_FAILURE() << "no item " << id;
  return {};
}

inline bool HasItem(const Findings& f, const std::string& id) {
  for (const CheckItem& item : f.items)
    if (item.id == id) return true;
  return false;
}

inline std::string FactOf(const Findings& f, const std::string& name) {
  for (const auto& [key, value] : f.facts)
    if (key == name) return value;
  return "";
}

}  // namespace hai::hwcheck::host::testing
