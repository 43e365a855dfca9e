#include "installer/hai-install/real_system.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hai::install {
namespace {

// Feeds `input` to the child and reads both of its pipes until it closes
// them; none can fill up and stall it.
void Exchange(int in_fd, const std::string& input, int out_fd, int err_fd, std::string* out,
              std::string* err) {
  size_t sent = 0;
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
  std::string* sinks[2] = {out, err};
  char buf[4096];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(fds[2].fd, input.data() + sent, input.size() - sent);
      if (n > 0) sent += static_cast<size_t>(n);
      if ((n < 0 && errno != EINTR && errno != EAGAIN) || sent == input.size()) {
        close(fds[2].fd);
        fds[2].fd = -1;
      }
    }
  }
  if (fds[2].fd >= 0) close(fds[2].fd);
}

}  // namespace

Result<CommandResult> RealSystem::Run(const std::vector<std::string>& argv,
                                      const std::string& input) {
  if (argv.empty()) return Status::InvalidArgument("empty command");
  // in, out, err and a pipe that reports a failed exec; all close-on-exec.
  int pipes[4][2];
  for (int i = 0; i < 4; ++i) {
    if (pipe2(pipes[i], O_CLOEXEC) != 0) {
      for (int j = 0; j < i; ++j) close(pipes[j][0]), close(pipes[j][1]);
      return Status::Internal("pipe: " + std::string(strerror(errno)));
    }
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipes[0][0], 0);
    dup2(pipes[1][1], 1);
    dup2(pipes[2][1], 2);
    execvp(args[0], args.data());
    int e = errno;
    ssize_t ignored = write(pipes[3][1], &e, sizeof(e));
    (void)ignored;
    _exit(127);
  }
  close(pipes[0][0]);
  close(pipes[1][1]);
  close(pipes[2][1]);
  close(pipes[3][1]);
  if (pid < 0) {
    int e = errno;
    close(pipes[0][1]), close(pipes[1][0]), close(pipes[2][0]), close(pipes[3][0]);
    return Status::Internal("fork: " + std::string(strerror(e)));
  }
  // A child that exits without reading its input must not kill us.
  signal(SIGPIPE, SIG_IGN);
  CommandResult result;
  Exchange(pipes[0][1], input, pipes[1][0], pipes[2][0], &result.out, &result.err);
  close(pipes[1][0]);
  close(pipes[2][0]);
  int exec_errno = 0;
  ssize_t got = read(pipes[3][0], &exec_errno, sizeof(exec_errno));
  close(pipes[3][0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof(exec_errno)))
    return Status::NotFound(argv[0] + ": cannot run: " + strerror(exec_errno));
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
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
