#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "daemons/portal/call_record.h"
#include "daemons/portal/list_query.h"
#include "daemons/portal/model.h"
#include "lib/store/database.h"

namespace hai::portal::call_logs {

using store::Database;

// Stores `records` as call-log rows and adds them to the rollups, inside
// the caller's transaction: a batch is stored whole or not at all.
Status Insert(Database::Tx& tx, std::span<const CallRecord> records);

// What a non-admin may see: every call of some organisations, only their
// own calls in others.
struct Scope {
  std::vector<int64_t> all_calls_orgs;
  std::vector<int64_t> own_calls_orgs;
  int64_t user_id = 0;
};

struct Filter {
  std::optional<int64_t> from;  // inclusive, epoch ms
  std::optional<int64_t> to;    // exclusive
  std::optional<int64_t> org_id;
  std::optional<int64_t> service_id;
  std::optional<std::string> service;         // name, exact
  std::optional<std::string> api_key_prefix;  // exact
  std::optional<int64_t> user_id;
  std::optional<bool> failed;  // status=failure
  std::optional<int64_t> status_code;
  std::optional<std::string> request_id;
  std::optional<bool> stream;
  std::optional<Scope> scope;  // unset: everything (platform admin)
};

// The sort keys a list may ask for (API name → column).
const std::map<std::string, std::string>& SortableColumns();

// One page of matching calls with the total count.
Result<Page<CallLogEntry>> Query(Database::Tx& tx, const Filter& filter, const ListWindow& window);

// Removes up to `max_rows` of the oldest rows older than `cutoff`; returns
// how many went. Retention calls it until it returns fewer than
// `max_rows`, each in its own transaction, so the gateway's batches are
// never held up for long.
Result<int64_t> RemoveOlderThan(Database::Tx& tx, int64_t cutoff, int64_t max_rows);

}  // namespace hai::portal::call_logs
