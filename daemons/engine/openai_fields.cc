#include "daemons/engine/openai_fields.h"

#include <cmath>
#include <sstream>

namespace hai::engine {
namespace {

// 'name', built by appending: GCC 12's -Wrestrict misfires on "'" + temporary.
std::string Quoted(const std::string& name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '\'';
  out += name;
  out += '\'';
  return out;
}

}  // namespace

FieldReader::FieldReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {}

std::string FieldReader::Param(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

const nlohmann::json* FieldReader::Raw(const std::string& key) {
  read_.insert(key);
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

void FieldReader::Require(const std::string& key) {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null())
    Fail(InvalidRequest("missing_required_parameter",
                        "you must provide the " + Quoted(Param(key)) + " field", Param(key)));
}

void FieldReader::Fail(ApiError error) {
  if (!error_) error_ = std::move(error);
}

void FieldReader::FailType(const std::string& key, const std::string& expected) {
  Fail(InvalidRequest("invalid_type", Quoted(Param(key)) + " must be " + expected, Param(key)));
}

void FieldReader::String(const std::string& key, std::optional<std::string>* out) {
  const nlohmann::json* v = Raw(key);
  if (!v) return;
  if (!v->is_string()) return FailType(key, "a string");
  *out = v->get<std::string>();
}

void FieldReader::Bool(const std::string& key, std::optional<bool>* out) {
  const nlohmann::json* v = Raw(key);
  if (!v) return;
  if (!v->is_boolean()) return FailType(key, "true or false");
  *out = v->get<bool>();
}

void FieldReader::Int(const std::string& key, int64_t min, int64_t max,
                      std::optional<int64_t>* out) {
  const nlohmann::json* v = Raw(key);
  if (!v) return;
  // 2.0 is accepted as 2, as Python clients sometimes send floats.
  bool integral_float = v->is_number_float() && std::isfinite(v->get<double>()) &&
                        std::floor(v->get<double>()) == v->get<double>();
  if (!v->is_number_integer() && !integral_float) return FailType(key, "an integer");
  bool too_big = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX);
  double as_double = v->get<double>();
  int64_t value = too_big                  ? INT64_MAX
                  : v->is_number_integer() ? v->get<int64_t>()
                                           : static_cast<int64_t>(as_double);
  if (too_big || as_double < double(min) || as_double > double(max) || value < min || value > max) {
    return Fail(InvalidRequest("invalid_value",
                               Quoted(Param(key)) + " must be between " + std::to_string(min) +
                                   " and " + std::to_string(max) + ", got " + v->dump(),
                               Param(key)));
  }
  *out = value;
}

void FieldReader::Number(const std::string& key, double min, double max,
                         std::optional<double>* out) {
  const nlohmann::json* v = Raw(key);
  if (!v) return;
  if (!v->is_number()) return FailType(key, "a number");
  double value = v->get<double>();
  if (!std::isfinite(value) || value < min || value > max) {
    return Fail(InvalidRequest("invalid_value",
                               Quoted(Param(key)) + " must be between " + FormatNumber(min) +
                                   " and " + FormatNumber(max) + ", got " + v->dump(),
                               Param(key)));
  }
  *out = value;
}

void FieldReader::StringOrStrings(const std::string& key, size_t max_items,
                                  std::optional<std::vector<std::string>>* out) {
  const nlohmann::json* v = Raw(key);
  if (!v) return;
  if (v->is_string()) {
    *out = std::vector<std::string>{v->get<std::string>()};
    return;
  }
  if (!v->is_array()) return FailType(key, "a string or an array of strings");
  if (v->size() > max_items) {
    return Fail(InvalidRequest("invalid_value",
                               Quoted(Param(key)) + " may hold at most " +
                                   std::to_string(max_items) + " items, got " +
                                   std::to_string(v->size()),
                               Param(key)));
  }
  std::vector<std::string> items;
  for (const auto& item : *v) {
    if (!item.is_string()) return FailType(key, "a string or an array of strings");
    items.push_back(item.get<std::string>());
  }
  *out = std::move(items);
}

void FieldReader::IntArray(const std::string& key, int64_t min, int64_t max, size_t max_items,
                           std::optional<std::vector<int64_t>>* out) {
  const nlohmann::json* v = Raw(key);
  if (!v) return;
  if (!v->is_array()) return FailType(key, "an array of integers");
  if (v->size() > max_items) {
    return Fail(InvalidRequest("invalid_value",
                               Quoted(Param(key)) + " may hold at most " +
                                   std::to_string(max_items) + " items, got " +
                                   std::to_string(v->size()),
                               Param(key)));
  }
  std::vector<int64_t> items;
  for (const auto& item : *v) {
    if (!item.is_number_integer()) return FailType(key, "an array of integers");
    if (item.is_number_unsigned() ? item.get<uint64_t>() > uint64_t(max)
                                  : (item.get<int64_t>() < min || item.get<int64_t>() > max)) {
      return Fail(InvalidRequest("invalid_value",
                                 Quoted(Param(key)) + " items must be between " +
                                     std::to_string(min) + " and " + std::to_string(max) +
                                     ", got " + item.dump(),
                                 Param(key)));
    }
    items.push_back(item.get<int64_t>());
  }
  *out = std::move(items);
}

std::optional<ApiError> FieldReader::Finish() const {
  if (error_) return error_;
  for (const auto& [key, value] : object_.items()) {
    if (!read_.contains(key))
      return InvalidRequest("unknown_parameter",
                            "unrecognized request argument supplied: " + Quoted(Param(key)),
                            Param(key));
  }
  return std::nullopt;
}

std::optional<ApiError> ParseBody(const std::string& text, nlohmann::json* out) {
  *out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded())
    return InvalidRequest("invalid_json", "the request body is not valid JSON");
  if (!out->is_object())
    return InvalidRequest("invalid_json", "the request body must be a JSON object");
  return std::nullopt;
}

std::string FormatNumber(double value) {
  std::ostringstream s;
  s << value;
  return s.str();
}

}  // namespace hai::engine
