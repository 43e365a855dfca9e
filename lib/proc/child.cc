#include "lib/proc/child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

extern char** environ;

namespace hai::proc {
namespace {

// What the child reports through the exec pipe when it cannot run the program.
struct ExecFailure {
  int stage;  // 0: chdir, 1: exec
  int error;
};

void WriteFailure(int fd, int stage, int error) {
  ExecFailure f{stage, error};
  ssize_t ignored = write(fd, &f, sizeof(f));
  (void)ignored;  // nothing more a failing child can do
}

// The child's environment: ours, with `overrides` replacing same-named entries.
// systemd's notify variables stay with us: a child that inherited them (an
// engine under hai-agent.service) would send READY=1 and WATCHDOG=1 to the
// unit's socket, which NotifyAccess=main refuses with a warning per message.
std::vector<std::string> MergeEnvironment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    const std::string name = name_of(entry);
    if (name == "NOTIFY_SOCKET" || name == "WATCHDOG_PID" || name == "WATCHDOG_USEC") continue;
    bool replaced = false;
    for (const std::string& o : overrides) replaced = replaced || name_of(o) == name_of(entry);
    if (!replaced) env.push_back(std::move(entry));
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

std::string PathOf(const std::vector<std::string>& env) {
  for (const std::string& e : env)
    if (e.rfind("PATH=", 0) == 0) return e.substr(5);
  return "/usr/local/bin:/usr/bin:/bin";
}

// Closes every descriptor above stderr except `keep`, so the program inherits
// none of ours (listening sockets above all: a surviving child must never hold
// its parent's port). Async-signal-safe: runs between fork and exec.
void CloseOtherDescriptors(int keep) {
#ifdef SYS_close_range
  if (keep > 3) syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u);
  if (syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u) == 0) return;
#endif
  rlimit limit{};
  int max_fd = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < 65536
                   ? static_cast<int>(limit.rlim_cur)
                   : 65536;
  for (int fd = 3; fd < max_fd; ++fd)
    if (fd != keep) close(fd);
}

Status ExecError(const std::string& program, const ExecFailure& f, const std::string& dir) {
  std::string what = f.stage == 0 ? "cannot enter working directory " + dir + " for " + program
                                  : "cannot run " + program;
  std::string message = what + ": " + std::strerror(f.error);
  if (f.error == ENOENT) return Status::NotFound(message);
  if (f.error == EACCES || f.error == EPERM) return Status::PermissionDenied(message);
  return Status::Unavailable(message);
}

}  // namespace

Result<std::string> FindProgram(const std::string& name, const std::string& path_env) {
  if (name.empty()) return Status::InvalidArgument("empty program name");
  if (name.find('/') != std::string::npos) return name;
  size_t start = 0;
  for (;;) {
    size_t end = path_env.find(':', start);
    std::string dir =
        path_env.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return Status::NotFound("program '" + name + "' not found on PATH (" + path_env + ")");
}

Result<Child> Child::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return Status::InvalidArgument("nothing to run");
  std::vector<std::string> env_strings = MergeEnvironment(options.env);
  HAI_ASSIGN_OR_RETURN(std::string program, FindProgram(options.argv[0], PathOf(env_strings)));
  std::vector<char*> argv, envp;
  for (const std::string& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int exec_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0)
    return Status::Unavailable(std::string("pipe failed: ") + std::strerror(errno));
  int out_pipe[2] = {-1, -1};
  if (options.capture_output && pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(exec_pipe[0]);
    close(exec_pipe[1]);
    return Status::Unavailable(std::string("pipe failed: ") + std::strerror(errno));
  }

  // fork + exec rather than posix_spawn: the child must set its parent-death
  // signal and unblock the signals our main thread keeps blocked for signalfd.
  // Only async-signal-safe calls between fork and exec.
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int error = errno;
    for (int fd : {exec_pipe[0], exec_pipe[1], out_pipe[0], out_pipe[1]})
      if (fd >= 0) close(fd);
    return Status::Unavailable(std::string("fork failed: ") + std::strerror(error));
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // Ignored signals stay ignored across exec (a daemon ignores SIGPIPE);
    // the program starts with the defaults.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
      if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, nullptr);
    if (options.new_process_group) setpgid(0, 0);
    if (options.die_with_parent) {
      prctl(PR_SET_PDEATHSIG, options.parent_death_signal);
      if (getppid() != parent) _exit(127);
    }
    if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) {
      WriteFailure(exec_pipe[1], 0, errno);
      _exit(127);
    }
    if (options.capture_output) {
      dup2(out_pipe[1], STDOUT_FILENO);
      dup2(out_pipe[1], STDERR_FILENO);
    } else if (options.stdout_to_stderr) {
      dup2(STDERR_FILENO, STDOUT_FILENO);
    }
    CloseOtherDescriptors(exec_pipe[1]);
    execve(program.c_str(), argv.data(), envp.data());
    WriteFailure(exec_pipe[1], 1, errno);
    _exit(127);
  }
  // Also from this side, so the group exists before anyone signals it.
  if (options.new_process_group) setpgid(pid, pid);
  close(exec_pipe[1]);
  if (out_pipe[1] >= 0) close(out_pipe[1]);
  ExecFailure failure{};
  ssize_t n;
  do {
    n = read(exec_pipe[0], &failure, sizeof(failure));
  } while (n < 0 && errno == EINTR);
  close(exec_pipe[0]);
  Child child(pid, options.new_process_group, out_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof(failure))) {
    child.Terminate(std::chrono::milliseconds(1000));  // already exiting: just reaps it
    return ExecError(program, failure, options.working_dir);
  }
  return child;
}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_),
      group_(other.group_),
      output_fd_(other.output_fd_),
      status_(other.status_),
      term_signal_(other.term_signal_) {
  other.pid_ = -1;
  other.output_fd_ = -1;
}

Child::~Child() {
  if (pid_ > 0 && !status_) Terminate(std::chrono::milliseconds(5000));
  if (output_fd_ >= 0) close(output_fd_);
}

int Child::TakeOutputFd() {
  int fd = output_fd_;
  output_fd_ = -1;
  return fd;
}

std::optional<int> Child::Poll() {
  if (status_ || pid_ <= 0) return status_;
  // Look without reaping first: while the leader is an unreaped zombie its pid
  // cannot be reused, so killing what is left of its group hits only its own.
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    if (errno == ECHILD) status_ = 255;  // reaped elsewhere: gone, status unknown
    return status_;
  }
  if (info.si_pid == 0) return std::nullopt;
  if (group_) kill(-pid_, SIGKILL);
  int raw = 0;
  if (waitpid(pid_, &raw, 0) != pid_) return std::nullopt;
  if (WIFEXITED(raw)) {
    status_ = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    term_signal_ = WTERMSIG(raw);
    status_ = 128 + *term_signal_;
  } else {
    status_ = 255;
  }
  return status_;
}

void Child::Signal(int sig) {
  if (pid_ <= 0 || status_) return;
  kill(group_ ? -pid_ : pid_, sig);
}

int Child::Terminate(std::chrono::milliseconds grace) {
  if (auto s = Poll()) return *s;
  Signal(SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto s = Poll()) return *s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Signal(SIGKILL);
  for (;;) {
    if (auto s = Poll()) return *s;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string SelfDirectory() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "." : exe.parent_path().string();
}

}  // namespace hai::proc
