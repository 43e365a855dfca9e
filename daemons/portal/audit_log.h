#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemons/portal/list_query.h"
#include "daemons/portal/model.h"
#include "lib/store/database.h"

namespace hai::portal::audit {

using store::Database;

struct Filter {
  std::optional<int64_t> from;  // inclusive, epoch ms
  std::optional<int64_t> to;    // exclusive
  std::optional<std::string> user;     // username
  std::optional<int64_t> org_id;
  std::optional<std::string> action;   // exact, or a prefix ending in '.' ("org.")
  std::optional<std::string> outcome;  // success | failure
  std::optional<std::vector<int64_t>> visible_orgs;  // non-admin scope
};

std::string_view OutcomeName(Outcome o);

Status Append(Database::Tx& tx, const AuditEvent& event);
Result<Page<AuditEvent>> Query(Database::Tx& tx, const Filter& filter, const ListWindow& window);
// RFC 4180 CSV with a header row; cells that a spreadsheet would run as a
// formula are prefixed with an apostrophe.
std::string ToCsv(const std::vector<AuditEvent>& events);

// Removes entries older than `cutoff` (the only deletion the schema allows)
// and returns how many went.
Result<int64_t> RemoveOlderThan(Database::Tx& tx, int64_t cutoff);

}  // namespace hai::portal::audit
