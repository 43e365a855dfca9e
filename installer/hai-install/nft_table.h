#pragma once

#include <optional>
#include <string>
#include <vector>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// Our nftables table (`inet hai`) loaded from its file with `nft -f`. It is in
// place when the file is unchanged and the loaded table still carries every
// rule of ours (each has a comment "hai: …" that `nft list` shows).
// Rollback loads the table as it was, or deletes it when there was none.
class NftTable : public LiveAction {
 public:
  // `marks`: the rule comments the loaded table must show; `step`: the
  // step whose file this loads.
  NftTable(std::string file, std::vector<std::string> marks, std::string step);

  std::string Describe() const override;
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  std::string file_;
  std::vector<std::string> marks_;
  std::string step_;
  std::optional<std::string> old_;  // the listing Apply replaced
  bool applied_ = false;
};

// With the firewall off: no table of ours loaded. Rollback loads it again.
class NftTableAbsent : public LiveAction {
 public:
  std::string Describe() const override;
  Result<bool> InPlace(const RunContext& ctx) override;
  Status Apply(const RunContext& ctx) override;
  Status Undo(const RunContext& ctx) override;
  void Verify(const RunContext& ctx, Checks* checks) override;

 private:
  std::optional<std::string> old_;
};

// `nft list table inet hai`, or nothing when the table is not loaded.
std::optional<std::string> ListHaiTable(const RunContext& ctx);

}  // namespace hai::install
