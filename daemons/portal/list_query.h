#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/http/message.h"
#include "lib/store/database.h"

namespace hai::portal {

// limit/offset/sort of a list request, checked against what the list allows.
struct ListWindow {
  int64_t limit = 50;
  int64_t offset = 0;
  std::string order_by;  // a whitelisted SQL column expression plus ASC/DESC
};

// `sortable` maps API field names to SQL columns; `default_sort` is an API
// name, optionally with a leading '-'.
Result<ListWindow> ParseListWindow(const http::Request& req,
                                   const std::map<std::string, std::string>& sortable,
                                   const std::string& default_sort);

// Builds a WHERE clause from fixed SQL fragments and bound values: request
// text only ever reaches SQLite as a bound value.
class Where {
 public:
  // A bound value: an integer or a text.
  struct Value {
    Value(int64_t v) : is_int(true), i(v) {}  // NOLINT: implicit by design
    Value(std::string v) : s(std::move(v)) {}  // NOLINT
    bool is_int = false;
    int64_t i = 0;
    std::string s;
  };
  Where& And(std::string fragment) { return And(std::move(fragment), {}); }
  Where& And(std::string fragment, std::vector<Value> values);
  std::string Sql() const;  // "" or " WHERE …"
  int Bind(store::Statement& s, int first = 1) const;  // returns the next position

 private:
  std::vector<std::string> clauses_;
  std::vector<Value> values_;
};

// Optional integer query parameter; an unparseable value is a 400 naming it.
Result<std::optional<int64_t>> QueryInt(const http::Request& req, const std::string& name);
// An integer path parameter; anything else is a 404 (no such resource).
Result<int64_t> PathId(const http::Request& req, const std::string& name);
// A LIKE pattern matching `text` anywhere, with wildcards escaped ('\').
std::string ContainsPattern(const std::string& text);

}  // namespace hai::portal
