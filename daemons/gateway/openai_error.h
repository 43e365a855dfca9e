#pragma once

#include <string>

#include "lib/http/message.h"

namespace hai::gateway {

// An error as OpenAI clients expect it: {"error":{"message","type","param","code"}}.
// `code` is a short word callers can branch on (invalid_api_key,
// insufficient_scope, model_not_found, no_ready_replica, …); `param` names
// the request field at fault ("" renders as null).
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
  std::string param;
};

// The one place an HTTP status becomes an OpenAI error type:
// 401 authentication_error, 403 permission_error, 429 rate_limit_error,
// 5xx server_error, any other 4xx invalid_request_error.
std::string ErrorType(int http_status);
http::Response ErrorResponse(const ApiError& error);
// The SSE event that ends a stream the replica broke off.
std::string StreamErrorEvent(const ApiError& error);

// The errors lib/http's server answers by itself (unknown path, wrong
// method, body too large, unreadable request) in the same shape.
http::Response ServerErrorResponse(int http_status, const std::string& code,
                                   const std::string& message);

}  // namespace hai::gateway
