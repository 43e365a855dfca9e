#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"
#include "lib/store/statement.h"

namespace hai::store {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The control plane's SQLite database: WAL, foreign keys on, a busy timeout,
// numbered migrations applied at open. One connection serialised by a mutex:
// the control plane's write rate is small and SQLite serialises writers anyway.
// Thread-safe through Run(): all access happens inside its callback.
class Database {
 public:
  class Tx;

  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const std::vector<Migration>& migrations);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `fn` with exclusive use of the connection inside one transaction:
  // committed when `fn` returns OK, rolled back otherwise, so a failed
  // request never leaves anything half-written.
  Status Write(const std::function<Status(Tx&)>& fn);
  // Runs `fn` with exclusive use of the connection, no transaction.
  Status Read(const std::function<Status(Tx&)>& fn);

  // Copies the live database to `dest_path` with SQLite's online backup.
  Status Backup(const std::string& dest_path);
  int SchemaVersion();
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Migrate(const std::vector<Migration>& migrations);

  std::mutex mu_;
  sqlite3* db_;
  std::string path_;
};

// A handle to the connection inside Database::Write/Read.
class Database::Tx {
 public:
  explicit Tx(sqlite3* db) : db_(db) {}
  Result<Statement> Prepare(std::string_view sql);
  Status Exec(std::string_view sql);  // SQL without values only (DDL, pragmas)
  int64_t LastInsertId() const;
  int Changes() const;

 private:
  sqlite3* db_;
};

}  // namespace hai::store
