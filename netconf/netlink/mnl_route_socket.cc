#include "netconf/netlink/mnl_route_socket.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

namespace hai::netconf::nl {
namespace {

// The kernel answers rtnetlink requests synchronously; a silent socket means
// something is badly wrong, not slow.
constexpr int kReceiveTimeoutSeconds = 5;
// Reads per exchange: a DCB reply is one message plus the acknowledgement.
constexpr int kMaxReads = 64;
// Larger than any DCB reply (APP tables top out at a few hundred bytes).
constexpr size_t kReceiveBuffer = 32 * 1024;

std::string ErrnoText(int err) {
  char buf[128];
  return strerror_r(err, buf, sizeof(buf));  // the GNU variant returns the text
}

}  // namespace

MnlRouteSocket::MnlRouteSocket(mnl_socket* sock)
    : sock_(sock), seq_(static_cast<uint32_t>(time(nullptr))) {}

MnlRouteSocket::~MnlRouteSocket() { mnl_socket_close(sock_); }

Result<std::unique_ptr<MnlRouteSocket>> MnlRouteSocket::Open() {
  mnl_socket* sock = mnl_socket_open(NETLINK_ROUTE);
  if (sock == nullptr) {
    return Status::Unavailable("cannot open a NETLINK_ROUTE socket: " + ErrnoText(errno));
  }
  std::unique_ptr<MnlRouteSocket> owner(new MnlRouteSocket(sock));
  if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
    return Status::Unavailable("cannot bind a NETLINK_ROUTE socket: " + ErrnoText(errno));
  }
  timeval tv{};
  tv.tv_sec = kReceiveTimeoutSeconds;
  if (setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
    return Status::Unavailable("cannot set a netlink receive timeout: " + ErrnoText(errno));
  }
  owner->portid_ = mnl_socket_get_portid(sock);
  return owner;
}

Result<MnlRouteSocket::Exchange> MnlRouteSocket::Transact(std::span<const uint8_t> request,
                                                          uint32_t seq) {
  if (mnl_socket_sendto(sock_, request.data(), request.size()) < 0) {
    return Status::Unavailable("netlink send failed: " + ErrnoText(errno));
  }
  std::vector<uint8_t> buf(kReceiveBuffer);
  Exchange exchange;
  for (int read = 0; read < kMaxReads; ++read) {
    const ssize_t n = mnl_socket_recvfrom(sock_, buf.data(), buf.size());
    if (n < 0) {
      const int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK) {
        return Status::Unavailable("no netlink answer within " +
                                   std::to_string(kReceiveTimeoutSeconds) + " s");
      }
      return Status::Unavailable("netlink receive failed: " + ErrnoText(err));
    }
    int len = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(buf.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      // Only answers to this request count; anything else on the socket is stale.
      if (!mnl_nlmsg_seq_ok(nlh, seq) || !mnl_nlmsg_portid_ok(nlh, portid_)) continue;
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(nlmsgerr)) {
          return Status::Unavailable("truncated netlink error message");
        }
        const auto* e = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
        exchange.error = -e->error;
        return exchange;
      }
      if (nlh->nlmsg_type == NLMSG_DONE) return exchange;
      const auto* bytes = reinterpret_cast<const uint8_t*>(nlh);
      exchange.replies.emplace_back(bytes, bytes + nlh->nlmsg_len);
    }
  }
  return Status::Unavailable("netlink exchange did not end after " + std::to_string(kMaxReads) +
                             " reads");
}

}  // namespace hai::netconf::nl
