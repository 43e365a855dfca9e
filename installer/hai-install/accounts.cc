#include "installer/hai-install/accounts.h"

#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "installer/hai-install/file_state.h"

namespace hai::install {
namespace {

// name:x:id:... lines (passwd and group share the first three fields).
std::map<std::string, unsigned> ReadIds(const std::string& path) {
  std::map<std::string, unsigned> ids;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    size_t a = line.find(':');
    size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    size_t c = b == std::string::npos ? b : line.find(':', b + 1);
    if (c == std::string::npos) continue;
    std::string id = line.substr(b + 1, c - b - 1);
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) continue;
    ids.emplace(line.substr(0, a), static_cast<unsigned>(std::stoul(id)));
  }
  return ids;
}

// Numbers stand for themselves (an edited file keeps an owner without a name).
bool IsNumber(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at = s.find(sep); at != std::string::npos; at = s.find(sep, start)) {
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? std::string(1, sep) : "") + parts[i];
  return out;
}

constexpr size_t kMembersField = 3;

}  // namespace

Result<std::optional<std::vector<std::string>>> GroupMembers(const std::string& file,
                                                             const std::string& group) {
  HAI_ASSIGN_OR_RETURN(FileState state, ReadFileState(file));
  if (!state.exists) return std::optional<std::vector<std::string>>();
  std::istringstream in(state.content);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields = Split(line, ':');
    if (fields.size() <= kMembersField || fields[0] != group) continue;
    std::vector<std::string> members;
    if (!fields[kMembersField].empty()) members = Split(fields[kMembersField], ',');
    return std::optional<std::vector<std::string>>(std::move(members));
  }
  return std::optional<std::vector<std::string>>();
}

Status SetGroupMember(const std::string& file, const std::string& group, const std::string& user,
                      bool member) {
  HAI_ASSIGN_OR_RETURN(FileState state, ReadFileState(file));
  if (!state.exists) return Status::NotFound(file + ": no such file");
  std::string out;
  bool found = false, changed = false;
  std::istringstream in(state.content);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields = Split(line, ':');
    if (!found && fields.size() > kMembersField && fields[0] == group) {
      found = true;
      std::vector<std::string> members;
      if (!fields[kMembersField].empty()) members = Split(fields[kMembersField], ',');
      auto it = std::find(members.begin(), members.end(), user);
      if (member && it == members.end()) {
        members.push_back(user);
        changed = true;
      } else if (!member && it != members.end()) {
        members.erase(it);
        changed = true;
      }
      fields[kMembersField] = Join(members, ',');
      line = Join(fields, ':');
    }
    out += line + "\n";
  }
  if (!found) return Status::NotFound("group '" + group + "' is not in " + file);
  if (!changed) return Status::Ok();
  return WriteFileAtomic(file, out, state.mode, state.uid, state.gid);
}

Accounts Accounts::Load(const std::string& root) {
  Accounts a;
  a.root_ = root;
  if (!root.empty()) {
    a.users_ = ReadIds(root + "/etc/passwd");
    a.groups_ = ReadIds(root + "/etc/group");
    a.users_.emplace("root", 0);
    a.groups_.emplace("root", 0);
  }
  return a;
}

Result<uid_t> Accounts::Uid(const std::string& user) const {
  if (IsNumber(user)) return static_cast<uid_t>(std::stoul(user));
  if (!root_.empty()) {
    auto it = users_.find(user);
    if (it == users_.end())
      return Status::NotFound("user '" + user + "' is not in " + root_ +
                              "/etc/passwd (the hai package creates it)");
    return static_cast<uid_t>(it->second);
  }
  if (const passwd* pw = getpwnam(user.c_str())) return pw->pw_uid;
  return Status::NotFound("user '" + user + "' does not exist (the hai package creates it)");
}

Result<gid_t> Accounts::Gid(const std::string& name) const {
  if (IsNumber(name)) return static_cast<gid_t>(std::stoul(name));
  if (!root_.empty()) {
    auto it = groups_.find(name);
    if (it == groups_.end())
      return Status::NotFound("group '" + name + "' is not in " + root_ +
                              "/etc/group (the hai package creates it)");
    return static_cast<gid_t>(it->second);
  }
  if (const group* gr = getgrnam(name.c_str())) return gr->gr_gid;
  return Status::NotFound("group '" + name + "' does not exist (the hai package creates it)");
}

std::string Accounts::UserName(uid_t uid) const {
  if (!root_.empty()) {
    for (const auto& [name, id] : users_)
      if (id == uid) return name;
  } else if (const passwd* pw = getpwuid(uid)) {
    return pw->pw_name;
  }
  return std::to_string(uid);
}

std::string Accounts::GroupName(gid_t gid) const {
  if (!root_.empty()) {
    for (const auto& [name, id] : groups_)
      if (id == gid) return name;
  } else if (const group* gr = getgrgid(gid)) {
    return gr->gr_name;
  }
  return std::to_string(gid);
}

}  // namespace hai::install
