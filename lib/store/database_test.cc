#include "lib/store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace hai::store {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hai-db-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  std::vector<Migration> migrations_ = {
      {1, "t", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"}};
  std::filesystem::path dir_;
};

TEST_F(DatabaseTest, StoresMetacharactersVerbatim) {
  auto db = Database::Open(Path("a.db"), migrations_);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::string evil = "x'); DROP TABLE t; --";
  ASSERT_TRUE((*db)->Write([&](Database::Tx& tx) {
                     HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("INSERT INTO t(name) VALUES(?)"));
                     return s.Bind(1, evil).Run();
                   }).ok());
  std::string got;
  ASSERT_TRUE((*db)->Read([&](Database::Tx& tx) {
                     HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("SELECT name FROM t"));
                     HAI_ASSIGN_OR_RETURN(bool row, s.Step());
                     if (row) got = s.Text(0);
                     return Status::Ok();
                   }).ok());
  EXPECT_EQ(got, evil);
}

TEST_F(DatabaseTest, FailedWriteRollsBack) {
  auto db = Database::Open(Path("a.db"), migrations_);
  ASSERT_TRUE(db.ok());
  Status st = (*db)->Write([&](Database::Tx& tx) {
    HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("INSERT INTO t(name) VALUES(?)"));
    HAI_RETURN_IF_ERROR(s.Bind(1, "a").Run());
    HAI_ASSIGN_OR_RETURN(Statement dup, tx.Prepare("INSERT INTO t(name) VALUES(?)"));
    return dup.Bind(1, "a").Run();  // violates UNIQUE
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  int64_t count = -1;
  ASSERT_TRUE((*db)->Read([&](Database::Tx& tx) {
                     HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("SELECT count(*) FROM t"));
                     HAI_ASSIGN_OR_RETURN(bool row, s.Step());
                     count = row ? s.Int(0) : -1;
                     return Status::Ok();
                   }).ok());
  EXPECT_EQ(count, 0);
}

TEST_F(DatabaseTest, MigrationsApplyOnceAndRefuseNewerSchema) {
  {
    auto db = Database::Open(Path("a.db"), migrations_);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ((*db)->SchemaVersion(), 1);
  }
  migrations_.push_back({2, "u", "CREATE TABLE u (id INTEGER)"});
  {
    auto db = Database::Open(Path("a.db"), migrations_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ((*db)->SchemaVersion(), 2);
  }
  migrations_.pop_back();
  auto old = Database::Open(Path("a.db"), migrations_);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), Code::kFailedPrecondition);
}

TEST_F(DatabaseTest, FailedMigrationLeavesVersion) {
  migrations_.push_back({2, "broken", "CREATE TABLE t (id INTEGER)"});  // t exists
  auto db = Database::Open(Path("a.db"), migrations_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("migration 2 (broken)"), std::string::npos);
  migrations_.pop_back();
  auto again = Database::Open(Path("a.db"), migrations_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->SchemaVersion(), 1);
}

TEST_F(DatabaseTest, OnlineBackupIsReadable) {
  auto db = Database::Open(Path("a.db"), migrations_);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Write([&](Database::Tx& tx) {
                     HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("INSERT INTO t(name) VALUES(?)"));
                     return s.Bind(1, "kept").Run();
                   }).ok());
  ASSERT_TRUE((*db)->Backup(Path("copy.db")).ok());
  auto copy = Database::Open(Path("copy.db"), migrations_);
  ASSERT_TRUE(copy.ok());
  std::string got;
  ASSERT_TRUE((*copy)->Read([&](Database::Tx& tx) {
                       HAI_ASSIGN_OR_RETURN(Statement s, tx.Prepare("SELECT name FROM t"));
                       HAI_ASSIGN_OR_RETURN(bool row, s.Step());
                       if (row) got = s.Text(0);
                       return Status::Ok();
                     }).ok());
  EXPECT_EQ(got, "kept");
}

TEST_F(DatabaseTest, UnwritableDirectoryIsAClearError) {
  auto db = Database::Open("/nonexistent-dir/x.db", migrations_);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace hai::store
