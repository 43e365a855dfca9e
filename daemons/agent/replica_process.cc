#include "daemons/agent/replica_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "daemons/agent/leftover_engines.h"

namespace hai::agent {
namespace {

Status WriteConfigFile(const engine_profile::ConfigFile& f) {
  int fd = open(f.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot write " + f.path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < f.content.size()) {
    ssize_t n = write(fd, f.content.data() + done, f.content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      close(fd);
      return Status::Unavailable("cannot write " + f.path + ": " + std::strerror(error));
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0)
    return Status::Unavailable("cannot write " + f.path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

std::string ProcessExit::Describe() const {
  if (signal) return "killed by signal " + std::to_string(*signal);
  return "exited with code " + std::to_string(exit_code.value_or(-1));
}

Result<std::unique_ptr<ReplicaProcess>> ReplicaProcess::Start(
    const engine_profile::LaunchSpec& spec, RotatingLog* log, const std::string& pid_file) {
  for (const engine_profile::ConfigFile& f : spec.files) HAI_RETURN_IF_ERROR(WriteConfigFile(f));
  proc::SpawnOptions o;
  o.argv = spec.argv;
  for (const auto& [name, value] : spec.env) o.env.push_back(name + "=" + value);
  o.working_dir = spec.working_dir;
  o.new_process_group = true;
  o.capture_output = true;
  o.die_with_parent = true;
  o.parent_death_signal = SIGTERM;  // lets a multi-process engine stop its own workers
  HAI_ASSIGN_OR_RETURN(proc::Child child, proc::Child::Spawn(o));
  std::unique_ptr<ReplicaProcess> p(new ReplicaProcess(std::move(child), log, pid_file));
  if (Status st = WritePidFile(pid_file, p->pid()); !st.ok())
    log->Note("cannot record the pid (" + st.message() + "); a restarted agent would not find it");
  return p;
}

ReplicaProcess::ReplicaProcess(proc::Child child, RotatingLog* log, std::string pid_file)
    : child_(std::move(child)), log_(log), pid_file_(std::move(pid_file)) {
  int fd = child_.TakeOutputFd();
  pump_ = std::thread([this, fd] { Pump(fd); });
}

ReplicaProcess::~ReplicaProcess() {
  if (!exit_) Stop(std::chrono::milliseconds(0));
  exited_ = true;
  if (pump_.joinable()) pump_.join();
}

// Drains the pipe until every writer has closed it. Once the group is known
// to be dead it stops at the first quiet moment, so a process that escaped
// the group and kept the pipe cannot hold the pump forever.
void ReplicaProcess::Pump(int fd) {
  char buf[64 * 1024];
  for (;;) {
    pollfd pfd{fd, POLLIN, 0};
    int ready = poll(&pfd, 1, 200);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      if (exited_) break;
      continue;
    }
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    log_->Write(std::string_view(buf, static_cast<size_t>(n)));
  }
  close(fd);
}

ProcessExit ReplicaProcess::Finish() {
  ProcessExit e;
  if (child_.term_signal())
    e.signal = child_.term_signal();
  else
    e.exit_code = child_.Poll().value_or(-1);
  unlink(pid_file_.c_str());
  exit_ = e;
  exited_ = true;
  return e;
}

std::optional<ProcessExit> ReplicaProcess::Poll() {
  if (exit_) return exit_;
  if (!child_.Poll()) return std::nullopt;
  return Finish();
}

ProcessExit ReplicaProcess::Stop(std::chrono::milliseconds grace) {
  if (exit_) return *exit_;
  child_.Terminate(grace);
  return Finish();
}

}  // namespace hai::agent
