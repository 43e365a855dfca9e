#include "daemons/gateway/upstream_stream.h"

#include "daemons/gateway/openai_error.h"

namespace hai::gateway {
namespace {

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
      on_broken_(std::move(on_broken)),
      exchange_(&*client_, kMaxQueuedBytes) {}

UpstreamStream::~UpstreamStream() {
  if (!clean_) client_.Discard();
}

Result<http::ClientResponse> UpstreamStream::Start(const Request& request,
                                                   const std::function<bool()>& caller_gone) {
  return exchange_.Start(
      {"POST", request.path, request.body, request.content_type, request.headers}, caller_gone);
}

Result<std::string> UpstreamStream::ReadBody() {
  Result<std::string> body = exchange_.ReadBody(kMaxErrorBytes);
  clean_ = body.ok();
  return body;
}

bool UpstreamStream::Forward(const http::StreamWrite& write) {
  const http::RelayedExchange::End end =
      exchange_.Forward(write, [this](const std::string& piece) { Remember(piece); });
  if (end == http::RelayedExchange::End::kComplete) {
    clean_ = true;
    return true;
  }
  if (end == http::RelayedExchange::End::kCallerGone) return false;
  // Broken midway: finish the event in progress, then say what happened.
  // The caller learns what happened; the detail (an address inside the
  // cluster) goes to the log.
  const std::string what = "the replica's stream broke off midway";
  if (on_broken_) on_broken_(what + ": " + exchange_.status().message());
  std::string ending = EndsEvent() ? "" : "\n\n";
  ending += StreamErrorEvent({502, "upstream_stream_broken", what, ""});
  return write(ending);
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

}  // namespace hai::gateway
