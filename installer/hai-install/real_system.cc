#include "installer/hai-install/real_system.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/accel/command_runner.h"

namespace hai::install {

Result<CommandResult> RealSystem::Run(const std::vector<std::string>& argv,
                                      const std::string& input) {
  // Bounded so that a hung tool fails the step (and rolls back) instead of
  // hanging the install; starting the units is the slowest call (each unit
  // may take TimeoutStartSec=120s).
  constexpr std::chrono::minutes kLimit{10};
  HAI_ASSIGN_OR_RETURN(accel::CommandOutput out,
                       accel::SubprocessRunner().RunWithInput(argv, input, kLimit));
  return CommandResult{out.exit_code, std::move(out.stdout_text), std::move(out.stderr_text)};
}

Result<std::string> RealSystem::ReadLive(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": " + strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status RealSystem::WriteLive(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::PermissionDenied(path + ": " + strerror(errno));
  ssize_t n = write(fd, value.data(), value.size());
  int e = errno;
  close(fd);
  if (n != static_cast<ssize_t>(value.size()))
    return Status::PermissionDenied(path + ": " + (n < 0 ? strerror(e) : "short write"));
  return Status::Ok();
}

Result<std::vector<std::string>> RealSystem::ListLive(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    names.push_back(entry.path().filename().string());
  if (ec) return Status::NotFound(dir + ": " + ec.message());
  return names;
}

bool RealSystem::InContainer() {
  // systemd's own answer first; the files cover hosts without systemd.
  auto detect = Run({"systemd-detect-virt", "--container", "--quiet"});
  if (detect.ok()) return detect->exit_code == 0;
  if (access("/run/.containerenv", F_OK) == 0 || access("/.dockerenv", F_OK) == 0) return true;
  auto environ = ReadLive("/proc/1/environ");
  return environ.ok() && environ->find(std::string("container=")) != std::string::npos;
}

std::string RealSystem::HostAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  // Global first; a link-local one (169.254/16, as on a lab bridge) only
  // when the host has no other.
  std::string global, link_local;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    const in_addr& addr = reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr;
    uint32_t ip = ntohl(addr.s_addr);
    if ((ip >> 24) == 127 || ip == 0) continue;
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr, text, sizeof(text));
    std::string& slot = (ip >> 16) == 0xA9FE ? link_local : global;
    if (slot.empty()) slot = text;
  }
  freeifaddrs(list);
  return global.empty() ? link_local : global;
}

}  // namespace hai::install
