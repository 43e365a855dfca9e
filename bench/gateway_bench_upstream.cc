#include "bench/gateway_bench_upstream.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>
#include <queue>
#include <vector>

#include "bench/gateway_bench_wire.h"

namespace hai::bench {
namespace {

constexpr uint64_t kListenerTag = ~uint64_t{0} - 1;
constexpr int64_t kMaxTokens = 100000;

std::string Chunk(const std::string& data) {
  char size[24];
  std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  return size + data + "\r\n";
}

std::string JsonAnswer(int status, const std::string& body, bool keep_alive) {
  const char* reason = status == 200 ? "OK" : status == 400 ? "Bad Request" : "Not Found";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         (keep_alive ? "" : "\r\nConnection: close") + "\r\n\r\n" + body;
}

std::string ErrorBody(const std::string& code, const std::string& message) {
  return nlohmann::json({{"error",
                          {{"message", message},
                           {"type", "invalid_request_error"},
                           {"param", nullptr},
                           {"code", code}}}})
      .dump();
}

}  // namespace

struct MinimalUpstream::Conn {
  UniqueFd fd;
  uint64_t generation = 0;
  std::string in;
  std::string out;
  size_t out_off = 0;
  bool want_write = false;   // EPOLLOUT registered
  bool close_after = false;  // close once `out` is written
  bool keep_alive = true;
  // The stream in progress, if any.
  bool streaming = false;
  bool chat = true;
  int64_t tokens_left = 0;
  int64_t tokens_sent = 0;
  int64_t prompt_tokens = 0;
  int64_t interval_ns = 0;
  int64_t next_due_ns = 0;
};

struct MinimalUpstream::Impl {
  struct Due {
    int64_t at_ns;
    int fd;
    uint64_t generation;
    bool operator>(const Due& o) const { return at_ns > o.at_ns; }
  };

  Impl(const UpstreamOptions& o, UniqueFd l, EventLoop e)
      : options(o), listener(std::move(l)), loop(std::move(e)) {
    model_json = nlohmann::json(options.served_name).dump();
  }

  UpstreamOptions options;
  UniqueFd listener;
  EventLoop loop;
  std::string model_json;                    // the served name as a JSON string
  std::vector<std::unique_ptr<Conn>> conns;  // by fd
  uint64_t next_generation = 1;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due;
  bool warned_accept = false;

  void Accept();
  void OnEvent(const epoll_event& ev);
  void Close(Conn* c);
  void Flush(Conn* c);
  void Serve(Conn* c);
  void Handle(Conn* c, const Request& req);
  void StartStream(Conn* c, const Request& req, bool chat, const nlohmann::json& body);
  void EmitToken(Conn* c);
  std::string Completion(bool chat, int64_t prompt_tokens) const;
  std::string Event(const Conn& c, const std::string& content, bool last) const;
};

void MinimalUpstream::Impl::Accept() {
  for (;;) {
    int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EINTR && !warned_accept) {
        std::fprintf(stderr, "gateway_bench_upstream: accept: %s\n", std::strerror(errno));
        warned_accept = true;
      }
      return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (static_cast<size_t>(fd) >= conns.size()) conns.resize(static_cast<size_t>(fd) + 1);
    auto c = std::make_unique<Conn>();
    c->fd = UniqueFd(fd);
    c->generation = next_generation++;
    if (!loop.Add(fd, EPOLLIN, static_cast<uint64_t>(fd)).ok()) continue;  // closed with c
    conns[static_cast<size_t>(fd)] = std::move(c);
  }
}

void MinimalUpstream::Impl::Close(Conn* c) {
  const int fd = c->fd.get();
  loop.Remove(fd);
  conns[static_cast<size_t>(fd)].reset();
}

void MinimalUpstream::Impl::Flush(Conn* c) {
  while (c->out_off < c->out.size()) {
    ssize_t n =
        ::send(c->fd.get(), c->out.data() + c->out_off, c->out.size() - c->out_off, MSG_NOSIGNAL);
    if (n > 0) {
      c->out_off += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      break;
    } else {
      Close(c);
      return;
    }
  }
  if (c->out_off == c->out.size()) {
    c->out.clear();
    c->out_off = 0;
    if (c->close_after) {
      Close(c);
      return;
    }
  }
  const bool want = !c->out.empty();
  if (want != c->want_write) {
    c->want_write = want;
    (void)loop.Modify(c->fd.get(), want ? EPOLLIN | EPOLLOUT : EPOLLIN,
                      static_cast<uint64_t>(c->fd.get()));
  }
}

