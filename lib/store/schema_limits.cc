#include "lib/store/schema.h"

namespace hai::store {

// NULL means "no limit". The gateways read these through the portal's key
// validation answer and enforce them per process; see docs/gateway.md.
const std::string_view kSchemaRateLimitsV6 = R"sql(
ALTER TABLE api_keys ADD COLUMN rpm_limit INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0);
ALTER TABLE api_keys ADD COLUMN tpm_limit INTEGER CHECK (tpm_limit IS NULL OR tpm_limit > 0);
ALTER TABLE orgs ADD COLUMN rpm_limit INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0);
ALTER TABLE orgs ADD COLUMN tpm_limit INTEGER CHECK (tpm_limit IS NULL OR tpm_limit > 0);
)sql";

}  // namespace hai::store
