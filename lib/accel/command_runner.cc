#include "lib/accel/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace hai::accel {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

Status MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return Status::Unavailable(std::string("pipe: ") + strerror(errno));
  read_end->Reset(fds[0]);
  write_end->Reset(fds[1]);
  return Status::Ok();
}

// The executable for argv[0], or "" when there is none.
std::string ResolveProgram(const std::string& name, const std::string& search_path) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  std::string path = search_path;
  if (path.empty()) {
    const char* env = std::getenv("PATH");
    path = env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate = dir + "/" + name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return "";
}

int DecodeWaitStatus(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return 255;
}

// Reads what is available on `fd` into `out`; false at end of file.
bool Drain(int fd, std::string* out) {
  char buf[16384];
  ssize_t n = read(fd, buf, sizeof(buf));
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  size_t room = SubprocessRunner::kMaxCaptureBytes -
                std::min(out->size(), SubprocessRunner::kMaxCaptureBytes);
  out->append(buf, std::min(static_cast<size_t>(n), room));
  return true;
}

}  // namespace

std::string JoinArgv(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

Status ToolFailed(const std::vector<std::string>& argv, const CommandOutput& out) {
  std::string said = out.stderr_text.empty() ? out.stdout_text : out.stderr_text;
  said = said.substr(0, said.find('\n'));
  return Status::Unavailable(JoinArgv(argv) + " exited with " + std::to_string(out.exit_code) +
                             (said.empty() ? "" : ": " + said));
}

Result<std::string> RunForStdout(CommandRunner& runner, const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) {
  HAI_ASSIGN_OR_RETURN(CommandOutput out, runner.Run(argv, timeout));
  if (out.exit_code != 0) return ToolFailed(argv, out);
  return std::move(out.stdout_text);
}

Result<CommandOutput> SubprocessRunner::Run(const std::vector<std::string>& argv,
                                            std::chrono::milliseconds timeout) {
  return RunWithInput(argv, "", timeout);
}

Result<CommandOutput> SubprocessRunner::RunWithInput(const std::vector<std::string>& argv,
                                                     const std::string& input,
                                                     std::chrono::milliseconds timeout) {
  if (argv.empty()) return Status::InvalidArgument("nothing to run");
  std::string program = ResolveProgram(argv[0], search_path_);
  if (program.empty()) return Status::Unavailable(argv[0] + " not found");

  Fd out_r, out_w, err_r, err_w, in_r, in_w;
  HAI_RETURN_IF_ERROR(MakePipe(&out_r, &out_w));
  HAI_RETURN_IF_ERROR(MakePipe(&err_r, &err_w));
  if (!input.empty()) {
    HAI_RETURN_IF_ERROR(MakePipe(&in_r, &in_w));
    // Written between reads: a full pipe must not stop us draining the tool's output.
    fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
    // A tool that exits without reading all of it must not kill us.
    signal(SIGPIPE, SIG_IGN);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args[0] = program.data();
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) return Status::Unavailable(std::string("fork: ") + strerror(errno));
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int in = in_r.get() >= 0 ? in_r.get() : open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, STDIN_FILENO);
    dup2(out_w.get(), STDOUT_FILENO);
    dup2(err_w.get(), STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  out_w.Reset();
  err_w.Reset();
  in_r.Reset();

  CommandOutput result;
  size_t sent = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true, timed_out = false;
  while (out_open || err_open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[3] = {{out_open ? out_r.get() : -1, POLLIN, 0},
                     {err_open ? err_r.get() : -1, POLLIN, 0},
                     {in_w.get(), POLLOUT, 0}};
    int n = poll(fds, 3, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (fds[0].revents) out_open = Drain(out_r.get(), &result.stdout_text);
    if (fds[1].revents) err_open = Drain(err_r.get(), &result.stderr_text);
    if (fds[2].revents) {
      ssize_t w = write(in_w.get(), input.data() + sent, input.size() - sent);
      if (w > 0) sent += static_cast<size_t>(w);
      if ((w < 0 && errno != EINTR && errno != EAGAIN) || sent == input.size()) in_w.Reset();
    }
  }
  // A tool may close its output and linger: the deadline still holds.
  int raw = 0;
  while (!timed_out) {
    pid_t r = waitpid(pid, &raw, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= deadline)
      timed_out = true;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (timed_out) {
    kill(pid, SIGKILL);
    while (waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
  }
  if (timed_out)
    return Status::Unavailable(JoinArgv(argv) + " timed out after " +
                               std::to_string(timeout.count()) + " ms");
  result.exit_code = DecodeWaitStatus(raw);
  return result;
}

}  // namespace hai::accel
