#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lib/base/status.h"

namespace hai::tokenizer {

// Typed, non-throwing reads of one field of a JSON object, for the
// tokenizer.json loader. `where` is the object's path ("model",
// "added_tokens[3]"); errors name "where.key".
class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::string where)
      : object_(object), where_(std::move(where)) {}

  // Absent or null.
  bool IsMissing(const char* key) const;
  const nlohmann::json* Find(const char* key) const;

  Status String(const char* key, std::string* out, bool required) const;
  Status Bool(const char* key, bool* out) const;      // absent leaves `out` as it is
  Status Int32(const char* key, int32_t* out) const;  // required
  Status Object(const char* key, const nlohmann::json** out, bool required) const;
  Status Array(const char* key, const nlohmann::json** out, bool required) const;

  std::string Path(const char* key) const { return where_.empty() ? key : where_ + "." + key; }
  const std::string& where() const { return where_; }

 private:
  Status Wrong(const char* key, const char* what) const {
    return Status::InvalidArgument(Path(key) + " must be " + what);
  }
  const nlohmann::json& object_;
  std::string where_;
};

}  // namespace hai::tokenizer
