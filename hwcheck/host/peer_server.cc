#include "hwcheck/host/peer_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "hwcheck/host/cluster_token.h"
#include "hwcheck/host/serve_protocol.h"
#include "lib/accel/command_runner.h"
#include "lib/accel/tool_text.h"
#include "lib/log/log.h"

namespace hai::hwcheck::host {
namespace {

// Whether `tool` is an executable file in one of $PATH's directories.
bool OnPath(const std::string& tool) {
  const char* path = getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (!dir.empty() && access((dir + "/" + tool).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return false;
}

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void Answer(int fd, const std::string& line) { (void)SendAll(fd, line + "\n"); }

std::string PeerName(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (addr.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr, text, sizeof(text));
  else if (addr.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr, text,
              sizeof(text));
  return text;
}

}  // namespace

PeerServer::PeerServer(ServeOptions options, std::string token)
    : options_(std::move(options)), token_(std::move(token)) {
  options_.max_test_seconds = std::clamp(options_.max_test_seconds, 1, 600);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
}

PeerServer::~PeerServer() {
  Stop();
  ReapWorkers(true);
  if (wake_read_ >= 0) close(wake_read_);
  if (wake_write_ >= 0) close(wake_write_);
}

Status PeerServer::Listen() {
  if (wake_read_ < 0) return Status::Internal("cannot create the server's wake-up pipe");
  std::string host;
  int port = 0;
  HAI_RETURN_IF_ERROR(SplitHostPort(options_.listen, &host, &port));
  HAI_ASSIGN_OR_RETURN(listener_, ListenTcp(host, port, 64));
  port_ = LocalPort(listener_.fd());
  return Status::Ok();
}

void PeerServer::Stop() {
  stopping_ = true;
  if (wake_write_ >= 0) (void)!write(wake_write_, "x", 1);
}

bool PeerServer::StartWorker(std::function<void()> body) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return false;
  auto finished = std::make_shared<std::atomic<bool>>(false);
  workers_.push_back(Worker{std::thread([body = std::move(body), finished] {
                              body();
                              *finished = true;
                            }),
                            finished});
  return true;
}

void PeerServer::ReapWorkers(bool all) {
  // Workers may start workers (a ROCE request starts its tool's thread), so
  // the list is taken out and joined without the lock, until nothing is left.
  for (int round = 0; round < 4; ++round) {
    std::list<Worker> done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = workers_.begin(); it != workers_.end();) {
        auto next = std::next(it);
        if (all || *it->finished) done.splice(done.end(), workers_, it);
        it = next;
      }
    }
    for (Worker& w : done) w.thread.join();
    if (!all || done.empty()) return;
  }
}

void PeerServer::Serve(int stop_fd) {
  while (!stopping_ && listener_.valid()) {
    pollfd fds[3] = {{listener_.fd(), POLLIN, 0}, {wake_read_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    int n = poll(fds, stop_fd >= 0 ? 3 : 2, 500);
    ReapWorkers(false);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (fds[1].revents != 0 || (stop_fd >= 0 && fds[2].revents != 0)) break;
    if ((fds[0].revents & POLLIN) == 0) continue;
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    int fd = accept4(listener_.fd(), reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: the listener stays readable, so back off instead of spinning.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        std::this_thread::sleep_for(milliseconds(100));
      continue;
    }
    auto conn = std::make_shared<Socket>(fd);
    if (connections_ >= kMaxConnections) {
      (void)send(fd, "ERR busy\n", 9, MSG_NOSIGNAL | MSG_DONTWAIT);
      continue;
    }
    ++connections_;
    std::string peer = PeerName(addr);
    if (!StartWorker([this, conn, peer] {
          HandleConnection(std::move(*conn), peer);
          --connections_;
        }))
      --connections_;
  }
  stopping_ = true;
  ReapWorkers(true);
}

bool PeerServer::SleepUnlessStopping(milliseconds d) const {
  const auto end = Clock::now() + d;
  for (auto now = Clock::now(); now < end; now = Clock::now()) {
    if (stopping_) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(end - now, milliseconds(50)));
  }
  return !stopping_;
}

void PeerServer::HandleConnection(Socket conn, std::string peer) {
  const int fd = conn.fd();
  SetIoTimeout(fd, kHandshakeTimeout);
  const std::string nonce = NewNonce();
  if (!SendAll(fd, std::string(kServeGreeting) + " " + nonce + "\n").ok()) return;
  Result<std::string> auth = ReadLine(fd);
  if (!auth.ok()) return;
  if (!ProofMatches("AUTH " + TokenProof(token_, nonce), *auth)) {
    log::Warn("serve: token proof refused", {{"peer", peer}});
    Answer(fd, "ERR auth refused");
    return;
  }
  Answer(fd, "OK");
  Result<std::string> request = ReadLine(fd);
  if (!request.ok()) return;
  std::vector<std::string_view> words = accel::SplitAny(*request, " ");
  auto arg = [&words](size_t i) { return i < words.size() ? ParseInt(words[i]) : std::nullopt; };
  if (words.size() == 3 && words[0] == "BW" && arg(1) && arg(2)) {
    HandleBandwidth(fd, *arg(1), *arg(2));
  } else if (words.size() == 2 && words[0] == "DATA") {
    HandleData(std::move(conn), std::string(words[1]));
  } else if (words.size() == 3 && words[0] == "ROCE" && arg(1) && arg(2)) {
    HandleRoce(fd, *arg(1), *arg(2));
  } else if (words.size() == 3 && words[0] == "RDMA" && arg(2)) {
    HandleRdma(fd, std::string(words[1]), *arg(2));
  } else {
    Answer(fd, "ERR unknown request");
  }
}

void PeerServer::HandleBandwidth(int fd, int seconds, int streams) {
  if (seconds < 1 || streams < 1) return Answer(fd, "ERR seconds and streams must be positive");
  seconds = std::min(seconds, options_.max_test_seconds);
  streams = std::min(streams, kMaxStreams);
  auto session = std::make_shared<BandwidthSession>();
  session->streams = streams;
  const std::string id = NewNonce().substr(0, 16);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (static_cast<int>(sessions_.size()) >= kMaxBandwidthSessions)
      return Answer(fd, "ERR busy: too many bandwidth tests at once");
    sessions_[id] = session;
  }
  // Whatever happens below, the streams end and the session is forgotten.
  struct Forget {
    PeerServer* server;
    const std::string& id;
    BandwidthSession& session;
    ~Forget() {
      session.done = true;
      std::lock_guard<std::mutex> lock(server->mu_);
      server->sessions_.erase(id);
    }
  } forget{this, id, *session};

  Answer(fd, "BW " + id + " " + std::to_string(seconds) + " " + std::to_string(streams));
  const auto join_end = Clock::now() + kStreamJoinTimeout;
  while (session->joined < streams && Clock::now() < join_end)
    if (!SleepUnlessStopping(milliseconds(20))) return Answer(fd, "ERR server stopping");
  const int joined = session->joined;
  if (joined == 0) return Answer(fd, "ERR no data stream joined");

  const uint64_t bytes_before = session->bytes;
  const auto start = Clock::now();
  if (!SleepUnlessStopping(std::chrono::seconds(seconds))) return Answer(fd, "ERR server stopping");
  const uint64_t bytes = session->bytes - bytes_before;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
  session->done = true;
  Answer(fd, "RESULT " + std::to_string(bytes) + " " + std::to_string(micros) + " " +
                 std::to_string(joined));
}