std::string MinimalUpstream::Impl::Completion(bool chat, int64_t prompt_tokens) const {
  const std::string created = std::to_string(std::time(nullptr));
  const std::string usage =
      ",\"usage\":{\"prompt_tokens\":" + std::to_string(prompt_tokens) +
      ",\"completion_tokens\":1,\"total_tokens\":" + std::to_string(prompt_tokens + 1) + "}}";
  if (chat)
    return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":" + created +
           ",\"model\":" + model_json +
           ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
           "\"finish_reason\":\"length\"}]" +
           usage;
  return "{\"id\":\"cmpl-bench\",\"object\":\"text_completion\",\"created\":" + created +
         ",\"model\":" + model_json +
         ",\"choices\":[{\"index\":0,\"text\":\"ok\",\"finish_reason\":\"length\"}]" + usage;
}

std::string MinimalUpstream::Impl::Event(const Conn& c, const std::string& content,
                                         bool last) const {
  std::string e = c.chat ? "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
                         : "data: {\"id\":\"cmpl-bench\",\"object\":\"text_completion\",";
  e += "\"created\":" + std::to_string(std::time(nullptr)) + ",\"model\":" + model_json +
       ",\"choices\":[{\"index\":0,";
  if (c.chat)
    e += last ? "\"delta\":{}" : "\"delta\":{\"content\":\"" + content + "\"}";
  else
    e += "\"text\":\"" + content + "\"";
  e += last ? ",\"finish_reason\":\"length\"}]" : ",\"finish_reason\":null}]";
  if (last)
    e += ",\"usage\":{\"prompt_tokens\":" + std::to_string(c.prompt_tokens) +
         ",\"completion_tokens\":" + std::to_string(c.tokens_sent) +
         ",\"total_tokens\":" + std::to_string(c.prompt_tokens + c.tokens_sent) + "}";
  return e + "}\n\n";
}

void MinimalUpstream::Impl::StartStream(Conn* c, const Request& req, bool chat,
                                        const nlohmann::json& body) {
  c->streaming = true;
  c->chat = chat;
  c->keep_alive = req.keep_alive;
  c->prompt_tokens = std::max<int64_t>(1, static_cast<int64_t>(req.body.size()) / 4);
  c->tokens_sent = 0;
  c->tokens_left = 16;
  if (auto m = body.find("max_tokens"); m != body.end() && m->is_number_integer())
    c->tokens_left = std::clamp<int64_t>(m->get<int64_t>(), 1, kMaxTokens);
  int64_t interval_ms = options.token_interval_ms;
  if (auto i = body.find("hai_bench_token_interval_ms"); i != body.end() && i->is_number_integer())
    interval_ms = std::clamp<int64_t>(i->get<int64_t>(), 0, 60000);
  c->interval_ns = interval_ms * 1'000'000;
  c->out +=
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "Transfer-Encoding: chunked\r\n";
  c->out += c->keep_alive ? "\r\n" : "Connection: close\r\n\r\n";
  c->next_due_ns = NowNs();
  EmitToken(c);  // the first token at once
}

void MinimalUpstream::Impl::EmitToken(Conn* c) {
  std::string stamp = "@";  // built in two steps: GCC 12 warns (-Wrestrict) on "@" + string
  stamp += std::to_string(NowNs());
  c->out += Chunk(Event(*c, stamp, false));
  ++c->tokens_sent;
  if (--c->tokens_left > 0) {
    // On the stream's own cadence, not drifting with the loop's lateness.
    c->next_due_ns += c->interval_ns;
    due.push({c->next_due_ns, c->fd.get(), c->generation});
    return;
  }
  c->out += Chunk(Event(*c, "", true)) + Chunk("data: [DONE]\n\n") + "0\r\n\r\n";
  c->streaming = false;
  if (!c->keep_alive) c->close_after = true;
}

