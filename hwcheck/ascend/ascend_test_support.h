#pragma once

// Test-only helpers for hwcheck/ascend: fixture paths, a recorded root tree,
// and lookups in Findings.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "hwcheck/check.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck::ascend::testing {

inline std::string Fixture(const std::string& name) {
  return std::string(HAI_ASCEND_TESTDATA) + "/" + name;
}
inline std::string AccelFixture(const std::string& name) {
  return std::string(HAI_ACCEL_TESTDATA) + "/" + name;
}
inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return accel::StripFixtureHeader(text.str());
}
inline std::string Read(const std::string& name) { return ReadText(Fixture(name)); }

inline const CheckItem* Find(const Findings& f, const std::string& id) {
  for (const CheckItem& item : f.items)
    if (item.id == id) return &item;
  return nullptr;
}
inline int CountWithPrefix(const Findings& f, const std::string& prefix) {
  int n = 0;
  for (const CheckItem& item : f.items) n += item.id.starts_with(prefix) ? 1 : 0;
  return n;
}
inline std::string Fact(const Findings& f, const std::string& name) {
  for (const auto& [k, v] : f.facts)
    if (k == name) return v;
  return {};
}

// A throw-away root: lib/accel's recorded Ascend sysfs tree plus our
// /usr/local/Ascend tree, copied into a fresh directory removed afterwards.
class TempRoot {
 public:
  TempRoot() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hwcheck-ascend-XXXXXX").string();
    if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed";
    dir_ = pattern;
    auto opts = std::filesystem::copy_options::recursive;
    std::filesystem::copy(AccelFixture("sysfs/ascend-node"), dir_, opts);
    std::filesystem::copy(Fixture("root"), dir_,
                          opts | std::filesystem::copy_options::overwrite_existing);
  }
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  const std::string& path() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace hai::hwcheck::ascend::testing
