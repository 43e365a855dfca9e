#include "lib/store/migrations.h"

#include <gtest/gtest.h>

namespace hai::store {
namespace {

TEST(MigrationsTest, NumberedInOrderFromOne) {
  const auto& m = ControlPlaneMigrations();
  ASSERT_FALSE(m.empty());
  for (size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].version, static_cast<int>(i + 1));
}

TEST(MigrationsTest, AuditLogIsAppendOnly) {
  auto db = Database::Open(":memory:", ControlPlaneMigrations());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->Write([](Database::Tx& tx) {
                     return tx.Exec(
                         "INSERT INTO audit_events(time, action, outcome) VALUES (1, 'x', 'success')");
                   }).ok());
  Status upd = (*db)->Write(
      [](Database::Tx& tx) { return tx.Exec("UPDATE audit_events SET action = 'y'"); });
  EXPECT_FALSE(upd.ok());
  Status del = (*db)->Write([](Database::Tx& tx) { return tx.Exec("DELETE FROM audit_events"); });
  EXPECT_FALSE(del.ok());
  EXPECT_NE(del.message().find("retention"), std::string::npos);
}

}  // namespace
}  // namespace hai::store
