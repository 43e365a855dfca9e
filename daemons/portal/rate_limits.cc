#include "daemons/portal/rate_limits.h"

#include <nlohmann/json.hpp>

namespace hai::portal {
namespace {

// A billion per minute is beyond any appliance; a bigger number is a typo.
constexpr int64_t kMaxLimit = 1'000'000'000;

Status CheckOne(const std::optional<int64_t>& value, const char* field) {
  if (value && (*value < 1 || *value > kMaxLimit))
    return Status::InvalidArgument(std::string(field) +
                                       " must be a whole number from 1 to 1000000000, or null "
                                       "for no limit",
                                   field);
  return Status::Ok();
}

nlohmann::json Opt(const std::optional<int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

bool ReadLimits(http::JsonBody& body, RateLimits* limits) {
  bool named = false;
  if (body.Has("rpm_limit")) {
    named = true;
    limits->rpm.reset();
    body.Optional("rpm_limit", &limits->rpm);
  }
  if (body.Has("tpm_limit")) {
    named = true;
    limits->tpm.reset();
    body.Optional("tpm_limit", &limits->tpm);
  }
  return named;
}

Status CheckLimits(const RateLimits& limits) {
  HAI_RETURN_IF_ERROR(CheckOne(limits.rpm, "rpm_limit"));
  return CheckOne(limits.tpm, "tpm_limit");
}

nlohmann::json LimitsJson(const RateLimits& limits) {
  return {{"rpm", Opt(limits.rpm)}, {"tpm", Opt(limits.tpm)}};
}

}  // namespace hai::portal
