#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

#include "hwcheck/host/cluster_token.h"
#include "hwcheck/host/peer_connection.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/host/serve_protocol.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck {
namespace {

using host::Socket;
using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kConnectTimeout{5000};

// Sender threads, stopped and joined however the measurement ends.
class Senders {
 public:
  ~Senders() {
    stop_ = true;
    for (std::thread& t : threads_) t.join();
  }
  void Start(int fd, std::chrono::seconds limit) {
    threads_.emplace_back([this, fd, end = Clock::now() + limit] {
      host::SetIoTimeout(fd, std::chrono::milliseconds(200));
      std::vector<char> payload(128 * 1024, 'h');
      // Until the server closes the stream (its test is over) or our own limit.
      while (!stop_ && Clock::now() < end) {
        ssize_t n = send(fd, payload.data(), payload.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) break;
      }
    });
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

std::optional<uint64_t> Field(const std::vector<std::string_view>& words, size_t i) {
  if (i >= words.size()) return std::nullopt;
  std::optional<double> v = accel::ParseToolNumber(words[i]);
  if (!v || *v < 0) return std::nullopt;
  return static_cast<uint64_t>(*v);
}

}  // namespace

Result<TcpBandwidth> MeasureTcpBandwidth(const Peer& peer, const std::string& token_file,
                                         std::chrono::seconds duration, int streams) {
  HAI_ASSIGN_OR_RETURN(std::string token, host::ReadClusterToken(token_file));
  const long long seconds = std::max<long long>(1, duration.count());
  streams = std::clamp(streams, 1, host::kMaxStreams);
  HAI_ASSIGN_OR_RETURN(Socket control, host::OpenAuthenticated(peer, token, kConnectTimeout));
  HAI_ASSIGN_OR_RETURN(std::string granted,
                       host::Ask(control.fd(), peer,
                                 "BW " + std::to_string(seconds) + " " + std::to_string(streams)));
  std::vector<std::string_view> g = accel::SplitAny(granted, " ");
  std::optional<uint64_t> granted_seconds = Field(g, 2), granted_streams = Field(g, 3);
  if (g.size() != 4 || g[0] != "BW" || !granted_seconds || !granted_streams)
    return Status::Unavailable(host::PeerLabel(peer) + " answered '" + granted + "' to BW");
  const std::string session(g[1]);

  std::vector<Socket> data;
  Senders senders;  // declared after `data`: joined before the sockets close
  const auto sender_limit =
      std::chrono::seconds(*granted_seconds) + host::kStreamJoinTimeout + std::chrono::seconds(10);
  for (uint64_t i = 0; i < *granted_streams; ++i) {
    HAI_ASSIGN_OR_RETURN(Socket stream, host::OpenAuthenticated(peer, token, kConnectTimeout));
    HAI_ASSIGN_OR_RETURN(std::string ok, host::Ask(stream.fd(), peer, "DATA " + session));
    if (ok != "OK") return Status::Unavailable(host::PeerLabel(peer) + " refused a data stream");
    senders.Start(stream.fd(), sender_limit);
    data.push_back(std::move(stream));
  }
  host::SetIoTimeout(control.fd(), sender_limit);
  Result<std::string> result = host::ReadLine(control.fd());
  if (!result.ok())
    return Status::Unavailable(host::PeerLabel(peer) + ": no result: " + result.status().message());
  if (result->starts_with("ERR "))
    return Status::Unavailable(host::PeerLabel(peer) + ": " + result->substr(4));
  std::vector<std::string_view> r = accel::SplitAny(*result, " ");
  std::optional<uint64_t> bytes = Field(r, 1), micros = Field(r, 2), joined = Field(r, 3);
  if (r.size() != 4 || r[0] != "RESULT" || !bytes || !micros || *micros == 0 || !joined)
    return Status::Unavailable(host::PeerLabel(peer) + " answered '" + *result + "'");
  TcpBandwidth bw;
  bw.bytes = *bytes;
  bw.seconds = static_cast<double>(*micros) / 1e6;
  bw.streams = static_cast<int>(*joined);
  bw.gbps = static_cast<double>(*bytes) * 8.0 / bw.seconds / 1e9;
  return bw;
}

Status StartPeerRoceServer(const Peer& peer, const std::string& token_file, int device,
                           std::chrono::seconds duration) {
  HAI_ASSIGN_OR_RETURN(std::string token, host::ReadClusterToken(token_file));
  HAI_ASSIGN_OR_RETURN(Socket control, host::OpenAuthenticated(peer, token, kConnectTimeout));
  HAI_ASSIGN_OR_RETURN(std::string answer,
                       host::Ask(control.fd(), peer,
                                 "ROCE " + std::to_string(device) + " " +
                                     std::to_string(std::max<long long>(1, duration.count()))));
  if (answer != "STARTED")
    return Status::Unavailable(host::PeerLabel(peer) + " answered '" + answer + "' to ROCE");
  return Status::Ok();
}

Status StartPeerRdmaServer(const Peer& peer, const std::string& token_file,
                           const std::string& device, std::chrono::seconds duration) {
  HAI_ASSIGN_OR_RETURN(std::string token, host::ReadClusterToken(token_file));
  HAI_ASSIGN_OR_RETURN(Socket control, host::OpenAuthenticated(peer, token, kConnectTimeout));
  HAI_ASSIGN_OR_RETURN(
      std::string answer,
      host::Ask(control.fd(), peer,
                "RDMA " + device + " " + std::to_string(std::max<long long>(1, duration.count()))));
  if (answer != "STARTED")
    return Status::Unavailable(host::PeerLabel(peer) + " answered '" + answer + "' to RDMA");
  return Status::Ok();
}

}  // namespace hai::hwcheck
