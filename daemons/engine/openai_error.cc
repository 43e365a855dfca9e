#include "daemons/engine/openai_error.h"

#include <nlohmann/json.hpp>

#include "lib/http/error_map.h"

namespace hai::engine {

ApiError InvalidRequest(std::string code, std::string message, std::string param) {
  return ApiError{400, std::move(code), std::move(message), std::move(param)};
}

ApiError FromStatus(const Status& status, std::string code) {
  ApiError error;
  error.status = http::HttpStatusFor(status.code());
  error.message = status.message();
  error.param = status.field();
  if (!code.empty()) {
    error.code = std::move(code);
    return error;
  }
  switch (status.code()) {
    case Code::kInvalidArgument:
      error.code = "invalid_value";
      break;
    case Code::kResourceExhausted:
      error.code = "queue_full";
      break;
    case Code::kUnavailable:
      error.code = "unavailable";
      break;
    case Code::kNotFound:
      error.code = "not_found";
      break;
    case Code::kPayloadTooLarge:
      error.code = "payload_too_large";
      break;
    default:
      error.code = "internal_error";
      break;
  }
  return error;
}

std::string ErrorType(int http_status) {
  if (http_status == 429) return "rate_limit_error";
  if (http_status >= 500) return "server_error";
  return "invalid_request_error";
}

nlohmann::json ErrorJson(const ApiError& error) {
  nlohmann::json param =
      error.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.param);
  return {{"error",
           {{"message", error.message},
            {"type", ErrorType(error.status)},
            {"param", param},
            {"code", error.code}}}};
}

http::Response ErrorResponse(const ApiError& error) {
  return http::Response::Json(error.status, ErrorJson(error));
}

}  // namespace hai::engine
