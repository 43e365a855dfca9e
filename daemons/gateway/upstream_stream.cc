#include "daemons/gateway/upstream_stream.h"

#include <chrono>

#include "daemons/gateway/openai_error.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;

// How often a quiet stream asks whether the caller is still there.
constexpr auto kCallerCheck = 250ms;
// Pieces read from the replica but not yet written to a slow caller: beyond
// this the replica is not read (TCP then slows it down).
constexpr size_t kMaxQueuedBytes = 1 << 20;
// An error answer is read whole before it is passed on; no engine's is near this.
constexpr size_t kMaxErrorBytes = 16 << 20;

}  // namespace

UpstreamStream::UpstreamStream(ClientPool::Lease client, std::shared_ptr<ReplicaState> replica,
                               OnBroken on_broken)
    : client_(std::move(client)),
      replica_(std::move(replica)),
      in_flight_(replica_.get()),
      on_broken_(std::move(on_broken)) {}

UpstreamStream::~UpstreamStream() {
  if (!pump_.joinable()) return;
  StopPump();
  pump_.join();
}

Result<http::ClientResponse> UpstreamStream::Start(const Request& request,
                                                   const std::function<bool()>& caller_gone) {
  pump_ = std::thread([this, request] { Pump(request); });
  std::unique_lock lock(mu_);
  while (!have_head_ && !done_) {
    cv_.wait_for(lock, kCallerCheck, [this] { return have_head_ || done_; });
    if (!have_head_ && !done_ && caller_gone && caller_gone()) {
      lock.unlock();
      StopPump();
      return Status::Unavailable("the caller went away before the replica answered");
    }
  }
  if (!have_head_)
    return result_.ok() ? Status::Unavailable("the replica sent no answer") : result_;
  return head_;
}

Result<std::string> UpstreamStream::ReadBody() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return done_; });
  if (!result_.ok()) return result_;
  std::string body;
  for (const std::string& piece : pieces_) body += piece;
  pieces_.clear();
  return body;
}

void UpstreamStream::Pump(const Request& request) {
  auto on_head = [this](const http::ClientResponse& head) {
    std::lock_guard lock(mu_);
    head_ = head;
    have_head_ = true;
    cv_.notify_all();
    return !stop_;
  };
  auto on_data = [this](std::string_view data) {
    std::unique_lock lock(mu_);
    // An error body is read whole by ReadBody, so only a relayed stream
    // waits for room.
    cv_.wait(lock,
             [this] { return stop_ || queued_bytes_ < kMaxQueuedBytes || head_.status != 200; });
    if (stop_ || queued_bytes_ > kMaxErrorBytes) return false;
    pieces_.emplace_back(data);
    queued_bytes_ += data.size();
    cv_.notify_all();
    return true;
  };
  Result<http::ClientResponse> r = client_->SendStreaming(
      "POST", request.path, request.body, request.headers, on_head, on_data, request.content_type);
  std::lock_guard lock(mu_);
  if (!r.ok() || stop_) client_.Discard();
  if (r.ok() && !have_head_) {  // an answer without a body (204) has no head callback
    head_ = *r;
    have_head_ = true;
  }
  result_ = r.ok() ? Status::Ok() : r.status();
  done_ = true;
  cv_.notify_all();
}

bool UpstreamStream::Forward(const http::StreamWrite& write) {
  for (;;) {
    std::deque<std::string> batch;
    bool done = false;
    Status result;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, kCallerCheck, [this] { return !pieces_.empty() || done_; });
      batch.swap(pieces_);
      queued_bytes_ = 0;
      done = done_;
      result = result_;
    }
    cv_.notify_all();
    for (const std::string& piece : batch) {
      if (!write(piece)) return false;
      Remember(piece);
    }
    if (batch.empty() && !write("")) return false;
    if (!done) continue;
    if (result.ok()) return true;
    // Broken midway: finish the event in progress, then say what happened.
    // The caller learns what happened; the detail (an address inside the
    // cluster) goes to the log.
    const std::string what = "the replica's stream broke off midway";
    if (on_broken_) on_broken_(what + ": " + result.message());
    std::string ending = EndsEvent() ? "" : "\n\n";
    ending += StreamErrorEvent({502, "upstream_stream_broken", what, ""});
    return write(ending);
  }
}

void UpstreamStream::Remember(const std::string& piece) {
  if (piece.size() >= kTail) {
    tail_.assign(piece, piece.size() - kTail, kTail);
    return;
  }
  tail_ += piece;
  if (tail_.size() > kTail) tail_.erase(0, tail_.size() - kTail);
}

bool UpstreamStream::EndsEvent() const {
  auto ends_with = [this](std::string_view end) {
    return tail_.size() >= end.size() &&
           tail_.compare(tail_.size() - end.size(), end.size(), end) == 0;
  };
  return tail_.empty() || ends_with("\n\n") || ends_with("\r\n\r\n");
}

void UpstreamStream::StopPump() {
  std::unique_lock lock(mu_);
  stop_ = true;
  cv_.notify_all();
  while (!done_) {
    lock.unlock();
    client_->Cancel();
    lock.lock();
    cv_.wait_for(lock, 50ms, [this] { return done_; });
  }
}

}  // namespace hai::gateway
