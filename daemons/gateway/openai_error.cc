#include "daemons/gateway/openai_error.h"

#include <nlohmann/json.hpp>

namespace hai::gateway {
namespace {

nlohmann::json ErrorJson(const ApiError& error) {
  return {{"error",
           {{"message", error.message},
            {"type", ErrorType(error.status)},
            {"param", error.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.param)},
            {"code", error.code}}}};
}

}  // namespace

std::string ErrorType(int http_status) {
  if (http_status == 401) return "authentication_error";
  if (http_status == 403) return "permission_error";
  if (http_status == 429) return "rate_limit_error";
  if (http_status >= 500) return "server_error";
  return "invalid_request_error";
}

http::Response ErrorResponse(const ApiError& error) {
  return http::Response::Json(error.status, ErrorJson(error));
}

std::string StreamErrorEvent(const ApiError& error) {
  return "data: " +
         ErrorJson(error).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
}

http::Response ServerErrorResponse(int http_status, const std::string& code,
                                   const std::string& message) {
  std::string word = code;
  if (http_status == 413)
    word = "payload_too_large";
  else if (http_status == 404)
    word = "not_found";
  else if (http_status == 400)
    word = "invalid_request";
  else if (http_status >= 500 && code != "method_not_allowed")
    word = "internal_error";
  return ErrorResponse({http_status, word, message, ""});
}

}  // namespace hai::gateway
