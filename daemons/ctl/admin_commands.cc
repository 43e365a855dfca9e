#include "daemons/ctl/admin_commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "daemons/portal/audit_log.h"
#include "daemons/portal/passwords.h"
#include "daemons/portal/session_store.h"
#include "daemons/portal/user_store.h"
#include "lib/base/clock.h"
#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/store/migrations.h"

namespace hai::ctl {
namespace {

Result<std::unique_ptr<store::Database>> OpenExisting(const std::string& data_dir) {
  std::string path = data_dir + "/hai.db";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Status::NotFound("no database at " + path + " (is --data right?)");
  return store::Database::Open(path, store::ControlPlaneMigrations());
}

}  // namespace

Result<std::string> ResetPassword(const std::string& data_dir, const std::string& username) {
  HAI_ASSIGN_OR_RETURN(auto db, OpenExisting(data_dir));
  std::string password = RandomPassword(16);
  HAI_ASSIGN_OR_RETURN(std::string hash, portal::HashPassword(password, portal::PasswordCost{}));
  const int64_t now = SystemClock::Get()->NowMs();
  bool is_admin = false;
  HAI_RETURN_IF_ERROR(db->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(auto found, portal::users::FindForLogin(tx, username));
    if (!found) return Status::NotFound("no user named '" + username + "'");
    const portal::User& user = found->first;
    is_admin = user.is_admin;
    HAI_RETURN_IF_ERROR(portal::users::SetPassword(tx, user.id, hash, now));
    HAI_RETURN_IF_ERROR(portal::sessions::DeleteForUser(tx, user.id));
    portal::AuditEvent e;
    e.time = now;
    e.username = "haictl";
    e.action = "user.password_reset";
    e.resource_type = "user";
    e.resource_id = std::to_string(user.id);
    e.summary = "password of '" + user.username + "' reset on the console; sessions ended";
    e.client_ip = "local";
    e.user_agent = "haictl";
    return portal::audit::Append(tx, e);
  }));
  if (username == "admin" && is_admin) {
    Status st = WriteSecretFile(data_dir + "/admin-password", password);
    if (!st.ok()) return Status::Unavailable("password reset, but " + st.message());
  }
  return password;
}

Status BackupDatabase(const std::string& data_dir, const std::string& out_path) {
  HAI_ASSIGN_OR_RETURN(auto db, OpenExisting(data_dir));
  std::error_code ec;
  if (std::filesystem::exists(out_path, ec))
    return Status::AlreadyExists(out_path + " exists; choose a new file");
  return db->Backup(out_path);
}

}  // namespace hai::ctl
