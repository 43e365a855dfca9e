#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lib/base/status.h"

namespace hai::http {

// A request as handlers see it: no sockets, so handlers are testable alone.
struct Request {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> path_params;  // filled by the Router
  std::multimap<std::string, std::string> headers;  // keys in lower case
  std::string body;
  std::string client_ip;
  std::string request_id;
  std::string route;  // the matched pattern, e.g. "/api/v1/orgs/{id}"
  // True once the client has closed its connection. Valid while the request
  // is being served (handler or stream producer); null for requests built by
  // hand in tests. Cheap: call it every few hundred milliseconds while waiting.
  std::function<bool()> client_gone;

  std::string Header(const std::string& name) const;  // "" when absent
  std::optional<std::string> Query(const std::string& name) const;
  std::string Param(const std::string& name) const;
  std::string Cookie(const std::string& name) const;
};

// Writes one piece of a streamed body; returns false once the client has gone
// (stop producing then). An empty piece writes nothing and only asks.
using StreamWrite = std::function<bool(std::string_view data)>;
// Produces a streamed body after the handler has returned, on the same server
// thread, for as long as it needs. Returning false aborts the response: the
// connection closes without the final chunk.
using StreamProducer = std::function<bool(const StreamWrite& write)>;
// Writes bytes [offset, offset + length) of a body whose size is known before
// it is sent (a file), through `write`, on the server thread. It must write at
// least one byte or return false; false aborts the response (the connection
// closes short of Content-Length, which the client sees as an error).
using RangeProducer =
    std::function<bool(uint64_t offset, uint64_t length, const StreamWrite& write)>;

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  StreamProducer stream;  // set: the body is sent chunked, as `stream` writes it
  RangeProducer sized;    // set: a body of `sized_length` bytes with Content-Length
  uint64_t sized_length = 0;

  static Response Json(int status, const nlohmann::json& body);
  static Response NoContent();
  static Response Text(int status, std::string body, std::string content_type);
  // A 200 whose body `producer` writes piece by piece (HTTP chunked encoding),
  // e.g. server-sent events.
  static Response Stream(std::string content_type, StreamProducer producer);
  // A 200 of exactly `length` bytes that `producer` reads on demand (a file
  // download): sent with Content-Length, never held in memory whole, never
  // compressed. A Range header is ignored: the whole body is sent.
  static Response Sized(std::string content_type, uint64_t length, RangeProducer producer);
  // `{"error":{"code","message","field"?}}` with the status the code maps to.
  static Response Error(const Status& status);
  void AddHeader(std::string name, std::string value);
};

}  // namespace hai::http
