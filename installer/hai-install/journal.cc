#include "installer/hai-install/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "installer/hai-install/file_state.h"

namespace hai::install {
namespace {

constexpr char kJournalDir[] = "/var/lib/hai-install/journal";

// Appends a line and syncs it, so the entry exists before the change it saves.
Status AppendSynced(const std::string& path, const std::string& line) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal(path + ": " + strerror(errno));
  bool ok =
      write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && fsync(fd) == 0;
  close(fd);
  return ok ? Status::Ok() : Status::Internal(path + ": cannot write the journal");
}

}  // namespace

Journal::Journal(std::string root) : root_(std::move(root)) {}

std::string Journal::Dir() const { return root_ + kJournalDir; }

Status Journal::Open() {
  if (open_) return Status::Ok();
  // Every missing directory on the way, remembered so Discard leaves none.
  std::string path;
  std::istringstream parts(kJournalDir);
  for (std::string part; std::getline(parts, part, '/');) {
    if (part.empty()) continue;
    path += "/" + part;
    std::string full = root_ + path;
    if (mkdir(full.c_str(), 0700) == 0) {
      made_dirs_.push_back(full);
    } else if (errno != EEXIST) {
      return Status::Internal(full + ": cannot make the journal directory: " + strerror(errno));
    }
  }
  open_ = true;
  return Status::Ok();
}

Status Journal::Put(const Entry& e) {
  std::ostringstream line;
  line << e.step << '\t' << e.kind << '\t' << std::oct << e.mode << std::dec << '\t' << e.uid
       << '\t' << e.gid << '\t' << e.data << '\t' << e.path << '\n';
  return AppendSynced(Dir() + "/index", line.str());
}

Status Journal::Record(const std::string& step, const std::string& path) {
  HAI_RETURN_IF_ERROR(Open());
  HAI_ASSIGN_OR_RETURN(FileState state, ReadFileState(root_ + path));
  Entry e;
  e.step = step;
  e.path = path;
  e.kind = !state.exists ? '-' : state.is_dir ? 'd' : 'f';
  e.mode = state.mode;
  e.uid = state.uid;
  e.gid = state.gid;
  if (e.kind == 'f') {
    e.data = std::to_string(entries_.size()) + ".data";
    HAI_RETURN_IF_ERROR(
        WriteFileAtomic(Dir() + "/" + e.data, state.content, 0600, getuid(), getgid()));
  }
  HAI_RETURN_IF_ERROR(Put(e));
  entries_.push_back(e);
  return Status::Ok();
}

void Journal::Restore(const std::string& step, std::vector<std::string>* errors) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->step != step) continue;
    std::string full = root_ + it->path;
    Status st;
    if (it->kind == '-') {
      st = RemovePath(full);
    } else if (it->kind == 'd') {
      st = SetDirectory(full, it->mode, it->uid, it->gid);
    } else {
      auto saved = ReadFileState(Dir() + "/" + it->data);
      st = !saved.ok() ? saved.status()
                       : WriteFileAtomic(full, saved->content, it->mode, it->uid, it->gid);
    }
    if (!st.ok()) errors->push_back("restoring " + it->path + ": " + st.message());
  }
}

void Journal::Discard() {
  if (!open_) return;
  for (const Entry& e : entries_)
    if (!e.data.empty()) unlink((Dir() + "/" + e.data).c_str());
  unlink((Dir() + "/index").c_str());
  for (auto it = made_dirs_.rbegin(); it != made_dirs_.rend(); ++it) rmdir(it->c_str());
  entries_.clear();
  made_dirs_.clear();
  open_ = false;
}

Status Journal::Load() {
  std::ifstream in(Dir() + "/index");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    Entry e;
    std::string kind, mode, uid, gid;
    if (!std::getline(fields, e.step, '\t') || !std::getline(fields, kind, '\t') ||
        !std::getline(fields, mode, '\t') || !std::getline(fields, uid, '\t') ||
        !std::getline(fields, gid, '\t') || !std::getline(fields, e.data, '\t') ||
        !std::getline(fields, e.path) || kind.size() != 1)
      return Status::Internal(Dir() + "/index: unreadable entry: " + line);
    e.kind = kind[0];
    e.mode = static_cast<mode_t>(std::stoul(mode, nullptr, 8));
    e.uid = static_cast<uid_t>(std::stoul(uid));
    e.gid = static_cast<gid_t>(std::stoul(gid));
    entries_.push_back(e);
  }
  return Status::Ok();
}

Result<int> Journal::RecoverLeftover(std::vector<std::string>* errors) {
  if (access((Dir() + "/index").c_str(), F_OK) != 0) return 0;
  open_ = true;
  HAI_RETURN_IF_ERROR(Load());
  int count = static_cast<int>(entries_.size());
  // All steps, newest entry first.
  std::vector<std::string> steps;
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
    if (std::find(steps.begin(), steps.end(), it->step) == steps.end()) steps.push_back(it->step);
  for (const std::string& s : steps) Restore(s, errors);
  if (errors->empty()) {
    Discard();
    rmdir(Dir().c_str());
    rmdir((root_ + "/var/lib/hai-install").c_str());
  } else {
    open_ = false;  // kept for a person to look at
    entries_.clear();
  }
  return count;
}

}  // namespace hai::install
