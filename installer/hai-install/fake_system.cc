#include "installer/hai-install/fake_system.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "installer/hai-install/accounts.h"
#include "installer/hai-install/kernel_value.h"

namespace hai::install {
namespace {

bool IsQuery(const std::vector<std::string>& argv) {
  for (const std::string& a : argv)
    if (a == "is-enabled" || a == "is-active" || a == "list" || a == "--info=DEFAULT" ||
        a == "tracking")
      return true;
  return false;
}

// The units named after a systemctl verb.
std::vector<std::string> Units(const std::vector<std::string>& argv, size_t verb) {
  return std::vector<std::string>(argv.begin() + static_cast<long>(verb) + 1, argv.end());
}

}  // namespace

void FakeSystem::SeedHost() {
  live["/sys/kernel/mm/transparent_hugepage/enabled"] = "[always] madvise never\n";
  live["/sys/kernel/mm/transparent_hugepage/defrag"] =
      "always defer defer+madvise [madvise] never\n";
  live["/proc/sys/vm/swappiness"] = "60\n";
  live["/proc/sys/vm/max_map_count"] = "65530\n";
  live["/proc/sys/net/core/somaxconn"] = "4096\n";
  live["/proc/sys/net/ipv4/tcp_rmem"] = "4096\t131072\t6291456\n";
  live["/proc/cmdline"] = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet\n";
  live["/sys/block/nvme0n1/queue/rotational"] = "0\n";
  live["/sys/block/nvme0n1/queue/scheduler"] = "[none] mq-deadline kyber\n";
  live["/sys/block/sda/queue/rotational"] = "1\n";
  live["/sys/block/sda/queue/scheduler"] = "mq-deadline kyber [bfq] none\n";
  live["/sys/block/loop0/queue/rotational"] = "1\n";
  live["/sys/block/loop0/queue/scheduler"] = "[none] mq-deadline\n";
}

void FakeSystem::SeedTunableHost(const TuningProfile& profile) {
  SeedHost();
  for (const auto& [key, value] : profile.sysctls) live.emplace(SysctlPath(key), "1\n");
  on_udev_trigger = [this] {
    live["/sys/block/sda/queue/scheduler"] = "[mq-deadline] kyber bfq none\n";
  };
}

Result<CommandResult> FakeSystem::Run(const std::vector<std::string>& argv,
                                      const std::string& input) {
  std::string line = CommandLine(argv);
  commands.push_back(line);
  if (!IsQuery(argv)) changes.push_back(line);
  if (!fail_when.empty() && line.find(fail_when) != std::string::npos)
    return CommandResult{1, "", "injected failure"};
  CommandResult r;
  const std::string& tool = argv[0];
  if (tool == "systemctl") {
    size_t verb = argv.size() > 1 && argv[1].rfind("--root=", 0) == 0 ? 2 : 1;
    const std::string& what = argv[verb];
    std::vector<std::string> units = Units(argv, verb);
    if (what == "is-enabled" || what == "is-active") {
      const std::set<std::string>& set = what == "is-enabled" ? enabled : active;
      bool on = set.contains(units.at(0));
      r.exit_code = on ? 0 : 1;
      r.out = what == "is-enabled" ? (on ? "enabled\n" : "disabled\n")
                                   : (on ? "active\n" : "inactive\n");
    } else if (what == "enable") {
      enabled.insert(units.begin(), units.end());
    } else if (what == "disable") {
      for (const std::string& u : units) enabled.erase(u);
    } else if (what == "start") {
      active.insert(units.begin(), units.end());
    } else if (what == "stop") {
      for (const std::string& u : units) active.erase(u);
    }
    return r;
  }
  if (tool == "nft") {
    if (argv[1] == "list") {
      if (nft_table.empty()) return CommandResult{1, "", "No such file or directory"};
      r.out = nft_table;
    } else if (argv[1] == "delete") {
      nft_table.clear();
    } else if (argv[1] == "-f") {
      std::string text = input;
      if (argv[2] != "-") {
        std::ifstream in(argv[2]);
        std::stringstream s;
        s << in.rdbuf();
        text = s.str();
      }
      // What nft would list: the table, without the lines that replace it.
      const std::string replace = "table inet hai\ndelete table inet hai\n";
      if (text.rfind(replace, 0) == 0) text = text.substr(replace.size());
      nft_table = text;
    }
    return r;
  }
  if (tool == "chronyc") {
    r.out =
        "Reference ID    : 0A000001 (10.0.0.1)\nStratum         : 3\nLeap status     : Normal\n";
    return r;
  }
  if ((tool == "usermod" || tool == "gpasswd") && !group_file.empty()) {
    // usermod -aG GROUP USER; gpasswd -d USER GROUP
    bool add = tool == "usermod";
    Status st = SetGroupMember(group_file, add ? argv.at(2) : argv.at(3),
                               add ? argv.at(3) : argv.at(2), add);
    if (!st.ok()) return CommandResult{6, "", st.message()};
    return r;
  }
  if (tool == "udevadm" && argv[1] == "trigger" && on_udev_trigger) on_udev_trigger();
  return r;  // update-grub, grubby …: succeed
}

Result<std::string> FakeSystem::ReadLive(const std::string& path) {
  auto it = live.find(path);
  if (it == live.end()) return Status::NotFound(path + ": no such file");
  return it->second;
}

Status FakeSystem::WriteLive(const std::string& path, const std::string& value) {
  if (read_only.contains(path)) return Status::PermissionDenied(path + ": Permission denied");
  std::string v = value;
  if (!v.empty() && v.back() == '\n') v.pop_back();
  auto it = live.find(path);
  if (it != live.end() && it->second.find('[') != std::string::npos) {
    // A choice list: move the brackets.
    std::istringstream words(it->second);
    std::string out;
    for (std::string w; words >> w;) {
      if (w.front() == '[') w = w.substr(1, w.size() - 2);
      out += (out.empty() ? "" : " ") + (w == v ? "[" + w + "]" : w);
    }
    it->second = out + "\n";
    return Status::Ok();
  }
  // The kernel shows multi-value sysctls with tabs, whatever was written.
  if (path.rfind("/proc/sys/", 0) == 0) std::replace(v.begin(), v.end(), ' ', '\t');
  live[path] = v + "\n";
  return Status::Ok();
}

Result<std::vector<std::string>> FakeSystem::ListLive(const std::string& dir) {
  std::set<std::string> names;
  std::string prefix = dir + "/";
  for (const auto& [path, value] : live)
    if (path.rfind(prefix, 0) == 0)
      names.insert(path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size()));
  return std::vector<std::string>(names.begin(), names.end());
}

RunContext TestContext(FakeSystem* system, const std::string& root, bool live) {
  RunContext ctx;
  ctx.system = system;
  ctx.root = root;
  ctx.live = live;
  ctx.in_container = system->container;
  return ctx;
}

}  // namespace hai::install
