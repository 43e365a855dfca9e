#include "hwcheck/host/peer_connection.h"

#include "hwcheck/host/cluster_token.h"
#include "hwcheck/host/serve_protocol.h"

namespace hai::hwcheck::host {
namespace {

int PortOf(const Peer& peer) { return peer.port > 0 ? peer.port : kDefaultServePort; }

Status FromErrLine(const Peer& peer, const std::string& line) {
  std::string why = line.substr(4);
  if (why == "auth refused")
    return Status::Unauthenticated(PeerLabel(peer) + " refused the cluster token");
  return Status::Unavailable(PeerLabel(peer) + ": " + why);
}

}  // namespace

std::string PeerLabel(const Peer& peer) {
  std::string where = peer.address + ":" + std::to_string(PortOf(peer));
  return peer.name.empty() || peer.name == peer.address ? where : peer.name + " (" + where + ")";
}

Result<std::string> Ask(int fd, const Peer& peer, const std::string& request) {
  if (Status st = SendAll(fd, request + "\n"); !st.ok())
    return Status::Unavailable(PeerLabel(peer) + ": " + st.message());
  Result<std::string> line = ReadLine(fd);
  if (!line.ok()) return Status::Unavailable(PeerLabel(peer) + ": " + line.status().message());
  if (line->starts_with("ERR ")) return FromErrLine(peer, *line);
  return line;
}

Result<Socket> OpenAuthenticated(const Peer& peer, const std::string& token,
                                 std::chrono::milliseconds timeout) {
  Result<Socket> sock = ConnectTcp(peer.address, PortOf(peer), timeout);
  if (!sock.ok())
    return Status::Unavailable(PeerLabel(peer) + " unreachable: " + sock.status().message());
  SetIoTimeout(sock->fd(), timeout);
  Result<std::string> hello = ReadLine(sock->fd());
  const std::string greeting = std::string(kServeGreeting) + " ";
  if (!hello.ok() || !hello->starts_with(greeting)) {
    if (hello.ok() && hello->starts_with("ERR ")) return FromErrLine(peer, *hello);
    return Status::Unavailable(PeerLabel(peer) + " does not answer as hai-hwcheck serve");
  }
  const std::string nonce = hello->substr(greeting.size());
  Result<std::string> answer = Ask(sock->fd(), peer, "AUTH " + TokenProof(token, nonce));
  if (!answer.ok()) return answer.status();
  if (*answer != "OK")
    return Status::Unavailable(PeerLabel(peer) + " answered '" + *answer + "' to AUTH");
  return sock;
}

}  // namespace hai::hwcheck::host
