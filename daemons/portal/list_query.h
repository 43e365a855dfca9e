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
  // `<expr> IN (?, …)<suffix>`; an empty list matches nothing.
  Where& AndIn(const std::string& expr, const std::vector<int64_t>& ids,
               const std::string& suffix = "");
  std::string Sql() const;  // "" or " WHERE …"
  // "(?, ?, …)" for `ids`, appended to `values`; "(NULL)" when empty.
  static std::string Placeholders(const std::vector<int64_t>& ids, std::vector<Value>* values);
  int Bind(store::Statement& s, int first = 1) const;  // returns the next position

 private:
  std::vector<std::string> clauses_;
  std::vector<Value> values_;
};

// Runs "SELECT count(*) FROM <from><where>" and
// "SELECT <columns> FROM <from><where> ORDER BY <window> LIMIT/OFFSET",
// turning each row into a T with `read`. `tiebreak` keeps paging stable.
template <typename T, typename ReadRow>
Result<std::pair<std::vector<T>, int64_t>> ReadPage(store::Database::Tx& tx,
                                                    const std::string& columns,
                                                    const std::string& from, const Where& where,
                                                    const ListWindow& window,
                                                    const std::string& tiebreak, ReadRow read) {
  HAI_ASSIGN_OR_RETURN(store::Statement count,
                       tx.Prepare("SELECT count(*) FROM " + from + where.Sql()));
  where.Bind(count);
  HAI_ASSIGN_OR_RETURN(bool has, count.Step());
  int64_t total = has ? count.Int(0) : 0;
  HAI_ASSIGN_OR_RETURN(store::Statement s,
                       tx.Prepare("SELECT " + columns + " FROM " + from + where.Sql() +
                                  " ORDER BY " + window.order_by + ", " + tiebreak +
                                  " LIMIT ? OFFSET ?"));
  int pos = where.Bind(s);
  s.Bind(pos, window.limit).Bind(pos + 1, window.offset);
  std::vector<T> items;
  for (;;) {
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    items.push_back(read(s));
  }
  return std::make_pair(std::move(items), total);
}

// Optional integer query parameter; an unparseable value is a 400 naming it.
Result<std::optional<int64_t>> QueryInt(const http::Request& req, const std::string& name);
// An integer path parameter; anything else is a 404 (no such resource).
Result<int64_t> PathId(const http::Request& req, const std::string& name);
// A LIKE pattern matching `text` anywhere, with wildcards escaped ('\').
std::string ContainsPattern(const std::string& text);

}  // namespace hai::portal
