#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemons/engine/openai_error.h"

namespace hai::engine {

// Reads one JSON object's fields into typed values the way OpenAI validates
// them: null counts as absent, the first error wins and names the field
// (nested ones as "messages[2].content"), and a field nobody read is an
// "unknown_parameter" error at Finish(). Not thread-safe; one per object.
class FieldReader {
 public:
  // `object` must outlive the reader; `path` prefixes param names.
  explicit FieldReader(const nlohmann::json& object, std::string path = "");

  // Present and not null. Marks the field as read.
  const nlohmann::json* Raw(const std::string& key);
  void Require(const std::string& key);

  void String(const std::string& key, std::optional<std::string>* out);
  void Bool(const std::string& key, std::optional<bool>* out);
  void Int(const std::string& key, int64_t min, int64_t max, std::optional<int64_t>* out);
  void Number(const std::string& key, double min, double max, std::optional<double>* out);
  // A string or an array of strings (at most `max_items`).
  void StringOrStrings(const std::string& key, size_t max_items,
                       std::optional<std::vector<std::string>>* out);
  void IntArray(const std::string& key, int64_t min, int64_t max, size_t max_items,
                std::optional<std::vector<int64_t>>* out);

  // Records an error unless one is already recorded.
  void Fail(ApiError error);
  void FailType(const std::string& key, const std::string& expected);
  bool ok() const { return !error_.has_value(); }
  std::string Param(const std::string& key) const;

  // The first error, or an unknown field.
  std::optional<ApiError> Finish() const;

 private:
  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string> read_;
  std::optional<ApiError> error_;
};

// Reads the top-level body; a body that is not a JSON object is an error.
std::optional<ApiError> ParseBody(const std::string& text, nlohmann::json* out);

// "2" for 2.0, "0.5" for 0.5: numbers in messages as a person writes them.
std::string FormatNumber(double value);

}  // namespace hai::engine
