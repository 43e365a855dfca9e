#pragma once

#include <functional>
#include <string>

namespace hai::http {

// Tells whether the client of a connection this process serves has closed it.
// cpp-httplib 0.11 gives handlers no socket, so the probe finds the socket by
// its address pair (our port, the peer's address and port) among the
// process's descriptors the first time it is asked, then polls it for a
// hang-up. A client that only half-closes (shutdown(SHUT_WR)) while still
// reading counts as gone; HTTP clients do not do that in practice.
// The returned function is valid while the connection is being served and is
// meant for one thread at a time.
std::function<bool()> ClientGoneProbe(int local_port, std::string peer_address, int peer_port);

}  // namespace hai::http