void PeerServer::HandleData(Socket conn, const std::string& session_id) {
  const int fd = conn.fd();
  std::shared_ptr<BandwidthSession> session;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = sessions_.find(session_id); it != sessions_.end()) session = it->second;
  }
  if (!session || session->done) return Answer(fd, "ERR unknown session");
  if (session->joined.fetch_add(1) >= session->streams) {
    --session->joined;
    return Answer(fd, "ERR too many streams");
  }
  Answer(fd, "OK");
  SetIoTimeout(fd, milliseconds(200));  // wake up to notice the end of the test
  std::vector<char> buffer(256 * 1024);
  const auto end = Clock::now() + std::chrono::seconds(options_.max_test_seconds) +
                   kStreamJoinTimeout + std::chrono::seconds(10);
  while (!session->done && !stopping_ && Clock::now() < end) {
    ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
    if (n > 0) {
      session->bytes += static_cast<uint64_t>(n);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      break;
    }
  }
}

void PeerServer::HandleRoce(int fd, int device, int seconds) {
  if (device < 0 || device > kMaxNpuDevice || seconds < 1)
    return Answer(
        fd, "ERR device must be 0.." + std::to_string(kMaxNpuDevice) + " and seconds positive");
  seconds = std::min(seconds, options_.max_test_seconds);
  if (access(options_.hccn_tool.c_str(), X_OK) != 0)
    return Answer(fd, "ERR hccn_tool not found: " + options_.hccn_tool);
  // The fixed argv of peer_control.h: nothing from the request but two numbers.
  StartTestServer(fd,
                  {options_.hccn_tool, "-i", std::to_string(device), "-roce_test", "ib_write_bw",
                   "-s", "1048576", "-D", std::to_string(seconds), "-report_gbits"},
                  seconds);
}

void PeerServer::HandleRdma(int fd, const std::string& device, int seconds) {
  bool name_ok = !device.empty() && device.size() <= kMaxRdmaDeviceName;
  for (char c : device)
    name_ok = name_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (!name_ok || seconds < 1)
    return Answer(fd, "ERR device must be an RDMA device name and seconds positive");
  seconds = std::min(seconds, options_.max_test_seconds);
  if (!OnPath("ib_write_bw")) return Answer(fd, "ERR ib_write_bw not found (perftest)");
  // ib_write_bw from PATH, server side (no peer address): only the device
  // name and a number come from the request.
  StartTestServer(fd,
                  {"ib_write_bw", "-d", device, "-s", "1048576", "-D", std::to_string(seconds),
                   "--report_gbits"},
                  seconds);
}

void PeerServer::StartTestServer(int fd, std::vector<std::string> argv, int seconds) {
  if (roce_runs_.fetch_add(1) >= kMaxRoceRuns) {
    --roce_runs_;
    return Answer(fd, "ERR busy: too many RDMA tests at once");
  }
  const auto timeout = std::chrono::seconds(seconds) + kRoceGrace;
  bool started = StartWorker([this, argv = std::move(argv), timeout] {
    accel::SubprocessRunner runner;
    Result<accel::CommandOutput> out = runner.Run(argv, timeout);
    if (!out.ok()) {
      log::Warn("serve: test server failed", {{"tool", argv[0]}, {"error", out.status().message()}});
    } else {
      log::Info("serve: test server finished", {{"tool", argv[0]}, {"exit", out->exit_code}});
    }
    --roce_runs_;
  });
  if (!started) {
    --roce_runs_;
    return Answer(fd, "ERR server stopping");
  }
  Answer(fd, "STARTED");
}

}  // namespace hai::hwcheck::host
