#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::hwcheck {

// Raw evidence of a run (tool outputs, BMC answers) kept next to the report so
// a reviewer can see what every verdict was based on. Files are written under
// `dir` with names made safe and unique ("npu-smi_info_-t_health_-i_0.txt",
// then "…-2.txt"); an empty `dir` keeps nothing and returns "" (dry tests).
class EvidenceStore {
 public:
  explicit EvidenceStore(std::string dir) : dir_(std::move(dir)) {}
  // Saves `text` under a name derived from `label`; returns the file's name
  // relative to dir() ("" when nothing is kept or the write failed).
  std::string Save(const std::string& label, const std::string& text);
  const std::string& dir() const { return dir_; }
  const std::vector<std::string>& saved() const { return saved_; }

 private:
  std::string dir_;
  std::vector<std::string> saved_;
};

}  // namespace hai::hwcheck
