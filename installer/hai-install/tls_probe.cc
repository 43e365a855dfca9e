#include "installer/hai-install/tls_probe.h"

#include <algorithm>
#include <ctime>

#include "installer/hai-install/file_state.h"
#include "installer/hai-install/plan_input.h"
#include "installer/hai-install/tls_material.h"

namespace hai::install {
namespace {

constexpr time_t kRenewBefore = 30 * 86400;

std::string Date(time_t t) {
  char text[32];
  tm parts{};
  gmtime_r(&t, &parts);
  strftime(text, sizeof(text), "%Y-%m-%d", &parts);
  return text;
}

}  // namespace

void TlsProbe::Verify(const RunContext& ctx, Checks* checks) {
  auto cert = ReadFileState(ctx.Path(kTlsCert));
  auto key = ReadFileState(ctx.Path(kTlsKey));
  auto ca = ReadFileState(ctx.Path(kTlsCa));
  const std::string want_valid = "valid for 30 days or more";
  if (!cert.ok() || !cert->exists) {
    checks->push_back({"tls:certificate", CheckStatus::kFail, want_valid, "missing", kTlsCert});
    return;
  }
  auto info = InspectCertificate(cert->content);
  if (!info.ok()) {
    checks->push_back(
        {"tls:certificate", CheckStatus::kFail, want_valid, "unreadable", info.status().message()});
    return;
  }
  time_t now = time(nullptr);
  std::string actual = "valid " + Date(info->not_before) + " to " + Date(info->not_after);
  bool valid = info->not_before <= now && info->not_after > now + kRenewBefore;
  checks->push_back({"tls:certificate", valid ? CheckStatus::kOk : CheckStatus::kFail, want_valid,
                     actual,
                     valid                    ? ""
                     : info->not_after <= now ? "expired"
                                              : "expires within 30 days"});

  bool named = std::find(info->names.begin(), info->names.end(), address_) != info->names.end();
  std::string names;
  for (const std::string& n : info->names) names += (names.empty() ? "" : ", ") + n;
  checks->push_back({"tls:names", named ? CheckStatus::kOk : CheckStatus::kFail,
                     "includes " + address_, names, named ? "" : "this node's address is missing"});

  Status match = key.ok() && key->exists ? CheckKeyMatches(cert->content, key->content)
                                         : Status::NotFound(std::string(kTlsKey) + " is missing");
  checks->push_back({"tls:key", match.ok() ? CheckStatus::kOk : CheckStatus::kFail,
                     "the certificate's key", match.ok() ? "matches" : "does not match",
                     match.ok() ? "" : match.message()});

  if (!ca.ok() || !ca->exists) {
    checks->push_back(SkippedCheck("tls:ca", "verifies against " + std::string(kTlsCa),
                                   "no ca.crt: clients use the system's store"));
    return;
  }
  Status trusted = VerifyServerCertificate(cert->content, ca->content, address_);
  checks->push_back({"tls:ca", trusted.ok() ? CheckStatus::kOk : CheckStatus::kFail,
                     "verifies against " + std::string(kTlsCa) + " for " + address_,
                     trusted.ok() ? "verifies" : "does not verify",
                     trusted.ok() ? "" : trusted.message()});
}

}  // namespace hai::install
