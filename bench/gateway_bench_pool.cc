#include "bench/gateway_bench_pool.h"

#include <errno.h>
#include <sys/socket.h>

#include <algorithm>

namespace hai::bench {
namespace {

uint64_t Tag(int slot, uint32_t generation) {
  return (uint64_t{generation} << 32) | static_cast<uint32_t>(slot);
}

}  // namespace

Result<ClientPool> ClientPool::Create(int port) {
  HAI_ASSIGN_OR_RETURN(EventLoop loop, EventLoop::Create());
  return ClientPool(port, std::move(loop));
}

Result<int> ClientPool::Open() {
  HAI_ASSIGN_OR_RETURN(UniqueFd fd, ConnectLoopback(port_));
  int slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<int>(slots_.size());
    slots_.emplace_back();
  }
  auto c = std::make_unique<ClientConn>();
  c->generation = next_generation_++;
  if (Status st = loop_.Add(fd.get(), EPOLLIN | EPOLLOUT, Tag(slot, c->generation)); !st.ok()) {
    free_.push_back(slot);
    return st;
  }
  c->fd = std::move(fd);
  c->want_write = true;  // until the connect completes
  slots_[static_cast<size_t>(slot)] = std::move(c);
  ++open_;
  return slot;
}

int ClientPool::TakeIdle() {
  if (idle_.empty()) return -1;
  int slot = idle_.back();
  idle_.pop_back();
  return slot;
}

void ClientPool::Send(int slot, const std::string& request_bytes, int64_t request, int64_t now_ns) {
  ClientConn& c = conn(slot);
  c.out.append(request_bytes);
  c.request = request;
  c.sent_ns = now_ns;
  c.reader.Reset();
  c.body.clear();
  ++busy_;
  // A broken connection is reported by the next Poll(), which finds the
  // request still unwritten.
  if (c.connected && !Flush(slot) && !c.want_write) {
    c.want_write = true;
    (void)loop_.Modify(c.fd.get(), EPOLLIN | EPOLLOUT, Tag(slot, c.generation));
  }
}

void ClientPool::Close(int slot) {
  ClientConn* c = slots_[static_cast<size_t>(slot)].get();
  if (c == nullptr) return;
  if (c->request >= 0) --busy_;
  loop_.Remove(c->fd.get());
  slots_[static_cast<size_t>(slot)].reset();
  free_.push_back(slot);
  --open_;
  if (auto it = std::find(idle_.begin(), idle_.end(), slot); it != idle_.end()) idle_.erase(it);
}

void ClientPool::Fail(int slot, int64_t now, const char* why,
                      const std::function<void(const PoolEvent&)>& on_event) {
  on_event({PoolEvent::Kind::kFailed, slot, conn(slot).request, now, false, why});
  Close(slot);
}

bool ClientPool::Flush(int slot) {
  ClientConn& c = conn(slot);
  while (c.out_off < c.out.size()) {
    ssize_t n =
        ::send(c.fd.get(), c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_off += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      break;
    } else {
      return false;
    }
  }
  if (c.out_off == c.out.size()) {
    c.out.clear();
    c.out_off = 0;
  }
  const bool want = !c.out.empty();
  if (want != c.want_write) {
    c.want_write = want;
    (void)loop_.Modify(c.fd.get(), want ? EPOLLIN | EPOLLOUT : EPOLLIN, Tag(slot, c.generation));
  }
  return true;
}

void ClientPool::Read(int slot, int64_t now,
                      const std::function<void(const PoolEvent&)>& on_event) {
  ClientConn& c = conn(slot);
  bool data = false;
  for (;;) {
    ssize_t n = ::recv(c.fd.get(), read_buffer_.data(), read_buffer_.size(), 0);
    if (n > 0) {
      if (c.request < 0)
        return Fail(slot, now, "bytes arrived with no request in flight", on_event);
      if (!c.reader.Feed({read_buffer_.data(), static_cast<size_t>(n)}, &c.body))
        return Fail(slot, now, "malformed answer", on_event);
      data = true;
      if (c.reader.done()) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    // Closed by the peer (or reset).
    if (c.request >= 0 && c.reader.FeedEof()) break;
    return Fail(slot, now,
                c.request < 0           ? "idle connection closed by the server"
                : c.reader.bytes() == 0 ? "closed before any answer"
                                        : "closed in the middle of the answer",
                on_event);
  }
  if (data && !c.reader.done()) on_event({PoolEvent::Kind::kData, slot, c.request, now});
  if (c.reader.done()) {
    ++c.answers;
    --busy_;
    const bool reusable = c.reader.keep_alive();
    const int64_t request = c.request;
    c.request = -1;  // before the caller, who may send the next one at once
    on_event({PoolEvent::Kind::kAnswer, slot, request, now, reusable});
    if (!reusable) Close(slot);
  }
}

Status ClientPool::Poll(int64_t deadline_ns,
                        const std::function<void(const PoolEvent&)>& on_event) {
  HAI_RETURN_IF_ERROR(loop_.Wait(deadline_ns, &events_));
  const int64_t now = NowNs();
  for (const epoll_event& ev : events_) {
    const int slot = static_cast<int>(ev.data.u64 & 0xffffffffu);
    if (static_cast<size_t>(slot) >= slots_.size() || !slots_[static_cast<size_t>(slot)]) continue;
    ClientConn& c = conn(slot);
    if (c.generation != static_cast<uint32_t>(ev.data.u64 >> 32)) continue;
    if (!c.connected) {
      if (!(ev.events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) continue;
      if (ConnectError(c.fd.get()) != 0) {
        Fail(slot, now, "connect failed", on_event);
        continue;
      }
      c.connected = true;
    }
    if (ev.events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
      const uint32_t generation = c.generation;
      Read(slot, now, on_event);
      if (!slots_[static_cast<size_t>(slot)] || conn(slot).generation != generation) continue;
    }
    if (!Flush(slot)) Fail(slot, now, "the request could not be written", on_event);
  }
  return Status::Ok();
}

}  // namespace hai::bench
