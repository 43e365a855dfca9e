#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hai::store {

// A prepared statement; the only way SQL with values runs here. Values are
// always bound, never spliced into SQL text. Not thread-safe: used under the
// owning Database's lock.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Bind by 1-based position.
  Statement& Bind(int pos, int64_t value);
  Statement& Bind(int pos, int value) { return Bind(pos, static_cast<int64_t>(value)); }
  Statement& Bind(int pos, double value);
  Statement& Bind(int pos, std::string_view value);
  Statement& Bind(int pos, const char* value) { return Bind(pos, std::string_view(value)); }
  Statement& Bind(int pos, const std::string& value) { return Bind(pos, std::string_view(value)); }
  Statement& Bind(int pos, bool value) { return Bind(pos, static_cast<int64_t>(value)); }
  Statement& BindNull(int pos);
  // Bytes stored as a BLOB (a TEXT bind would claim they are UTF-8).
  Statement& BindBlob(int pos, std::string_view bytes);
  template <typename T>
  Statement& Bind(int pos, const std::optional<T>& value) {
    return value ? Bind(pos, *value) : BindNull(pos);
  }

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Makes the statement ready to run again (bindings are kept), for
  // statements reused inside one transaction.
  void Reset();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::string Blob(int col) const;  // "" for NULL

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;
};

}  // namespace hai::store
