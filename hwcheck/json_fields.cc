#include "hwcheck/json_fields.h"

namespace hai::hwcheck {

std::string FieldPath(const std::string& parent, const char* key) {
  return parent.empty() ? std::string(key) : parent + "." + key;
}

std::string IndexPath(const std::string& parent, size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

void JsonFields::Fail(const std::string& path, const std::string& what) {
  if (!error_.ok()) return;
  error_ = Status::InvalidArgument(source_ + ": " + path + ": " + what, path);
}

const nlohmann::json* JsonFields::Get(const nlohmann::json& obj, const std::string& path,
                                      const char* key, bool required) {
  if (!obj.is_object()) {
    Fail(path.empty() ? "(top level)" : path, "expected an object");
    return nullptr;
  }
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) Fail(FieldPath(path, key), "required");
    return nullptr;
  }
  return &*it;
}

void JsonFields::String(const nlohmann::json& obj, const std::string& path, const char* key,
                        std::string* out, bool required) {
  const nlohmann::json* v = Get(obj, path, key, required);
  if (!v) return;
  if (!v->is_string()) return Fail(FieldPath(path, key), "expected a string");
  *out = v->get<std::string>();
}

const nlohmann::json* JsonFields::Array(const nlohmann::json& obj, const std::string& path,
                                        const char* key, bool required) {
  const nlohmann::json* v = Get(obj, path, key, required);
  if (v && !v->is_array()) {
    Fail(FieldPath(path, key), "expected an array");
    return nullptr;
  }
  return v;
}

const nlohmann::json* JsonFields::Object(const nlohmann::json& obj, const std::string& path,
                                         const char* key, bool required) {
  const nlohmann::json* v = Get(obj, path, key, required);
  if (v && !v->is_object()) {
    Fail(FieldPath(path, key), "expected an object");
    return nullptr;
  }
  return v;
}

}  // namespace hai::hwcheck
