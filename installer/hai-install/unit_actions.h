#pragma once

#include <set>
#include <string>
#include <vector>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// `systemctl enable` for units not enabled yet (with --root=DIR under
// --root, which works offline); rollback disables exactly those and removes
// the .wants directories enabling made.
class EnableUnits : public LiveAction {
 public:
  explicit EnableUnits(std::vector<std::string> units);

  std::string Describe() const override;
  bool Offline() const override { return true; }
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  std::vector<std::string> units_;
  std::vector<std::string> enabled_;  // by Apply
  std::set<std::string> dirs_before_;
};

// `systemctl start` for units not active yet; rollback stops those.
class StartUnits : public LiveAction {
 public:
  explicit StartUnits(std::vector<std::string> units);

  std::string Describe() const override;
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  std::vector<std::string> units_;
  std::vector<std::string> started_;  // by Apply
};

// systemctl with --root=DIR when the context has a root.
std::vector<std::string> Systemctl(const RunContext& ctx, std::vector<std::string> args);
// What `systemctl is-enabled` / `is-active` says of one unit ("enabled", "inactive" …).
std::string UnitState(const RunContext& ctx, const std::string& query, const std::string& unit);

}  // namespace hai::install
