#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "lib/base/status.h"

struct mnl_socket;

namespace hai::netconf::nl {

// A NETLINK_ROUTE socket (libmnl) for request/reply exchanges whose messages
// the caller builds itself: DCB, which libnl has no module for. It lives in
// the network namespace of the thread that opened it. Not thread-safe: one
// exchange at a time.
class MnlRouteSocket {
 public:
  // What came back for one request: the data messages carrying its sequence
  // number, then the kernel's verdict (0 = acknowledged, else a positive errno).
  struct Exchange {
    std::vector<std::vector<uint8_t>> replies;
    int error = 0;
  };

  static Result<std::unique_ptr<MnlRouteSocket>> Open();
  ~MnlRouteSocket();
  MnlRouteSocket(const MnlRouteSocket&) = delete;
  MnlRouteSocket& operator=(const MnlRouteSocket&) = delete;

  uint32_t NextSeq() { return ++seq_; }

  // Sends `request` (an NLM_F_ACK request whose nlmsg_seq is `seq`) and reads
  // until its acknowledgement or error. Transport trouble (send/receive
  // failure, no answer within the receive timeout, too many messages) is a
  // kUnavailable status; a kernel refusal is an OK Exchange with `error` set.
  Result<Exchange> Transact(std::span<const uint8_t> request, uint32_t seq);

 private:
  explicit MnlRouteSocket(mnl_socket* sock);

  mnl_socket* sock_;  // owned, closed in the destructor
  uint32_t portid_ = 0;
  uint32_t seq_;
};

}  // namespace hai::netconf::nl
