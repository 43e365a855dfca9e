#pragma once

namespace hai::http {

// Whether something accepts TCP connections on 127.0.0.1:port right now. A
// connection, not a bind: sockets a stopped daemon left closing (TIME_WAIT,
// FIN_WAIT) do not count as taken.
bool LoopbackListening(int port);

}  // namespace hai::http
