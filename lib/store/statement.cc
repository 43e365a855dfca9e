#include "lib/store/statement.h"

#include <sqlite3.h>

namespace hai::store {

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int pos, int64_t value) {
  if (sqlite3_bind_int64(stmt_, pos, value) != SQLITE_OK && bind_error_.ok())
    bind_error_ = Status::Internal(sqlite3_errmsg(db_));
  return *this;
}

Statement& Statement::Bind(int pos, double value) {
  if (sqlite3_bind_double(stmt_, pos, value) != SQLITE_OK && bind_error_.ok())
    bind_error_ = Status::Internal(sqlite3_errmsg(db_));
  return *this;
}

Statement& Statement::Bind(int pos, std::string_view value) {
  if (sqlite3_bind_text64(stmt_, pos, value.data(), value.size(), SQLITE_TRANSIENT,
                          SQLITE_UTF8) != SQLITE_OK &&
      bind_error_.ok())
    bind_error_ = Status::Internal(sqlite3_errmsg(db_));
  return *this;
}

Statement& Statement::BindNull(int pos) {
  if (sqlite3_bind_null(stmt_, pos) != SQLITE_OK && bind_error_.ok())
    bind_error_ = Status::Internal(sqlite3_errmsg(db_));
  return *this;
}

Statement& Statement::BindBlob(int pos, std::string_view bytes) {
  // A null pointer would store NULL; an empty blob is still a value.
  const void* data = bytes.empty() ? "" : bytes.data();
  if (sqlite3_bind_blob64(stmt_, pos, data, bytes.size(), SQLITE_TRANSIENT) !=
          SQLITE_OK &&
      bind_error_.ok())
    bind_error_ = Status::Internal(sqlite3_errmsg(db_));
  return *this;
}

void Statement::Reset() { sqlite3_reset(stmt_); }

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if (rc == SQLITE_CONSTRAINT) {
    int ext = sqlite3_extended_errcode(db_);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
      return Status::AlreadyExists(sqlite3_errmsg(db_));
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
      return Status::FailedPrecondition(sqlite3_errmsg(db_));
    return Status::InvalidArgument(sqlite3_errmsg(db_));
  }
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Unavailable(sqlite3_errmsg(db_));
  if (rc == SQLITE_FULL) return Status::Unavailable("disk full: " + std::string(sqlite3_errmsg(db_)));
  return Status::Internal(sqlite3_errmsg(db_));
}

Status Statement::Run() {
  Result<bool> r = Step();
  if (!r.ok()) return r.status();
  return Status::Ok();
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string Statement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (!p) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::optional<std::string> Statement::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

}  // namespace hai::store
