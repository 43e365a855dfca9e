#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "lib/base/status.h"
#include "lib/http/message.h"

namespace hai::engine {

// An error as OpenAI clients expect it:
// {"error":{"message","type","param","code"}} with `code` a short string
// ("invalid_type", "invalid_value", "missing_required_parameter",
// "unknown_parameter", "invalid_json", "context_length_exceeded",
// "model_not_found", "unsupported_operation", "queue_full", …). `param` names
// the request field at fault ("" renders as null).
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
  std::string param;
};

// A 400 invalid_request_error.
ApiError InvalidRequest(std::string code, std::string message, std::string param = "");
// The one place a Status from the engine becomes an OpenAI error: HTTP status
// from lib/http's map, code from the Status code unless `code` is given.
ApiError FromStatus(const Status& status, std::string code = "");
// "invalid_request_error" for 4xx, "rate_limit_error" for 429, "server_error" for 5xx.
std::string ErrorType(int http_status);

nlohmann::json ErrorJson(const ApiError& error);
http::Response ErrorResponse(const ApiError& error);

}  // namespace hai::engine
