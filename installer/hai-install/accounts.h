#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::install {

// User and group names of the target system: its own /etc/passwd and
// /etc/group under --root (the hai package's sysusers entry made `hai`
// there), the system's name service otherwise. Read once per run.
class Accounts {
 public:
  static Accounts Load(const std::string& root);

  Result<uid_t> Uid(const std::string& user) const;
  Result<gid_t> Gid(const std::string& name) const;
  // The name of an id, or the number when it has none.
  std::string UserName(uid_t uid) const;
  std::string GroupName(gid_t gid) const;

 private:
  std::string root_;
  std::map<std::string, unsigned> users_;
  std::map<std::string, unsigned> groups_;
};

// Supplementary members in a group(5)-format file (/etc/group; /etc/gshadow
// keeps them in the same, fourth, field): std::nullopt when the group is not
// in it. Only local files: the drivers' installers and usermod write there.
Result<std::optional<std::vector<std::string>>> GroupMembers(const std::string& file,
                                                             const std::string& group);

// Adds `user` to (or removes it from) the group's member list in such a
// file, rewritten atomically with its mode and owner; no write when it is
// already so. Under --root, where usermod cannot run, this is its edit.
Status SetGroupMember(const std::string& file, const std::string& group, const std::string& user,
                      bool member);

}  // namespace hai::install
