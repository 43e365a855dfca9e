#include "daemons/gateway/caller_identity.h"

#include <charconv>

#include "daemons/gateway/key_policy.h"
#include "lib/http/bearer.h"
#include "lib/log/log.h"

namespace hai::gateway {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int64_t> PositiveId(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

// As much of a key as the portal keeps in clear (api_keys.prefix).
constexpr size_t kPrefixLength = 14;

}  // namespace

std::optional<OnBehalfOf> ParseOnBehalfOf(const std::string& header) {
  std::optional<int64_t> org, user;
  std::string_view rest = header;
  for (bool more = true; more;) {
    const size_t semi = rest.find(';');
    more = semi != std::string_view::npos;
    const std::string_view pair = Trim(rest.substr(0, semi));
    if (more) rest.remove_prefix(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view name = Trim(pair.substr(0, eq));
    auto id = PositiveId(Trim(pair.substr(eq + 1)));
    if (!id) return std::nullopt;
    std::optional<int64_t>* slot = name == "org_id" ? &org : name == "user_id" ? &user : nullptr;
    if (!slot || *slot) return std::nullopt;  // unknown or repeated
    *slot = id;
  }
  if (!org || !user) return std::nullopt;
  return OnBehalfOf{*org, *user};
}

Caller CallerIdentity::Identify(const http::Request& req) {
  const std::string secret = http::BearerToken(req);
  if (secret.empty())
    return {std::nullopt, "", "",
            ApiError{401, "missing_api_key", "an API key is required: Authorization: Bearer <key>",
                     ""}};
  if (http::BearerMatches(req, cluster_token_)) return Delegated(req);
  Result<KeyLookup> lookup = keys_->Lookup(secret);
  if (!lookup.ok()) {
    metrics_->key_lookups->Add({{"result", "unavailable"}}, 1);
    log::Warn("cannot validate an API key",
              {{"request_id", req.request_id}, {"error", lookup.status().message()}});
    return {std::nullopt, "", "",
            ApiError{503, "auth_unavailable",
                     "API keys cannot be checked right now; try again shortly", ""}};
  }
  metrics_->key_lookups->Add({{"result", lookup->stale ? "stale" : "checked"}}, 1);
  const KeyInfo& info = lookup->info;
  std::optional<ApiError> error = CheckKey(info);
  if (!info.valid) return {std::nullopt, "", "", error};
  // The portal's prefix when it says one (M1-1 keys show 14 characters).
  std::string prefix = info.prefix.empty() ? secret.substr(0, kPrefixLength) : info.prefix;
  return {info, "api", std::move(prefix), error};
}

Caller CallerIdentity::Delegated(const http::Request& req) {
  const std::string header = req.Header("x-hai-on-behalf-of");
  if (header.empty())
    return {std::nullopt, "", "", ApiError{401, "invalid_api_key", "the API key is not valid", ""}};
  std::optional<OnBehalfOf> who = ParseOnBehalfOf(header);
  if (!who)
    return {std::nullopt, "", "",
            ApiError{400, "invalid_on_behalf_of",
                     std::string(kOnBehalfOfHeader) +
                         " must be org_id=<id>;user_id=<id> with positive integer ids",
                     ""}};
  KeyInfo info;
  info.valid = true;
  info.org_id = who->org_id;
  info.user_id = who->user_id;
  info.scopes = {kInferenceScope};
  return {info, "playground", "", std::nullopt};
}

}  // namespace hai::gateway
