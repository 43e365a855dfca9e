#include "installer/hai-install/nft_table.h"

namespace hai::install {
namespace {

const char kTable[] = "inet hai";

std::vector<std::string> MissingMarks(const std::string& listing,
                                      const std::vector<std::string>& marks) {
  std::vector<std::string> missing;
  for (const std::string& m : marks)
    if (listing.find("comment \"" + m + "\"") == std::string::npos) missing.push_back(m);
  return missing;
}

// Puts back a table as `nft list` showed it (the first line makes sure there
// is one to delete).
Status LoadListing(const RunContext& ctx, const std::string& listing) {
  std::string script = std::string("table ") + kTable + "\ndelete table " + kTable + "\n" + listing;
  return RunChecked(*ctx.system, {"nft", "-f", "-"}, script).status();
}

Status DeleteTable(const RunContext& ctx) {
  if (!ListHaiTable(ctx)) return Status::Ok();
  return RunChecked(*ctx.system, {"nft", "delete", "table", "inet", "hai"}).status();
}

}  // namespace

std::optional<std::string> ListHaiTable(const RunContext& ctx) {
  auto result = ctx.system->Run({"nft", "list", "table", "inet", "hai"});
  if (!result.ok() || result->exit_code != 0) return std::nullopt;
  return result->out;
}

NftTable::NftTable(std::string file, std::vector<std::string> marks, std::string step)
    : file_(std::move(file)), marks_(std::move(marks)), step_(std::move(step)) {}

std::string NftTable::Describe() const { return "nft -f " + file_; }

Result<bool> NftTable::InPlace(const RunContext& ctx) {
  if (ctx.StepChanged(step_)) return false;
  std::optional<std::string> listing = ListHaiTable(ctx);
  return listing && MissingMarks(*listing, marks_).empty();
}

Status NftTable::Apply(const RunContext& ctx) {
  old_ = ListHaiTable(ctx);
  HAI_RETURN_IF_ERROR(RunChecked(*ctx.system, {"nft", "-f", ctx.Path(file_)}).status());
  applied_ = true;
  return Status::Ok();
}

Status NftTable::Undo(const RunContext& ctx) {
  if (!applied_) return Status::Ok();
  return old_ ? LoadListing(ctx, *old_) : DeleteTable(ctx);
}

void NftTable::Verify(const RunContext& ctx, Checks* checks) {
  const std::string id = "nft:table inet hai";
  const std::string want = "loaded, input policy drop, " + std::to_string(marks_.size()) + " rules";
  if (!ctx.live) {
    checks->push_back(SkippedCheck(id, want, "--root"));
    return;
  }
  std::optional<std::string> listing = ListHaiTable(ctx);
  if (!listing) {
    checks->push_back(
        {id, CheckStatus::kFail, want, "not loaded", "nft list table inet hai failed"});
    return;
  }
  std::vector<std::string> missing = MissingMarks(*listing, marks_);
  bool drop = listing->find("policy drop") != std::string::npos;
  if (missing.empty() && drop) {
    checks->push_back({id, CheckStatus::kOk, want, want, ""});
    return;
  }
  std::string detail = drop ? "" : "input policy is not drop; ";
  if (!missing.empty()) {
    detail += "missing rules:";
    for (const std::string& m : missing) detail += " \"" + m + "\"";
  }
  checks->push_back({id, CheckStatus::kFail, want, "loaded, differs", detail});
}

std::string NftTableAbsent::Describe() const { return "nft delete table inet hai (firewall off)"; }

Result<bool> NftTableAbsent::InPlace(const RunContext& ctx) { return !ListHaiTable(ctx); }

Status NftTableAbsent::Apply(const RunContext& ctx) {
  old_ = ListHaiTable(ctx);
  return DeleteTable(ctx);
}

Status NftTableAbsent::Undo(const RunContext& ctx) {
  return old_ ? LoadListing(ctx, *old_) : Status::Ok();
}

void NftTableAbsent::Verify(const RunContext& ctx, Checks* checks) {
  const std::string id = "nft:table inet hai";
  if (!ctx.live) {
    checks->push_back(SkippedCheck(id, "absent (firewall off)", "--root"));
    return;
  }
  checks->push_back(CompareCheck(id, "absent (firewall off)",
                                 ListHaiTable(ctx) ? "loaded" : "absent (firewall off)"));
}

}  // namespace hai::install
