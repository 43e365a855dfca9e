#pragma once

#include <chrono>
#include <string>

#include "hwcheck/context.h"
#include "hwcheck/host/tcp_socket.h"
#include "lib/base/status.h"

namespace hai::hwcheck::host {

// "name (address:port)" for messages; port 0 means the default 7190.
std::string PeerLabel(const Peer& peer);

// Connects to the peer's `serve` listener and answers its challenge
// (serve_protocol.h). Unauthenticated when the peer refuses the token,
// Unavailable when it cannot be reached or does not speak the protocol.
Result<Socket> OpenAuthenticated(const Peer& peer, const std::string& token,
                                 std::chrono::milliseconds timeout);

// Sends one request line and reads the one-line answer; an "ERR …" answer
// becomes an error naming the peer.
Result<std::string> Ask(int fd, const Peer& peer, const std::string& request);

}  // namespace hai::hwcheck::host
