#pragma once

#include <string>

#include "lib/http/message.h"

namespace hai::http {

// The token of an `Authorization: Bearer …` header, or "".
std::string BearerToken(const Request& req);
// Constant-time comparison of the request's bearer token with `secret`.
bool BearerMatches(const Request& req, const std::string& secret);

}  // namespace hai::http
