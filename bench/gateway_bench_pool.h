#pragma once

// The load generator's client connections: non-blocking, kept alive, all on
// one epoll loop, so thousands can be open at once from one thread. A
// connection carries one request at a time (no pipelining).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/gateway_bench_socket.h"
#include "bench/gateway_bench_wire.h"
#include "lib/base/status.h"

namespace hai::bench {

struct ClientConn {
  UniqueFd fd;
  uint32_t generation = 0;  // tells a reused slot's events from its predecessor's
  bool connected = false;
  bool want_write = false;
  std::string out;
  size_t out_off = 0;
  ResponseReader reader;
  std::string body;      // decoded answer bytes not yet consumed
  int64_t request = -1;  // the caller's number for the request in flight; -1 idle
  int64_t sent_ns = 0;   // when the request was handed to Send()
  int64_t answers = 0;   // complete answers read on this connection
};

// What happened on a connection during Poll().
struct PoolEvent {
  enum class Kind {
    kData,    // answer bytes arrived (in `conn.body`); the answer goes on
    kAnswer,  // the answer is complete (status in `conn.reader`)
    kFailed,  // connect, write or read failed, or the peer closed mid-answer
  };
  Kind kind;
  int slot;
  int64_t request;  // the caller's number for it (-1: an idle connection)
  int64_t now_ns;
  bool reusable = false;      // kAnswer: the connection may carry the next request
  const char* why = nullptr;  // kFailed
};

// Not thread-safe.
class ClientPool {
 public:
  static Result<ClientPool> Create(int port);

  // Opens a connection (completing in the background); returns its slot.
  Result<int> Open();
  // Queues `request_bytes` on the slot (sent once connected).
  void Send(int slot, const std::string& request_bytes, int64_t request, int64_t now_ns);
  // Waits until `deadline_ns` or socket activity, then reports what
  // happened. After kFailed, and after a kAnswer that is not reusable, the
  // slot is already closed.
  Status Poll(int64_t deadline_ns, const std::function<void(const PoolEvent&)>& on_event);
  void Close(int slot);

  ClientConn& conn(int slot) { return *slots_[static_cast<size_t>(slot)]; }
  int open() const { return open_; }
  // Keeps an answered connection for the next request.
  void Release(int slot) { idle_.push_back(slot); }
  // The most recently released connection still open, or -1.
  int TakeIdle();
  // Requests in flight on open connections.
  int busy() const { return busy_; }

 private:
  ClientPool(int port, EventLoop loop) : port_(port), loop_(std::move(loop)) {}
  // Writes what is pending; false when the connection is broken.
  bool Flush(int slot);
  void Read(int slot, int64_t now, const std::function<void(const PoolEvent&)>& on_event);
  void Fail(int slot, int64_t now, const char* why,
            const std::function<void(const PoolEvent&)>& on_event);

  int port_;
  EventLoop loop_;
  std::vector<std::unique_ptr<ClientConn>> slots_;
  std::vector<int> free_;
  std::vector<int> idle_;
  std::vector<epoll_event> events_;
  std::vector<char> read_buffer_ = std::vector<char>(64 * 1024);
  int open_ = 0;
  int busy_ = 0;
  uint32_t next_generation_ = 1;
};

}  // namespace hai::bench
