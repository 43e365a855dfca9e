#pragma once

// gateway_bench's HTTP/1.1 reading for non-blocking sockets: bytes go in as
// they arrive, a message comes out once it is complete. Only what the bench's
// peers send: Content-Length and chunked bodies, keep-alive, no pipelining
// of answers (a client waits for each answer before the next request).

#include <cstdint>
#include <string>
#include <string_view>

namespace hai::bench {

// One HTTP/1.1 answer. A body's decoded bytes are handed out as they arrive,
// so a stream's events can be timed before the answer ends. Not thread-safe.
class ResponseReader {
 public:
  // Consumes `data`; decoded body bytes are appended to `*body`. False when
  // the answer is malformed or bytes follow its end.
  bool Feed(std::string_view data, std::string* body);
  // The peer closed the connection; true when that ends the answer (a body
  // delimited by the close).
  bool FeedEof();
  void Reset() { *this = ResponseReader(); }

  bool head_done() const { return state_ != State::kHead; }
  bool done() const { return state_ == State::kDone; }
  int status() const { return status_; }
  // Whether the connection may carry the next request.
  bool keep_alive() const { return keep_alive_; }
  // Bytes received for this answer so far (head included).
  int64_t bytes() const { return bytes_; }

 private:
  enum class State {
    kHead,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkEnd,
    kTrailer,
    kUntilClose,
    kDone
  };
  bool ParseHead();

  State state_ = State::kHead;
  std::string head_;  // the head, or the current chunk-size / trailer line
  int status_ = 0;
  bool keep_alive_ = true;
  int64_t remaining_ = 0;  // body or chunk bytes still to come
  int64_t bytes_ = 0;
};

// One HTTP/1.1 request as the bench's upstream needs it.
struct Request {
  std::string method;
  std::string path;
  std::string body;
  bool keep_alive = true;
};

// Requests from a connection's input buffer. Not thread-safe.
class RequestReader {
 public:
  enum class Outcome { kNeedMore, kRequest, kBad };
  // Takes the first complete request off the front of `*buffer`; kBad for
  // something the upstream does not read (chunked request bodies included),
  // with `why` set.
  Outcome Next(std::string* buffer, Request* out, std::string* why);

  static constexpr size_t kMaxHead = 64 * 1024;
  static constexpr int64_t kMaxBody = 8 << 20;
};

// Header value comparison without ASCII case.
bool EqualsNoCase(std::string_view a, std::string_view b);
// The value of `name` in a head's header lines ("" when absent).
std::string_view HeaderValue(std::string_view head, std::string_view name);

}  // namespace hai::bench
