#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lib/base/status.h"

namespace hai::hwcheck {

// Typed reads from a parsed JSON document that remember the first problem as
// an InvalidArgument naming the source and the field path ("r.json:
// items[2].level: expected a string"). Absent optional fields keep their
// default. For report_json.cc and ledger.cc only: JSON stays at this edge.
class JsonFields {
 public:
  explicit JsonFields(std::string source) : source_(std::move(source)) {}

  const nlohmann::json* Get(const nlohmann::json& obj, const std::string& path, const char* key,
                            bool required);
  void String(const nlohmann::json& obj, const std::string& path, const char* key, std::string* out,
              bool required = false);
  const nlohmann::json* Array(const nlohmann::json& obj, const std::string& path, const char* key,
                              bool required = false);
  const nlohmann::json* Object(const nlohmann::json& obj, const std::string& path, const char* key,
                               bool required = false);
  void Fail(const std::string& path, const std::string& what);

  bool ok() const { return error_.ok(); }
  const Status& error() const { return error_; }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  Status error_;
};

std::string FieldPath(const std::string& parent, const char* key);
std::string IndexPath(const std::string& parent, size_t i);

}  // namespace hai::hwcheck