void MinimalUpstream::Impl::Handle(Conn* c, const Request& req) {
  c->keep_alive = req.keep_alive;
  if (!req.keep_alive) c->close_after = true;
  if (req.method == "GET" && req.path == "/health") {
    c->out += JsonAnswer(200, "{\"status\":\"ok\"}", req.keep_alive);
    return;
  }
  const bool chat = req.path == "/v1/chat/completions";
  if (req.method != "POST" || (!chat && req.path != "/v1/completions")) {
    c->out += JsonAnswer(404, ErrorBody("not_found", "no route " + req.method + " " + req.path),
                         req.keep_alive);
    return;
  }
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object()) {
    c->out +=
        JsonAnswer(400, ErrorBody("invalid_json", "the body is not a JSON object"), req.keep_alive);
    return;
  }
  if (auto s = body.find("stream"); s != body.end() && s->is_boolean() && s->get<bool>()) {
    c->close_after = false;  // decided when the stream ends
    StartStream(c, req, chat, body);
    return;
  }
  c->out +=
      JsonAnswer(200, Completion(chat, std::max<int64_t>(1, req.body.size() / 4)), req.keep_alive);
}

void MinimalUpstream::Impl::Serve(Conn* c) {
  Request req;
  std::string why;
  while (!c->streaming && !c->close_after) {
    RequestReader::Outcome outcome = RequestReader().Next(&c->in, &req, &why);
    if (outcome == RequestReader::Outcome::kNeedMore) break;
    if (outcome == RequestReader::Outcome::kBad) {
      c->out += JsonAnswer(400, ErrorBody("bad_request", why), false);
      c->close_after = true;
      break;
    }
    Handle(c, req);
  }
}

void MinimalUpstream::Impl::OnEvent(const epoll_event& ev) {
  if (ev.data.u64 == kListenerTag) {
    Accept();
    return;
  }
  const size_t fd = static_cast<size_t>(ev.data.u64);
  Conn* c = fd < conns.size() ? conns[fd].get() : nullptr;
  if (c == nullptr) return;
  if (ev.events & (EPOLLERR | EPOLLHUP)) {
    Close(c);
    return;
  }
  if (ev.events & EPOLLIN) {
    char buf[16384];
    for (;;) {
      ssize_t n = ::recv(c->fd.get(), buf, sizeof(buf), 0);
      if (n > 0) {
        c->in.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) break;
      Close(c);  // the peer went away (a stream's reader included)
      return;
    }
    Serve(c);
  }
  Flush(c);
}

MinimalUpstream::MinimalUpstream(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

MinimalUpstream::~MinimalUpstream() = default;

Result<std::unique_ptr<MinimalUpstream>> MinimalUpstream::Listen(const UpstreamOptions& options) {
  HAI_ASSIGN_OR_RETURN(UniqueFd listener, ListenTcp(options.host, options.port, options.backlog));
  HAI_ASSIGN_OR_RETURN(EventLoop loop, EventLoop::Create());
  HAI_RETURN_IF_ERROR(loop.Add(listener.get(), EPOLLIN, kListenerTag));
  const int port = BoundPort(listener.get());
  auto impl = std::make_unique<Impl>(options, std::move(listener), std::move(loop));
  return std::unique_ptr<MinimalUpstream>(new MinimalUpstream(std::move(impl), port));
}

Status MinimalUpstream::Run() {
  Impl& s = *impl_;
  std::vector<epoll_event> events;
  for (;;) {
    const int64_t deadline = s.due.empty() ? NowNs() + 1'000'000'000 : s.due.top().at_ns;
    HAI_RETURN_IF_ERROR(s.loop.Wait(deadline, &events));
    for (const epoll_event& ev : events) s.OnEvent(ev);
    const int64_t now = NowNs();
    while (!s.due.empty() && s.due.top().at_ns <= now) {
      Impl::Due d = s.due.top();
      s.due.pop();
      const size_t fd = static_cast<size_t>(d.fd);
      Conn* c = fd < s.conns.size() ? s.conns[fd].get() : nullptr;
      if (c == nullptr || c->generation != d.generation || !c->streaming) continue;
      s.EmitToken(c);
      if (!c->streaming) s.Serve(c);  // requests that came in behind the stream
      s.Flush(c);
    }
  }
}

}  // namespace hai::bench
