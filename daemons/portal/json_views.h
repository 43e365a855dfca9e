#pragma once

#include <nlohmann/json.hpp>

#include "daemons/portal/model.h"

namespace hai::portal {

// Domain records → API JSON. The only place the API's field names live.
nlohmann::json ToJson(const User& u);
nlohmann::json ToJson(const Org& o);
nlohmann::json ToJson(const Member& m);
nlohmann::json ToJson(const Membership& m);
nlohmann::json ToJson(const ApiKey& k, int64_t now);
nlohmann::json ToJson(const AuditEvent& e);

template <typename T, typename F>
nlohmann::json PageJson(const Page<T>& page, F&& to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)}, {"total", page.total}};
}

}  // namespace hai::portal
