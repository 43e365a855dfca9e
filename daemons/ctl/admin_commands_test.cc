#include "daemons/ctl/admin_commands.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemons/portal/passwords.h"
#include "daemons/portal/portal_app.h"
#include "daemons/portal/user_store.h"
#include "lib/store/migrations.h"

namespace hai::ctl {
namespace {

class AdminCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("hai-ctl-test-" + std::to_string(getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    portal::PortalConfig config;
    config.data_dir = dir_;
    config.password_hash_ops = 1;
    config.password_hash_memory_kib = 1024;
    FakeClock clock(1795342800000);
    auto app = portal::PortalApp::Create(config, &clock);  // first start: makes admin
    ASSERT_TRUE(app.ok());
    first_password_ = (*app)->initial_password();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string StoredHash(const std::string& user) {
    auto db = store::Database::Open(dir_ + "/hai.db", store::ControlPlaneMigrations());
    std::string hash;
    EXPECT_TRUE((*db)->Read([&](store::Database::Tx& tx) -> Status {
                       HAI_ASSIGN_OR_RETURN(auto found, portal::users::FindForLogin(tx, user));
                       if (found) hash = found->second;
                       return Status::Ok();
                     }).ok());
    return hash;
  }
  std::string dir_;
  std::string first_password_;
};

TEST_F(AdminCommandsTest, ResetPasswordReplacesTheAdminPassword) {
  auto password = ResetPassword(dir_, "admin");
  ASSERT_TRUE(password.ok()) << password.status().ToString();
  EXPECT_NE(*password, first_password_);
  std::string hash = StoredHash("admin");
  EXPECT_TRUE(portal::VerifyPassword(*password, hash));
  EXPECT_FALSE(portal::VerifyPassword(first_password_, hash));
  std::ifstream in(dir_ + "/admin-password");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, *password);
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/admin-password").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AdminCommandsTest, ErrorsNameTheProblem) {
  auto unknown = ResetPassword(dir_, "nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "no user named 'nobody'");
  auto wrong_dir = ResetPassword(dir_ + "/missing", "admin");
  ASSERT_FALSE(wrong_dir.ok());
  EXPECT_NE(wrong_dir.status().message().find("is --data right?"), std::string::npos);
}

TEST_F(AdminCommandsTest, BackupCopiesTheLiveDatabase) {
  std::string out = dir_ + "/copy.db";
  ASSERT_TRUE(BackupDatabase(dir_, out).ok());
  auto copy = store::Database::Open(out, store::ControlPlaneMigrations());
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(BackupDatabase(dir_, out).code(), Code::kAlreadyExists);  // never overwrites
}

}  // namespace
}  // namespace hai::ctl
