#include "lib/store/database.h"

#include <sqlite3.h>

namespace hai::store {
namespace {

Status SqliteError(sqlite3* db, std::string_view what) {
  return Status::Internal(std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const std::vector<Migration>& migrations) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Status::Unavailable("cannot open database " + path + ": " + msg);
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_busy_timeout(raw, 5000);
  Status st = db->Read([](Tx& tx) {
    HAI_RETURN_IF_ERROR(tx.Exec("PRAGMA journal_mode=WAL"));
    HAI_RETURN_IF_ERROR(tx.Exec("PRAGMA synchronous=NORMAL"));
    return tx.Exec("PRAGMA foreign_keys=ON");
  });
  if (!st.ok()) return Status::Unavailable("cannot set up database " + path + ": " + st.message());
  HAI_RETURN_IF_ERROR(db->Migrate(migrations));
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Migrate(const std::vector<Migration>& migrations) {
  int current = SchemaVersion();
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Status st = Write([&](Tx& tx) {
      HAI_RETURN_IF_ERROR(tx.Exec(m.sql));
      return tx.Exec("PRAGMA user_version=" + std::to_string(m.version));
    });
    if (!st.ok())
      return Status::Internal("migration " + std::to_string(m.version) + " (" + m.name +
                              ") failed: " + st.message());
    current = m.version;
  }
  if (!migrations.empty() && current > migrations.back().version)
    return Status::FailedPrecondition("database " + path_ + " has schema version " +
                                      std::to_string(current) + ", newer than this program's " +
                                      std::to_string(migrations.back().version));
  return Status::Ok();
}

int Database::SchemaVersion() {
  int version = 0;
  Status st = Read([&](Tx& tx) {
    HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("PRAGMA user_version"));
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) version = static_cast<int>(s.Int(0));
    return Status::Ok();
  });
  return st.ok() ? version : -1;
}

Status Database::Write(const std::function<Status(Tx&)>& fn) {
  std::lock_guard lock(mu_);
  Tx tx(db_);
  HAI_RETURN_IF_ERROR(tx.Exec("BEGIN IMMEDIATE"));
  Status st = fn(tx);
  if (!st.ok()) {
    (void)tx.Exec("ROLLBACK");
    return st;
  }
  st = tx.Exec("COMMIT");
  if (!st.ok()) (void)tx.Exec("ROLLBACK");
  return st;
}

Status Database::Read(const std::function<Status(Tx&)>& fn) {
  std::lock_guard lock(mu_);
  Tx tx(db_);
  return fn(tx);
}

Status Database::Backup(const std::string& dest_path) {
  sqlite3* dest = nullptr;
  if (sqlite3_open(dest_path.c_str(), &dest) != SQLITE_OK) {
    Status st = Status::Unavailable("cannot open backup file " + dest_path + ": " +
                                    (dest ? sqlite3_errmsg(dest) : "out of memory"));
    sqlite3_close(dest);
    return st;
  }
  std::lock_guard lock(mu_);
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", db_, "main");
  if (!backup) {
    Status st = SqliteError(dest, "backup");
    sqlite3_close(dest);
    return st;
  }
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  Status st = rc == SQLITE_DONE ? Status::Ok() : SqliteError(dest, "backup");
  sqlite3_close(dest);
  return st;
}

Result<Statement> Database::Tx::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK)
    return SqliteError(db_, "prepare");
  return Statement(db_, stmt);
}

Status Database::Tx::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Internal(msg);
  }
  return Status::Ok();
}

int64_t Database::Tx::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Tx::Changes() const { return sqlite3_changes(db_); }

}  // namespace hai::store
