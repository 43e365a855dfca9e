#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lib/http/message.h"

namespace hai::http {

using Handler = std::function<Response(Request&)>;

// Method + path pattern → handler. Patterns are literal segments and
// `{name}` placeholders ("/api/v1/orgs/{id}/members"); a last segment
// `{name...}` takes the rest of the path, slashes included, and needs at least
// one character ("/models/{id}/files/{path...}"). Built at start, then
// read-only, so lookups need no lock.
class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
  };
  enum class Match { kFound, kNoPath, kWrongMethod };

  void Add(std::string method, std::string pattern, Handler handler);
  // Fills req.path_params and req.route when found.
  Match Find(Request& req, const Route** route) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool MatchPattern(const std::string& pattern, const std::string& path,
                           std::map<std::string, std::string>* params);
  std::vector<Route> routes_;
};

}  // namespace hai::http
