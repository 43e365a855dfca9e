#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace hai {

// The few kinds of failure the rest of the code distinguishes. Mapped to HTTP
// statuses in exactly one place (lib/http/error_map.cc).
enum class Code {
  kOk,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kUnauthenticated,
  kPermissionDenied,
  kAccountLocked,
  kPayloadTooLarge,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

std::string_view CodeName(Code code);

// A cheap value: OK or a code, a message and optionally the input field at fault.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return {Code::kInvalidArgument, std::move(msg), std::move(field)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg, std::string field = {}) {
    return {Code::kAlreadyExists, std::move(msg), std::move(field)};
  }
  static Status FailedPrecondition(std::string msg) {
    return {Code::kFailedPrecondition, std::move(msg)};
  }
  static Status Unauthenticated(std::string msg) {
    return {Code::kUnauthenticated, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// A value or the Status that explains its absence (C++20 has no std::expected).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace hai

#define HAI_CONCAT_INNER(a, b) a##b
#define HAI_CONCAT(a, b) HAI_CONCAT_INNER(a, b)

// Returns early from the enclosing function when a Status is not OK.
#define HAI_RETURN_IF_ERROR(expr)                                    \
  do {                                                               \
    ::hai::Status HAI_CONCAT(hai_status_, __LINE__) = (expr);        \
    if (!HAI_CONCAT(hai_status_, __LINE__).ok())                     \
      return HAI_CONCAT(hai_status_, __LINE__);                      \
  } while (false)

#define HAI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
// `HAI_ASSIGN_OR_RETURN(auto x, Foo());` unwraps a Result or returns its Status.
#define HAI_ASSIGN_OR_RETURN(lhs, expr) \
  HAI_ASSIGN_OR_RETURN_IMPL(HAI_CONCAT(hai_result_, __LINE__), lhs, expr)
