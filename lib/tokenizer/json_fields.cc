#include "lib/tokenizer/json_fields.h"

#include <limits>

namespace hai::tokenizer {

const nlohmann::json* JsonFields::Find(const char* key) const {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonFields::IsMissing(const char* key) const { return Find(key) == nullptr; }

Status JsonFields::String(const char* key, std::string* out, bool required) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr)
    return required ? Status::InvalidArgument(Path(key) + " is missing") : Status::Ok();
  if (!v->is_string()) return Wrong(key, "a string");
  *out = v->get_ref<const std::string&>();
  return Status::Ok();
}

Status JsonFields::Bool(const char* key, bool* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_boolean()) return Wrong(key, "true or false");
  *out = v->get<bool>();
  return Status::Ok();
}

Status JsonFields::Int32(const char* key, int32_t* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Status::InvalidArgument(Path(key) + " is missing");
  if (!v->is_number_integer()) return Wrong(key, "an integer");
  if (v->is_number_unsigned()
          ? v->get<uint64_t>() > uint64_t(std::numeric_limits<int32_t>::max())
          : (v->get<int64_t>() < 0 || v->get<int64_t>() > std::numeric_limits<int32_t>::max())) {
    return Wrong(key, "an id between 0 and 2^31-1");
  }
  *out = static_cast<int32_t>(v->get<int64_t>());
  return Status::Ok();
}

Status JsonFields::Object(const char* key, const nlohmann::json** out, bool required) const {
  *out = Find(key);
  if (*out == nullptr)
    return required ? Status::InvalidArgument(Path(key) + " is missing") : Status::Ok();
  if (!(*out)->is_object()) return Wrong(key, "an object");
  return Status::Ok();
}

Status JsonFields::Array(const char* key, const nlohmann::json** out, bool required) const {
  *out = Find(key);
  if (*out == nullptr)
    return required ? Status::InvalidArgument(Path(key) + " is missing") : Status::Ok();
  if (!(*out)->is_array()) return Wrong(key, "an array");
  return Status::Ok();
}

}  // namespace hai::tokenizer
