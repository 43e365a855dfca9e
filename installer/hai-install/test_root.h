#pragma once

// A target root for tests: a temporary directory laid out like a freshly
// installed node (os-release, chrony, nftables, the hai units, passwd and
// group where `root` and `hai` are the test's own user, so no test needs to
// be root), plus a digest of a whole tree for "nothing changed" checks.

#include <string>

#include "installer/hai-install/plan_input.h"
#include "installer/hai-install/step.h"

namespace hai::install {

class TestRoot {
 public:
  explicit TestRoot(Distro distro = Distro::kDebian);
  ~TestRoot();
  TestRoot(const TestRoot&) = delete;
  TestRoot& operator=(const TestRoot&) = delete;

  const std::string& path() const { return path_; }
  // Writes a file under the root (parents made).
  void Write(const std::string& relative, const std::string& content) const;
  std::string Read(const std::string& relative) const;

 private:
  std::string path_;
};

// Every entry under `dir`: path, type, mode, owner, content or link target.
std::string TreeDigest(const std::string& dir);

// The source tree's profiles/ (HAI_TEST_SOURCE_DIR).
std::string SourceProfilesDir();

// A PlanInput from install-config text, for `root` (profile from the source tree).
Result<PlanInput> TestInput(const std::string& toml, const std::string& root,
                            Distro distro = Distro::kDebian);

// The plan for install-config text on `root`; a config or plan error fails
// the calling test.
Plan TestPlan(const std::string& toml, const std::string& root, bool start_units);

// Two install configs of a three-node cluster (10.0.0.1 control).
extern const char kControlToml[];
extern const char kWorkerToml[];  // its token_file is written by TestRoot to ROOT/../token

}  // namespace hai::install
