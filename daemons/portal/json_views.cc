#include "daemons/portal/json_views.h"

#include "daemons/portal/audit_log.h"
#include "lib/base/time_format.h"

namespace hai::portal {
namespace {

nlohmann::json OptTime(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(FormatIso8601(*t)) : nlohmann::json(nullptr);
}

template <typename T>
nlohmann::json OptValue(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ToJson(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"email", u.email},
          {"is_admin", u.is_admin},
          {"disabled", u.disabled},
          {"locked_until", OptTime(u.locked_until)},
          {"created_at", FormatIso8601(u.created_at)},
          {"last_login_at", OptTime(u.last_login_at)}};
}

nlohmann::json ToJson(const Org& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"description", o.description},
          {"created_at", FormatIso8601(o.created_at)},
          {"member_count", o.member_count},
          {"rpm_limit", OptValue(o.limits.rpm)},
          {"tpm_limit", OptValue(o.limits.tpm)}};
}

nlohmann::json ToJson(const Member& m) {
  return {{"org_id", m.org_id},
          {"user_id", m.user_id},
          {"username", m.username},
          {"display_name", m.display_name},
          {"role", RoleName(m.role)},
          {"added_at", FormatIso8601(m.added_at)}};
}

nlohmann::json ToJson(const Membership& m) {
  return {{"org_id", m.org_id}, {"org_name", m.org_name}, {"role", RoleName(m.role)}};
}

nlohmann::json ToJson(const ApiKey& k, int64_t now) {
  return {{"id", k.id},
          {"org_id", k.org_id},
          {"org_name", k.org_name},
          {"user_id", k.user_id},
          {"username", k.username},
          {"name", k.name},
          {"prefix", k.prefix},
          {"scopes", k.scopes},
          {"allowed_services", OptValue(k.allowed_services)},
          {"expires_at", OptTime(k.expires_at)},
          {"created_at", FormatIso8601(k.created_at)},
          {"last_used_at", OptTime(k.last_used_at)},
          {"revoked_at", OptTime(k.revoked_at)},
          {"rpm_limit", OptValue(k.limits.rpm)},
          {"tpm_limit", OptValue(k.limits.tpm)},
          {"status", k.StatusAt(now)}};
}

nlohmann::json ToJson(const AuditEvent& e) {
  return {{"id", e.id},
          {"time", FormatIso8601(e.time)},
          {"user", e.username},
          {"user_id", OptValue(e.user_id)},
          {"org_id", OptValue(e.org_id)},
          {"action", e.action},
          {"resource_type", e.resource_type},
          {"resource_id", e.resource_id},
          {"outcome", audit::OutcomeName(e.outcome)},
          {"reason", e.reason},
          {"summary", e.summary},
          {"client_ip", e.client_ip},
          {"user_agent", e.user_agent},
          {"request_id", e.request_id}};
}

}  // namespace hai::portal
