#include "lib/http/relayed_exchange.h"

#include <chrono>

namespace hai::http {
namespace {

using namespace std::chrono_literals;

// How often a quiet exchange asks whether our caller is still there.
constexpr auto kCallerCheck = 250ms;

}  // namespace

RelayedExchange::~RelayedExchange() {
  if (!pump_.joinable()) return;
  StopPump();
  pump_.join();
}

Result<ClientResponse> RelayedExchange::Start(Request request,
                                              const std::function<bool()>& caller_gone) {
  pump_ = std::thread([this, request = std::move(request)] { Pump(request); });
  std::unique_lock lock(mu_);
  while (!have_head_ && !done_) {
    cv_.wait_for(lock, kCallerCheck, [this] { return have_head_ || done_; });
    if (!have_head_ && !done_ && caller_gone && caller_gone()) {
      lock.unlock();
      StopPump();
      return Status::Unavailable("the caller went away before the answer began");
    }
  }
  if (!have_head_) return result_.ok() ? Status::Unavailable("no answer came") : result_;
  return head_;
}

Result<std::string> RelayedExchange::ReadBody(size_t max_body_bytes) {
  std::unique_lock lock(mu_);
  whole_body_ = true;
  cv_.notify_all();
  cv_.wait(lock, [this, max_body_bytes] { return done_ || queued_bytes_ > max_body_bytes; });
  if (!done_) {
    lock.unlock();
    StopPump();
    return Status::Unavailable("the answer is over " + std::to_string(max_body_bytes) + " bytes");
  }
  if (!result_.ok()) return result_;
  std::string body;
  for (const std::string& piece : pieces_) body += piece;
  pieces_.clear();
  queued_bytes_ = 0;
  return body;
}

void RelayedExchange::Pump(const Request& request) {
  auto on_head = [this](const ClientResponse& head) {
    std::lock_guard lock(mu_);
    head_ = head;
    have_head_ = true;
    cv_.notify_all();
    return !stop_;
  };
  auto on_data = [this](std::string_view data) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return stop_ || whole_body_ || queued_bytes_ < max_queued_bytes_; });
    if (stop_) return false;
    pieces_.emplace_back(data);
    queued_bytes_ += data.size();
    cv_.notify_all();
    return true;
  };
  Result<ClientResponse> r = client_->SendStreaming(request.method, request.path, request.body,
                                                    request.headers, on_head, on_data,
                                                    request.content_type);
  std::lock_guard lock(mu_);
  if (r.ok() && !have_head_) {  // an answer without a body (204) has no head callback
    head_ = *r;
    have_head_ = true;
  }
  result_ = r.ok() ? Status::Ok() : r.status();
  done_ = true;
  cv_.notify_all();
}

RelayedExchange::End RelayedExchange::Forward(
    const StreamWrite& write, const std::function<void(const std::string& piece)>& on_piece) {
  for (;;) {
    std::deque<std::string> batch;
    bool done = false;
    bool broken = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, kCallerCheck, [this] { return !pieces_.empty() || done_; });
      batch.swap(pieces_);
      queued_bytes_ = 0;
      done = done_;
      broken = !result_.ok();
    }
    cv_.notify_all();
    for (const std::string& piece : batch) {
      if (!write(piece)) {
        StopPump();
        return End::kCallerGone;
      }
      if (on_piece) on_piece(piece);
    }
    if (batch.empty() && !write("")) {
      StopPump();
      return End::kCallerGone;
    }
    if (done) return broken ? End::kBroken : End::kComplete;
  }
}

Status RelayedExchange::status() {
  std::lock_guard lock(mu_);
  return result_;
}

// The connection may not be open yet when we give up: keep cutting it until
// the pump has returned.
void RelayedExchange::StopPump() {
  std::unique_lock lock(mu_);
  stop_ = true;
  cv_.notify_all();
  CancelUntil(*client_, lock, cv_, [this] { return done_; });
}

}  // namespace hai::http
