#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::http {

// Strict reader for a JSON object request body. Every field is read into a
// typed value; a wrong type, a missing required field or a field nobody read
// becomes a 400 that names the field. JSON never travels past the handler.
class JsonBody {
 public:
  static Result<JsonBody> Parse(const std::string& text);
  JsonBody(JsonBody&&) noexcept;
  ~JsonBody();

  void Required(const std::string& key, std::string* out);
  void Required(const std::string& key, int64_t* out);
  void Required(const std::string& key, std::vector<std::string>* out);
  // Absent leaves `out` untouched; present sets it.
  void Optional(const std::string& key, std::string* out);
  void Optional(const std::string& key, int64_t* out);
  void Optional(const std::string& key, bool* out);
  // Absent or null gives nullopt.
  void Optional(const std::string& key, std::optional<std::string>* out);
  void Optional(const std::string& key, std::optional<int64_t>* out);
  void Optional(const std::string& key, std::optional<bool>* out);
  void Optional(const std::string& key, std::optional<std::vector<std::string>>* out);
  // A JSON object whose values are all strings.
  void Optional(const std::string& key, std::optional<std::map<std::string, std::string>>* out);
  bool Has(const std::string& key) const;

  Status Finish() const;

 private:
  struct Impl;
  explicit JsonBody(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Length check for text fields, counted in UTF-8 code points.
Status CheckText(const std::string& field, const std::string& value, size_t min, size_t max);

}  // namespace hai::http
