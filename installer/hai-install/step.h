#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "installer/hai-install/live_action.h"

namespace hai::install {

// A file, directory or absence a step wants, at its path on the target
// (without --root).
struct FileSpec {
  enum class Kind { kFile, kDirectory, kAbsent };
  Kind kind = Kind::kFile;
  std::string path;
  std::string content;
  mode_t mode = 0644;
  std::string owner = "root";
  std::string group = "root";
  bool secret = false;  // content never printed (token, private key)
  // Filled by ResolveOwners from owner and group.
  uid_t uid = 0;
  gid_t gid = 0;

  static FileSpec File(std::string path, std::string content, mode_t mode = 0644,
                       std::string owner = "root", std::string group = "root") {
    FileSpec f;
    f.path = std::move(path);
    f.content = std::move(content);
    f.mode = mode;
    f.owner = std::move(owner);
    f.group = std::move(group);
    return f;
  }
  static FileSpec Directory(std::string path, mode_t mode, std::string owner = "root",
                            std::string group = "root") {
    FileSpec f = File(std::move(path), "", mode, std::move(owner), std::move(group));
    f.kind = Kind::kDirectory;
    return f;
  }
  static FileSpec Absent(std::string path) {
    FileSpec f;
    f.kind = Kind::kAbsent;
    f.path = std::move(path);
    return f;
  }
};

// One setting: an id ("sysctl", "firewall"), what it is for, the files it
// writes (in order; directories before what they hold) and the live actions
// that follow them, plus checks that only --verify runs.
struct Step {
  std::string id;
  std::string description;
  std::vector<FileSpec> files;
  std::vector<std::shared_ptr<LiveAction>> actions;
  std::vector<std::shared_ptr<Probe>> probes;
};

// The ordered steps for this node.
struct Plan {
  std::string node;
  std::string role;
  std::string root;  // "" = this host
  std::vector<Step> steps;
};

}  // namespace hai::install
