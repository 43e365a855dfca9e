#include "bench/gateway_bench_wire.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace hai::bench {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (EqualsNoCase(haystack.substr(i, needle.size()), needle)) return true;
  return false;
}

// A decimal Content-Length; -1 when absent, -2 when not a number.
int64_t ContentLength(std::string_view head) {
  std::string_view v = HeaderValue(head, "Content-Length");
  if (v.empty()) return -1;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < 0) return -2;
  return n;
}

bool Chunked(std::string_view head) {
  return ContainsNoCase(HeaderValue(head, "Transfer-Encoding"), "chunked");
}

}  // namespace

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view HeaderValue(std::string_view head, std::string_view name) {
  size_t at = head.find("\r\n");  // past the first line
  while (at != std::string_view::npos && at + 2 < head.size()) {
    size_t start = at + 2;
    size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? end : end - start);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && EqualsNoCase(Trim(line.substr(0, colon)), name))
      return Trim(line.substr(colon + 1));
    at = end;
  }
  return {};
}

bool ResponseReader::ParseHead() {
  // "HTTP/1.1 200 OK"
  if (head_.size() < 12 || head_.compare(0, 5, "HTTP/") != 0) return false;
  auto [end, ec] = std::from_chars(head_.data() + 9, head_.data() + 12, status_);
  if (ec != std::errc() || end != head_.data() + 12 || status_ < 100) return false;
  std::string_view connection = HeaderValue(head_, "Connection");
  keep_alive_ = head_.compare(0, 8, "HTTP/1.0") == 0 ? ContainsNoCase(connection, "keep-alive")
                                                     : !ContainsNoCase(connection, "close");
  if (Chunked(head_)) {
    state_ = State::kChunkSize;
  } else if (int64_t length = ContentLength(head_); length >= 0) {
    remaining_ = length;
    state_ = length == 0 ? State::kDone : State::kBody;
  } else if (length == -2) {
    return false;
  } else if (status_ == 204 || status_ == 304 || status_ < 200) {
    state_ = State::kDone;
  } else {
    state_ = State::kUntilClose;
    keep_alive_ = false;
  }
  head_.clear();
  return true;
}

bool ResponseReader::Feed(std::string_view data, std::string* body) {
  bytes_ += static_cast<int64_t>(data.size());
  while (!data.empty()) {
    switch (state_) {
      case State::kHead: {
        // The end of the head may straddle two reads: look from a little
        // before what was already there.
        size_t from = head_.size() < 3 ? 0 : head_.size() - 3;
        head_.append(data);
        size_t end = head_.find("\r\n\r\n", from);
        if (end == std::string::npos) {
          if (head_.size() > RequestReader::kMaxHead) return false;
          return true;
        }
        std::string rest = head_.substr(end + 4);
        head_.resize(end + 2);
        if (!ParseHead()) return false;
        if (rest.empty()) return true;
        bytes_ -= static_cast<int64_t>(rest.size());  // counted again below
        return Feed(rest, body);
      }
      case State::kBody:
      case State::kChunkData: {
        size_t take = std::min<size_t>(data.size(), static_cast<size_t>(remaining_));
        body->append(data.substr(0, take));
        data.remove_prefix(take);
        remaining_ -= static_cast<int64_t>(take);
        if (remaining_ == 0) state_ = state_ == State::kBody ? State::kDone : State::kChunkEnd;
        break;
      }
      case State::kChunkSize:
      case State::kChunkEnd:
      case State::kTrailer: {
        size_t nl = data.find('\n');
        head_.append(data.substr(0, nl == std::string_view::npos ? data.size() : nl + 1));
        data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
        if (head_.size() > 4096) return false;
        if (nl == std::string_view::npos) break;
        std::string_view line = Trim(head_);
        if (state_ == State::kChunkEnd) {
          if (!line.empty()) return false;
          state_ = State::kChunkSize;
        } else if (state_ == State::kTrailer) {
          if (line.empty()) state_ = State::kDone;
        } else {
          line = line.substr(0, line.find(';'));  // chunk extensions
          int64_t size = 0;
          auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
          if (ec != std::errc() || end != line.data() + line.size() || size < 0) return false;
          remaining_ = size;
          state_ = size == 0 ? State::kTrailer : State::kChunkData;
        }
        head_.clear();
        break;
      }
      case State::kUntilClose:
        body->append(data);
        data = {};
        break;
      case State::kDone:
        return false;  // nothing may follow an answer we did not ask for
    }
  }
  return true;
}

bool ResponseReader::FeedEof() {
  if (state_ == State::kUntilClose) state_ = State::kDone;
  return state_ == State::kDone;
}

RequestReader::Outcome RequestReader::Next(std::string* buffer, Request* out, std::string* why) {
  size_t end = buffer->find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer->size() > kMaxHead) {
      *why = "request head over 64 KiB";
      return Outcome::kBad;
    }
    return Outcome::kNeedMore;
  }
  std::string_view head(buffer->data(), end + 2);
  size_t sp1 = head.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : head.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    *why = "malformed request line";
    return Outcome::kBad;
  }
  if (Chunked(head)) {
    *why = "chunked request bodies are not read";
    return Outcome::kBad;
  }
  int64_t length = ContentLength(head);
  if (length == -2 || length > kMaxBody) {
    *why = "bad Content-Length";
    return Outcome::kBad;
  }
  length = std::max<int64_t>(length, 0);
  if (buffer->size() < end + 4 + static_cast<size_t>(length)) return Outcome::kNeedMore;
  out->method.assign(head.substr(0, sp1));
  out->path.assign(head.substr(sp1 + 1, sp2 - sp1 - 1));
  bool http10 = head.substr(sp2 + 1, 8) == "HTTP/1.0";
  std::string_view connection = HeaderValue(head, "Connection");
  out->keep_alive =
      http10 ? ContainsNoCase(connection, "keep-alive") : !ContainsNoCase(connection, "close");
  out->body.assign(*buffer, end + 4, static_cast<size_t>(length));
  buffer->erase(0, end + 4 + static_cast<size_t>(length));
  return Outcome::kRequest;
}

}  // namespace hai::bench
