#pragma once

#include <nlohmann/json_fwd.hpp>

#include "daemons/portal/model.h"
#include "lib/http/json_body.h"

namespace hai::portal {

// `rpm_limit` and `tpm_limit` in a request body: absent leaves `limits` as it
// is, null clears a limit, a positive integer sets it. Returns whether the
// body named either field.
bool ReadLimits(http::JsonBody& body, RateLimits* limits);
// A positive whole number no larger than anyone could mean, or nullopt.
Status CheckLimits(const RateLimits& limits);
// {"rpm": n|null, "tpm": n|null}
nlohmann::json LimitsJson(const RateLimits& limits);

}  // namespace hai::portal
