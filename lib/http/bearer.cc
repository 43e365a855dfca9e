#include "lib/http/bearer.h"

#include <sodium.h>

namespace hai::http {

std::string BearerToken(const Request& req) {
  std::string auth = req.Header("authorization");
  if (auth.size() > 7 && (auth.rfind("Bearer ", 0) == 0 || auth.rfind("bearer ", 0) == 0))
    return auth.substr(7);
  return "";
}

bool BearerMatches(const Request& req, const std::string& secret) {
  std::string token = BearerToken(req);
  if (token.size() != secret.size() || secret.empty()) return false;
  return sodium_memcmp(token.data(), secret.data(), secret.size()) == 0;
}

}  // namespace hai::http
