#include "bench/gateway_bench_load.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <string_view>

#include "bench/gateway_bench_pool.h"
#include "bench/gateway_bench_socket.h"

namespace hai::bench {
namespace {

constexpr int64_t kNsPerS = 1'000'000'000;

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

void NoteError(std::string* first, const std::string& what) {
  if (first->empty()) *first = what;
}

std::string StatusError(int status) { return "HTTP " + std::to_string(status); }

}  // namespace

std::string Target::Bytes() const {
  std::string r = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                  "\r\nUser-Agent: gateway_bench\r\nContent-Type: application/json\r\n";
  if (!bearer.empty()) r += "Authorization: Bearer " + bearer + "\r\n";
  return r + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

Result<LatencyFigures> RunOpenLoop(const Target& target, const OpenLoopOptions& o) {
  HAI_ASSIGN_OR_RETURN(ClientPool pool, ClientPool::Create(target.port));
  const std::string bytes = target.Bytes();
  const int64_t warm = static_cast<int64_t>(std::llround(o.warmup_s * o.rate));
  const int64_t measured =
      std::min(o.max_requests, static_cast<int64_t>(std::llround(o.seconds * o.rate)));
  const int64_t total = warm + measured;
  const double period_ns = 1e9 / o.rate;
  const int64_t t0 = NowNs() + 20'000'000;
  auto scheduled = [&](int64_t i) {
    return t0 + static_cast<int64_t>(std::llround(static_cast<double>(i) * period_ns));
  };
  const int64_t deadline = scheduled(total) + static_cast<int64_t>(o.drain_s * 1e9);

  LatencyFigures f;
  f.scheduled = measured;
  f.latency_ms.reserve(static_cast<size_t>(measured));
  f.send_lag_ms.reserve(static_cast<size_t>(measured));
  std::deque<int64_t> pending;  // due, waiting for a connection
  std::vector<char> retried(static_cast<size_t>(total), 0);
  int64_t next = 0, finished = 0, last_answer = t0;
  auto count = [&](int64_t request, bool ok, int64_t now, const std::string& error) {
    ++finished;
    last_answer = now;
    if (request < warm) return;
    if (ok) {
      ++f.ok;
      f.latency_ms.push_back(Ms(now - scheduled(request)));
    } else {
      ++f.failed;
      NoteError(&f.first_error, error);
    }
  };
  auto on_event = [&](const PoolEvent& e) {
    if (e.request < 0) return;  // an idle connection the server closed
    if (e.kind == PoolEvent::Kind::kAnswer) {
      ++f.answers;
      const int status = pool.conn(e.slot).reader.status();
      count(e.request, status >= 200 && status < 300, e.now_ns, StatusError(status));
      if (e.reusable) pool.Release(e.slot);
    } else if (e.kind == PoolEvent::Kind::kFailed) {
      ClientConn& c = pool.conn(e.slot);
      // A kept-alive connection the server closed just as the request went
      // out: sent again once, as any HTTP client does, from its first schedule.
      if (c.answers > 0 && c.reader.bytes() == 0 && !retried[static_cast<size_t>(e.request)]) {
        retried[static_cast<size_t>(e.request)] = 1;
        pending.push_front(e.request);
      } else {
        count(e.request, false, e.now_ns, e.why);
      }
    }
  };
  while (finished < total) {
    const int64_t now = NowNs();
    if (now > deadline) break;
    while (next < total && scheduled(next) <= now) pending.push_back(next++);
    while (!pending.empty()) {
      int slot = pool.TakeIdle();
      if (slot < 0 && pool.open() < o.max_connections) {
        auto opened = pool.Open();
        if (!opened.ok()) return opened.status();
        slot = *opened;
        f.connections = std::max(f.connections, pool.open());
      }
      if (slot < 0) break;
      const int64_t request = pending.front();
      pending.pop_front();
      if (request >= warm) f.send_lag_ms.push_back(Ms(now - scheduled(request)));
      pool.Send(slot, bytes, request, now);
    }
    HAI_RETURN_IF_ERROR(
        pool.Poll(next < total ? std::min(scheduled(next), deadline) : deadline, on_event));
  }
  f.unanswered = f.scheduled - f.ok - f.failed;
  f.seconds = static_cast<double>(last_answer - scheduled(warm)) / 1e9;
  return f;
}

Result<ThroughputFigures> RunClosedLoop(const Target& target, const ClosedLoopOptions& o) {
  HAI_ASSIGN_OR_RETURN(ClientPool pool, ClientPool::Create(target.port));
  const std::string bytes = target.Bytes();
  const int64_t start = NowNs();
  const int64_t measure_from = start + static_cast<int64_t>(o.warmup_s * 1e9);
  const int64_t measure_to = measure_from + static_cast<int64_t>(o.seconds * 1e9);
  const int64_t deadline = measure_to + 5 * kNsPerS;
  ThroughputFigures f;
  int64_t sent = 0, broken = 0;
  Status error;
  // Keeps the connection busy while the run lasts (a new one after a failure).
  auto send = [&](int slot, int64_t now) {
    if (now >= measure_to || sent >= o.max_requests) {
      if (slot >= 0) pool.Close(slot);
      return;
    }
    if (slot < 0) {
      if (broken > 1000) return;  // the target is gone: stop replacing
      auto opened = pool.Open();
      if (!opened.ok()) {
        error = opened.status();
        return;
      }
      slot = *opened;
    }
    pool.Send(slot, bytes, sent++, now);
  };
  auto on_event = [&](const PoolEvent& e) {
    if (e.request < 0 || e.kind == PoolEvent::Kind::kData) return;
    const bool in_window = e.now_ns >= measure_from && e.now_ns <= measure_to;
    if (e.kind == PoolEvent::Kind::kAnswer) {
      ++f.answers;
      ClientConn& c = pool.conn(e.slot);
      const int status = c.reader.status();
      if (in_window && status >= 200 && status < 300) {
        ++f.ok;
        f.latency_ms.push_back(Ms(e.now_ns - c.sent_ns));
      } else if (in_window) {
        ++f.failed;
        NoteError(&f.first_error, StatusError(status));
      }
      send(e.reusable ? e.slot : -1, e.now_ns);
    } else {
      ++broken;
      if (in_window) {
        ++f.failed;
        NoteError(&f.first_error, e.why);
      }
      send(-1, e.now_ns);
    }
  };
  for (int i = 0; i < o.connections; ++i) send(-1, start);
  while (error.ok() && pool.busy() > 0 && NowNs() < deadline)
    HAI_RETURN_IF_ERROR(pool.Poll(deadline, on_event));
  HAI_RETURN_IF_ERROR(error);
  f.seconds = o.seconds;
  f.per_second = static_cast<double>(f.ok) / o.seconds;
  return f;
}

namespace {

// One stream's progress.
struct Stream {
  int64_t start_ns = 0;
  int tokens = 0;
  bool open = false;  // head received, not ended
  bool done_marker = false;
  bool error_event = false;
};

// The upstream's stamp in a token's content: "@<NowNs>".
bool TokenStamp(std::string_view event, int64_t* ns) {
  size_t at = event.find("\":\"@");
  if (at == std::string_view::npos) return false;
  const char* begin = event.data() + at + 4;
  auto [end, ec] = std::from_chars(begin, event.data() + event.size(), *ns);
  return ec == std::errc() && end != begin;
}

// Takes the complete events off the front of `buffer`.
void ReadEvents(std::string* buffer, Stream* s, int64_t now, StreamFigures* f) {
  size_t from = 0;
  for (;;) {
    size_t end = buffer->find("\n\n", from);
    if (end == std::string::npos) break;
    std::string_view event(buffer->data() + from, end - from);
    from = end + 2;
    if (!event.starts_with("data: ")) continue;
    event.remove_prefix(6);
    if (event == "[DONE]") {
      s->done_marker = true;
    } else if (event.find("\"error\"") != std::string_view::npos) {
      s->error_event = true;
      NoteError(&f->first_error, "error event: " + std::string(event.substr(0, 200)));
    } else if (int64_t stamp = 0; TokenStamp(event, &stamp)) {
      if (s->tokens == 0) f->ttft_ms.push_back(Ms(now - s->start_ns));
      ++s->tokens;
      ++f->tokens;
      f->token_delay_ms.push_back(Ms(now - stamp));
    }
  }
  buffer->erase(0, from);
}

}  // namespace

Result<StreamFigures> RunStreams(const Target& target, const StreamOptions& o) {
  HAI_ASSIGN_OR_RETURN(ClientPool pool, ClientPool::Create(target.port));
  const std::string bytes = target.Bytes();
  const int64_t t0 = NowNs() + 20'000'000;
  const int64_t deadline = t0 + static_cast<int64_t>(o.timeout_s * 1e9);
  const double gap_ns = o.streams > 1 ? o.ramp_s * 1e9 / o.streams : 0;
  std::vector<Stream> streams(static_cast<size_t>(o.streams));
  for (int i = 0; i < o.streams; ++i)
    streams[static_cast<size_t>(i)].start_ns = t0 + static_cast<int64_t>(i * gap_ns);
  StreamFigures f;
  f.token_delay_ms.reserve(static_cast<size_t>(o.streams) * static_cast<size_t>(o.expected_tokens));
  int next = 0, ended = 0, open = 0;
  int64_t next_sample = t0;
  auto end_stream = [&](Stream& s, bool ok, const std::string& why) {
    ++ended;
    if (s.open) --open;
    s.open = false;
    if (ok) {
      ++f.completed;
    } else {
      ++f.failed;
      NoteError(&f.first_error, why);
    }
  };
  auto on_event = [&](const PoolEvent& e) {
    if (e.request < 0) return;
    Stream& s = streams[static_cast<size_t>(e.request)];
    ClientConn& c = pool.conn(e.slot);
    if (!s.open && c.reader.head_done() && e.kind != PoolEvent::Kind::kFailed) {
      s.open = true;
      f.peak_open = std::max(f.peak_open, ++open);
    }
    if (e.kind != PoolEvent::Kind::kFailed) ReadEvents(&c.body, &s, e.now_ns, &f);
    if (e.kind == PoolEvent::Kind::kFailed) {
      end_stream(s, false, e.why);
    } else if (e.kind == PoolEvent::Kind::kAnswer) {
      const int status = c.reader.status();
      const bool ok =
          status == 200 && s.done_marker && !s.error_event && s.tokens == o.expected_tokens;
      end_stream(s, ok,
                 status != 200                   ? StatusError(status)
                 : s.tokens != o.expected_tokens ? std::to_string(s.tokens) + " of " +
                                                       std::to_string(o.expected_tokens) + " tokens"
                                                 : "no [DONE] or an error event");
      if (e.reusable) pool.Close(e.slot);  // one stream per connection
    }
  };
  while (ended < o.streams) {
    const int64_t now = NowNs();
    if (now > deadline) break;
    while (next < o.streams && streams[static_cast<size_t>(next)].start_ns <= now) {
      Stream& s = streams[static_cast<size_t>(next)];
      auto slot = pool.Open();
      if (!slot.ok()) {
        end_stream(s, false, slot.status().message());
      } else {
        pool.Send(*slot, bytes, next, now);
      }
      ++f.started;
      ++next;
    }
    if (o.sample && now >= next_sample) {
      o.sample(open);
      next_sample = now + 100'000'000;
    }
    int64_t wake = std::min(deadline, next_sample);
    if (next < o.streams) wake = std::min(wake, streams[static_cast<size_t>(next)].start_ns);
    HAI_RETURN_IF_ERROR(pool.Poll(wake, on_event));
  }
  f.unfinished = o.streams - ended;
  f.seconds = static_cast<double>(NowNs() - t0) / 1e9;
  return f;
}

}  // namespace hai::bench
