#include "installer/hai-install/kernel_value.h"

#include <sstream>

namespace hai::install {

KernelValue::KernelValue(std::string name, std::string path, std::string value, Reading reading)
    : name_(std::move(name)), path_(std::move(path)), value_(std::move(value)), reading_(reading) {}

std::string KernelValue::Normalise(const std::string& raw, Reading reading) {
  if (reading == Reading::kSelected) {
    size_t open = raw.find('['), close = raw.find(']');
    if (open != std::string::npos && close != std::string::npos && close > open)
      return raw.substr(open + 1, close - open - 1);
  }
  std::istringstream in(raw);
  std::string out;
  for (std::string word; in >> word;) out += (out.empty() ? "" : " ") + word;
  return out;
}

std::string KernelValue::Describe() const { return "write '" + value_ + "' to " + path_; }

Result<bool> KernelValue::InPlace(const RunContext& ctx) {
  auto now = ctx.system->ReadLive(path_);
  if (!now.ok()) return false;  // Apply tells why
  return Normalise(*now, reading_) == Normalise(value_, Reading::kPlain);
}

Status KernelValue::Apply(const RunContext& ctx) {
  auto now = ctx.system->ReadLive(path_);
  HAI_RETURN_IF_ERROR(ctx.system->WriteLive(path_, value_ + "\n"));
  if (now.ok()) old_ = Normalise(*now, reading_);
  return Status::Ok();
}

Status KernelValue::Undo(const RunContext& ctx) {
  if (!old_) return Status::Ok();
  return ctx.system->WriteLive(path_, *old_ + "\n");
}

void KernelValue::Verify(const RunContext& ctx, Checks* checks) {
  std::string want = Normalise(value_, Reading::kPlain);
  if (!ctx.live) {
    checks->push_back(SkippedCheck(name_, want, "--root"));
    return;
  }
  auto now = ctx.system->ReadLive(path_);
  if (!now.ok()) {
    Check c = LiveCheck(name_, want, "", ctx.in_container);
    if (c.status == CheckStatus::kFail) c.detail = now.status().message();
    checks->push_back(c);
    return;
  }
  checks->push_back(LiveCheck(name_, want, Normalise(*now, reading_), ctx.in_container));
}

}  // namespace hai::install
