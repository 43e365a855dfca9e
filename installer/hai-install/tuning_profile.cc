#include "installer/hai-install/tuning_profile.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "lib/config/toml_parse.h"

namespace hai::install {
namespace {

Status ProfileError(const std::string& file, const std::string& key, const std::string& what) {
  return Status::InvalidArgument(file + ": " + key + ": " + what, key);
}

// Reads a string key of `table` into *out when present; it must be one of `allowed`.
Status ReadChoice(const toml::table& table, const std::string& section, const std::string& key,
                  const std::set<std::string>& allowed, const std::string& file, std::string* out) {
  const toml::node* node = table.get(key);
  if (!node) return Status::Ok();
  std::string where = section + "." + key;
  if (!node->is_string()) return ProfileError(file, where, "expected a string");
  std::string value = *node->value<std::string>();
  if (!allowed.contains(value)) {
    std::string names;
    for (const std::string& a : allowed) names += (names.empty() ? "" : ", ") + a;
    return ProfileError(file, where, "'" + value + "' is not one of " + names);
  }
  *out = value;
  return Status::Ok();
}

// Rejects keys of `table` outside `known`.
Status OnlyKeys(const toml::table& table, const std::string& section,
                const std::set<std::string>& known, const std::string& file) {
  for (const auto& [key, node] : table)
    if (!known.contains(std::string(key.str())))
      return ProfileError(
          file, section.empty() ? std::string(key.str()) : section + "." + std::string(key.str()),
          "unknown key");
  return Status::Ok();
}

bool IsSysctlKey(const std::string& key) {
  return !key.empty() && key.front() != '.' && key.back() != '.' &&
         key.find("..") == std::string::npos &&
         key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.-") == std::string::npos;
}

Status ReadSysctls(const toml::table& table, const std::string& file, TuningProfile* p) {
  const std::vector<std::string>& owned = DriverOwnedSysctls();
  for (const auto& [key_view, node] : table) {
    std::string key(key_view.str());
    std::string where = "sysctl." + key;
    if (!IsSysctlKey(key)) return ProfileError(file, where, "not a sysctl name");
    if (std::find(owned.begin(), owned.end(), key) != owned.end())
      return ProfileError(
          file, where, "set by the Ascend driver's own init script; a profile must not fight it");
    std::string value;
    if (node.is_integer()) {
      value = std::to_string(*node.value<int64_t>());
    } else if (node.is_string()) {
      value = *node.value<std::string>();
      if (value.empty() || value.find_first_of("\n\r") != std::string::npos)
        return ProfileError(file, where, "expected a one-line value");
    } else {
      return ProfileError(file, where, "expected an integer or a string");
    }
    p->sysctls.emplace_back(key, value);
  }
  return Status::Ok();
}

const toml::table* SubTable(const toml::table& root, const std::string& name, Status* error,
                            const std::string& file) {
  const toml::node* node = root.get(name);
  if (!node) return nullptr;
  if (!node->is_table()) *error = ProfileError(file, name, "expected a [table]");
  return node->as_table();
}

}  // namespace

const std::vector<std::string>& DriverOwnedSysctls() {
  static const std::vector<std::string> kOwned = {"net.core.wmem_max", "net.unix.max_dgram_qlen"};
  return kOwned;
}

std::string SysctlPath(const std::string& key) {
  std::string path = key;
  std::replace(path.begin(), path.end(), '.', '/');
  return "/proc/sys/" + path;
}

std::vector<std::string> TuningProfileNames(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

Result<TuningProfile> LoadTuningProfile(const std::string& dir, const std::string& name) {
  TuningProfile p;
  p.name = name;
  p.file = dir + "/" + name + ".toml";
  std::ifstream in(p.file);
  if (!in) return Status::NotFound(p.file + ": no such tuning profile");
  std::stringstream text;
  text << in.rdbuf();
  HAI_ASSIGN_OR_RETURN(toml::table root, config::ParseToml(text.str(), p.file));
  HAI_RETURN_IF_ERROR(OnlyKeys(root, "", {"description", "thp", "sysctl", "io_scheduler"}, p.file));
  if (const toml::node* d = root.get("description")) {
    if (!d->is_string()) return ProfileError(p.file, "description", "expected a string");
    p.description = *d->value<std::string>();
  }
  Status error;
  if (const toml::table* thp = SubTable(root, "thp", &error, p.file)) {
    HAI_RETURN_IF_ERROR(OnlyKeys(*thp, "thp", {"enabled", "defrag"}, p.file));
    HAI_RETURN_IF_ERROR(
        ReadChoice(*thp, "thp", "enabled", {"always", "madvise", "never"}, p.file, &p.thp_enabled));
    HAI_RETURN_IF_ERROR(ReadChoice(*thp, "thp", "defrag",
                                   {"always", "defer", "defer+madvise", "madvise", "never"}, p.file,
                                   &p.thp_defrag));
  }
  HAI_RETURN_IF_ERROR(error);
  if (const toml::table* sysctl = SubTable(root, "sysctl", &error, p.file))
    HAI_RETURN_IF_ERROR(ReadSysctls(*sysctl, p.file, &p));
  HAI_RETURN_IF_ERROR(error);
  if (const toml::table* io = SubTable(root, "io_scheduler", &error, p.file)) {
    static const std::set<std::string> kSchedulers = {"none", "mq-deadline", "bfq", "kyber"};
    HAI_RETURN_IF_ERROR(OnlyKeys(*io, "io_scheduler", {"nvme", "ssd", "hdd"}, p.file));
    HAI_RETURN_IF_ERROR(
        ReadChoice(*io, "io_scheduler", "nvme", kSchedulers, p.file, &p.sched_nvme));
    HAI_RETURN_IF_ERROR(ReadChoice(*io, "io_scheduler", "ssd", kSchedulers, p.file, &p.sched_ssd));
    HAI_RETURN_IF_ERROR(ReadChoice(*io, "io_scheduler", "hdd", kSchedulers, p.file, &p.sched_hdd));
  }
  HAI_RETURN_IF_ERROR(error);
  return p;
}

}  // namespace hai::install
