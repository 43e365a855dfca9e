#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::ctl {

// `haictl admin reset-password`: run on the control node with access to the
// data directory. Sets a fresh random password, clears the lockout, ends the
// user's sessions, audits the reset, and returns the new password. For the
// admin it also rewrites the 0600 admin-password file.
Result<std::string> ResetPassword(const std::string& data_dir, const std::string& username);

// `haictl db backup`: a consistent copy of the live database (SQLite online backup).
Status BackupDatabase(const std::string& data_dir, const std::string& out_path);

}  // namespace hai::ctl
