#include "lib/http/message.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "lib/http/error_map.h"

namespace hai::http {

std::string Request::Header(const std::string& name) const {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  auto it = headers.find(lower);
  return it == headers.end() ? "" : it->second;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string Request::Param(const std::string& name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? "" : it->second;
}

std::string Request::Cookie(const std::string& name) const {
  std::string header = Header("cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    pos = end + 1;
  }
  return "";
}

Response Response::Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::Stream(std::string content_type, StreamProducer producer) {
  Response r;
  r.content_type = std::move(content_type);
  r.stream = std::move(producer);
  return r;
}

Response Response::Sized(std::string content_type, uint64_t length, RangeProducer producer) {
  Response r;
  r.content_type = std::move(content_type);
  r.sized_length = length;
  r.sized = std::move(producer);
  return r;
}

Response Response::Error(const Status& status) {
  nlohmann::json error = {{"code", std::string(CodeName(status.code()))},
                          {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  return Json(HttpStatusFor(status.code()), {{"error", error}});
}

void Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace hai::http
