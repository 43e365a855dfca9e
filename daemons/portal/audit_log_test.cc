#include "daemons/portal/audit_log.h"

#include <gtest/gtest.h>

#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

using store::Database;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:", store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
  }
  void Add(int64_t time, const std::string& action, const std::string& user,
           std::optional<int64_t> org, Outcome outcome = Outcome::kSuccess) {
    AuditEvent e;
    e.time = time;
    e.action = action;
    e.username = user;
    e.org_id = org;
    e.outcome = outcome;
    ASSERT_TRUE(db_->Write([&](Database::Tx& tx) { return audit::Append(tx, e); }).ok());
  }
  Page<AuditEvent> Query(const audit::Filter& f) {
    Page<AuditEvent> page;
    EXPECT_TRUE(db_->Read([&](Database::Tx& tx) -> Status {
                     HAI_ASSIGN_OR_RETURN(page, audit::Query(tx, f, {100, 0, "time DESC"}));
                     return Status::Ok();
                   }).ok());
    return page;
  }
  std::unique_ptr<Database> db_;
};

TEST_F(AuditLogTest, FiltersCombine) {
  Add(1000, "auth.login", "alice", std::nullopt);
  Add(2000, "org.create", "admin", 1);
  Add(3000, "org.update", "admin", 2, Outcome::kFailure);
  Add(4000, "api_key.create", "bob", 1);
  audit::Filter f;
  EXPECT_EQ(Query(f).total, 4);
  f.action = "org.";
  EXPECT_EQ(Query(f).total, 2);
  f.outcome = "failure";
  EXPECT_EQ(Query(f).items.at(0).org_id, 2);
  audit::Filter range;
  range.from = 2000;
  range.to = 4000;
  EXPECT_EQ(Query(range).total, 2);
  audit::Filter scoped;
  scoped.visible_orgs = std::vector<int64_t>{1};
  EXPECT_EQ(Query(scoped).total, 2);
  scoped.visible_orgs = std::vector<int64_t>{};
  EXPECT_EQ(Query(scoped).total, 0);
}

TEST_F(AuditLogTest, RetentionRemovesOnlyOldEntries) {
  Add(1000, "auth.login", "a", std::nullopt);
  Add(5000, "auth.login", "b", std::nullopt);
  int64_t removed = 0;
  ASSERT_TRUE(db_->Write([&](Database::Tx& tx) -> Status {
                   HAI_ASSIGN_OR_RETURN(removed, audit::RemoveOlderThan(tx, 2000));
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(Query({}).total, 1);
  // The guard is back: a plain delete is refused again.
  EXPECT_FALSE(db_->Write([](Database::Tx& tx) { return tx.Exec("DELETE FROM audit_events"); }).ok());
}

TEST_F(AuditLogTest, CsvQuotesAndDefusesFormulas) {
  AuditEvent e;
  e.id = 7;
  e.time = 0;
  e.username = "=cmd|' /C calc'!A0";
  e.action = "org.create";
  e.summary = "name=\"ICU, east\"";
  std::string csv = audit::ToCsv({e});
  EXPECT_NE(csv.find("'=cmd|' /C calc'!A0"), std::string::npos);
  EXPECT_NE(csv.find("\"name=\"\"ICU, east\"\"\""), std::string::npos);
  EXPECT_EQ(csv.substr(0, 8), "id,time,");
}

}  // namespace
}  // namespace hai::portal
