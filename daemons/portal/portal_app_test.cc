#include "daemons/portal/portal_app.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "daemons/portal/audit_log.h"
#include "daemons/portal/session_store.h"
#include "daemons/portal/user_store.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kStart = 1795342800000;  // 2026-11-22T10:20:00Z

class PortalAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hai-app-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    config_.data_dir = dir_.string();
    config_.password_hash_ops = 1;
    config_.password_hash_memory_kib = 1024;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  int64_t CountAudit(const std::string& action) {
    auto db = store::Database::Open(config_.DatabasePath(), store::ControlPlaneMigrations());
    Page<AuditEvent> page;
    EXPECT_TRUE((*db)->Read([&](store::Database::Tx& tx) -> Status {
                       audit::Filter f;
                       f.action = action;
                       HAI_ASSIGN_OR_RETURN(page, audit::Query(tx, f, {500, 0, "time DESC"}));
                       return Status::Ok();
                     }).ok());
    return page.total;
  }
  std::filesystem::path dir_;
  PortalConfig config_;
};

TEST_F(PortalAppTest, FirstStartMakesAnAdminWithAPrivatePasswordFile) {
  FakeClock clock(kStart);
  auto app = PortalApp::Create(config_, &clock);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ((*app)->initial_password().size(), 16u);
  struct stat st {};
  ASSERT_EQ(stat(config_.InitialPasswordPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(config_.TokenPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  app->reset();
  auto again = PortalApp::Create(config_, &clock);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->initial_password().empty()) << "only the first start makes an admin";
  EXPECT_EQ(CountAudit("user.bootstrap"), 1);
}

TEST_F(PortalAppTest, RetentionRemovesOldEntriesAndAuditsItself) {
  FakeClock clock(kStart);
  {
    std::filesystem::create_directories(dir_);
    auto db = store::Database::Open(config_.DatabasePath(), store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok());
    for (int64_t age_days : {400, 181, 179, 1}) {
      AuditEvent e;
      e.time = kStart - age_days * kDay;
      e.action = "test.event";
      ASSERT_TRUE((*db)->Write([&](store::Database::Tx& tx) { return audit::Append(tx, e); }).ok());
    }
  }
  auto app = PortalApp::Create(config_, &clock);
  ASSERT_TRUE(app.ok());
  auto removed = (*app)->RunRetention();
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ(CountAudit("test.event"), 2);
  EXPECT_EQ(CountAudit("audit.retention"), 1);
  // The daily job: Tick runs it once a day, not on every tick.
  (*app)->Tick();
  clock.AdvanceMs(3600 * 1000);
  (*app)->Tick();
  EXPECT_EQ(CountAudit("audit.retention"), 2);  // the first Tick ran it
  clock.AdvanceMs(kDay);
  (*app)->Tick();
  EXPECT_EQ(CountAudit("audit.retention"), 3);
}

TEST(SessionStoreTest, IdleAndAbsoluteExpiry) {
  auto db = store::Database::Open(":memory:", store::ControlPlaneMigrations());
  ASSERT_TRUE(db.ok());
  sessions::Limits limits{30 * 60 * 1000, 2 * 3600 * 1000};
  auto resume = [&](const std::string& token, int64_t now) {
    std::optional<sessions::Session> s;
    EXPECT_TRUE((*db)->Write([&](store::Database::Tx& tx) -> Status {
                       HAI_ASSIGN_OR_RETURN(s, sessions::Resume(tx, token, now, limits));
                       return Status::Ok();
                     }).ok());
    return s.has_value();
  };
  ASSERT_TRUE((*db)->Write([&](store::Database::Tx& tx) -> Status {
                     HAI_RETURN_IF_ERROR(tx.Exec(
                         "INSERT INTO users(username, password_hash, created_at, updated_at, "
                         "password_changed_at) VALUES ('u', 'x', 0, 0, 0)"));
                     sessions::Session s;
                     HAI_RETURN_IF_ERROR(sessions::Create(tx, "tok-a", 1, 0, limits, "", "", &s));
                     return sessions::Create(tx, "tok-b", 1, 0, limits, "", "", &s);
                   }).ok());
  // Active use keeps tok-a alive past the idle limit, up to the absolute limit.
  for (int64_t t = 20; t <= 110; t += 20) EXPECT_TRUE(resume("tok-a", t * 60 * 1000)) << t;
  EXPECT_FALSE(resume("tok-a", 121 * 60 * 1000));
  // tok-b sat idle for 31 minutes.
  EXPECT_FALSE(resume("tok-b", 31 * 60 * 1000));
  EXPECT_FALSE(resume("tok-b", 32 * 60 * 1000));  // and stays gone
  EXPECT_FALSE(resume("never-issued", 0));
}

TEST_F(PortalAppTest, UnusableTlsOrCaFilesStopTheStartBeforeAnythingIsWritten) {
  FakeClock clock(kStart);
  const std::string missing = (dir_.parent_path() / ("hai-app-test-missing-" +
                                                      std::to_string(getpid()) + ".crt"))
                                  .string();
  PortalConfig tls = config_;
  tls.tls_cert_file = missing;
  tls.tls_key_file = missing;
  auto app = PortalApp::Create(tls, &clock);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().message(),
            "TLS certificate " + missing + ": cannot read it: No such file or directory");
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "the data directory was made";
  PortalConfig ca = config_;
  ca.ca_file = missing;
  app = PortalApp::Create(ca, &clock);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().message(),
            "CA file " + missing + ": cannot read it: No such file or directory");
  EXPECT_FALSE(std::filesystem::exists(dir_)) << "the data directory was made";
}

}  // namespace
}  // namespace hai::portal

namespace hai::portal {
namespace {

TEST(UserStoreTest, LockoutEndsAndTheCountStartsAfresh) {
  auto db = store::Database::Open(":memory:", store::ControlPlaneMigrations());
  ASSERT_TRUE(db.ok());
  int64_t id = 0;
  ASSERT_TRUE((*db)->Write([&](store::Database::Tx& tx) -> Status {
                     HAI_ASSIGN_OR_RETURN(User u, users::Insert(tx, {"nurse", "h"}, 0));
                     id = u.id;
                     return Status::Ok();
                   }).ok());
  auto fail = [&](int64_t now) {
    std::optional<int64_t> locked;
    EXPECT_TRUE((*db)->Write([&](store::Database::Tx& tx) -> Status {
                       HAI_ASSIGN_OR_RETURN(locked,
                                            users::RecordLoginFailure(tx, id, 3, now, now + 1000));
                       return Status::Ok();
                     }).ok());
    return locked;
  };
  EXPECT_FALSE(fail(10));
  EXPECT_FALSE(fail(20));
  EXPECT_EQ(fail(30), 1030);   // third failure locks until now + 1000
  EXPECT_FALSE(fail(2000));    // the lock ran out: this is failure one of a new count
  EXPECT_FALSE(fail(2010));
  EXPECT_EQ(fail(2020), 3020);
}

}  // namespace
}  // namespace hai::portal
