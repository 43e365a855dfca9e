#pragma once

#include <map>
#include <optional>
#include <string>
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

  std::string Header(const std::string& name) const;  // "" when absent
  std::optional<std::string> Query(const std::string& name) const;
  std::string Param(const std::string& name) const;
  std::string Cookie(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, const nlohmann::json& body);
  static Response NoContent();
  static Response Text(int status, std::string body, std::string content_type);
  // `{"error":{"code","message","field"?}}` with the status the code maps to.
  static Response Error(const Status& status);
  void AddHeader(std::string name, std::string value);
};

}  // namespace hai::http
