#include "lib/http/json_body.h"

#include <nlohmann/json.hpp>

namespace hai::http {

struct JsonBody::Impl {
  nlohmann::json doc;
  std::set<std::string> read;
  Status error;

  const nlohmann::json* Find(const std::string& key, bool required) {
    read.insert(key);
    auto it = doc.find(key);
    if (it == doc.end()) {
      if (required) Fail(key, "is required");
      return nullptr;
    }
    return &*it;
  }
  void Fail(const std::string& key, const std::string& what) {
    if (error.ok()) error = Status::InvalidArgument("field '" + key + "' " + what, key);
  }
  bool ReadString(const std::string& key, const nlohmann::json& v, std::string* out) {
    if (!v.is_string()) {
      Fail(key, "must be a string");
      return false;
    }
    *out = v.get<std::string>();
    return true;
  }
  bool ReadInt(const std::string& key, const nlohmann::json& v, int64_t* out) {
    if (!v.is_number_integer()) {
      Fail(key, "must be an integer");
      return false;
    }
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) {
      Fail(key, "is out of range");
      return false;
    }
    *out = v.get<int64_t>();
    return true;
  }
  bool ReadStrings(const std::string& key, const nlohmann::json& v, std::vector<std::string>* out) {
    if (!v.is_array()) {
      Fail(key, "must be an array of strings");
      return false;
    }
    std::vector<std::string> items;
    for (const auto& item : v) {
      if (!item.is_string()) {
        Fail(key, "must be an array of strings");
        return false;
      }
      items.push_back(item.get<std::string>());
    }
    *out = std::move(items);
    return true;
  }
};

JsonBody::JsonBody(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JsonBody::JsonBody(JsonBody&&) noexcept = default;
JsonBody::~JsonBody() = default;

Result<JsonBody> JsonBody::Parse(const std::string& text) {
  auto impl = std::make_unique<Impl>();
  impl->doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (impl->doc.is_discarded())
    return Status::InvalidArgument("request body is not valid JSON");
  if (!impl->doc.is_object())
    return Status::InvalidArgument("request body must be a JSON object");
  return JsonBody(std::move(impl));
}

void JsonBody::Required(const std::string& key, std::string* out) {
  if (const auto* v = impl_->Find(key, true)) impl_->ReadString(key, *v, out);
}
void JsonBody::Required(const std::string& key, int64_t* out) {
  if (const auto* v = impl_->Find(key, true)) impl_->ReadInt(key, *v, out);
}
void JsonBody::Required(const std::string& key, std::vector<std::string>* out) {
  if (const auto* v = impl_->Find(key, true)) impl_->ReadStrings(key, *v, out);
}
void JsonBody::Optional(const std::string& key, std::string* out) {
  if (const auto* v = impl_->Find(key, false)) impl_->ReadString(key, *v, out);
}
void JsonBody::Optional(const std::string& key, int64_t* out) {
  if (const auto* v = impl_->Find(key, false)) impl_->ReadInt(key, *v, out);
}
void JsonBody::Optional(const std::string& key, bool* out) {
  const auto* v = impl_->Find(key, false);
  if (!v) return;
  if (!v->is_boolean()) {
    impl_->Fail(key, "must be true or false");
    return;
  }
  *out = v->get<bool>();
}
void JsonBody::Optional(const std::string& key, std::optional<std::string>* out) {
  const auto* v = impl_->Find(key, false);
  if (!v || v->is_null()) {
    *out = std::nullopt;
    return;
  }
  std::string s;
  if (impl_->ReadString(key, *v, &s)) *out = std::move(s);
}
void JsonBody::Optional(const std::string& key, std::optional<int64_t>* out) {
  const auto* v = impl_->Find(key, false);
  if (!v || v->is_null()) {
    *out = std::nullopt;
    return;
  }
  int64_t i = 0;
  if (impl_->ReadInt(key, *v, &i)) *out = i;
}
void JsonBody::Optional(const std::string& key, std::optional<bool>* out) {
  const auto* v = impl_->Find(key, false);
  if (!v || v->is_null()) {
    *out = std::nullopt;
    return;
  }
  if (!v->is_boolean()) {
    impl_->Fail(key, "must be true or false");
    return;
  }
  *out = v->get<bool>();
}
void JsonBody::Optional(const std::string& key, std::optional<std::vector<std::string>>* out) {
  const auto* v = impl_->Find(key, false);
  if (!v || v->is_null()) {
    *out = std::nullopt;
    return;
  }
  std::vector<std::string> items;
  if (impl_->ReadStrings(key, *v, &items)) *out = std::move(items);
}

void JsonBody::Optional(const std::string& key,
                        std::optional<std::map<std::string, std::string>>* out) {
  const auto* v = impl_->Find(key, false);
  if (!v || v->is_null()) {
    *out = std::nullopt;
    return;
  }
  if (!v->is_object()) {
    impl_->Fail(key, "must be an object of strings");
    return;
  }
  std::map<std::string, std::string> items;
  for (const auto& [name, value] : v->items()) {
    if (!value.is_string()) {
      impl_->Fail(key + "." + name, "must be a string");
      return;
    }
    items[name] = value.get<std::string>();
  }
  *out = std::move(items);
}

bool JsonBody::Has(const std::string& key) const { return impl_->doc.contains(key); }

Status JsonBody::Finish() const {
  if (!impl_->error.ok()) return impl_->error;
  for (const auto& [key, value] : impl_->doc.items()) {
    if (!impl_->read.contains(key))
      return Status::InvalidArgument("unknown field '" + key + "'", key);
  }
  return Status::Ok();
}

Status CheckText(const std::string& field, const std::string& value, size_t min, size_t max) {
  size_t chars = 0;
  for (unsigned char c : value) chars += (c & 0xC0) != 0x80;
  if (chars < min) {
    return Status::InvalidArgument(
        min == 1 ? "field '" + field + "' must not be empty"
                 : "field '" + field + "' must be at least " + std::to_string(min) + " characters",
        field);
  }
  if (chars > max)
    return Status::InvalidArgument(
        "field '" + field + "' must be at most " + std::to_string(max) + " characters", field);
  for (unsigned char c : value)
    if (c < 0x20 && c != '\t')
      return Status::InvalidArgument("field '" + field + "' contains control characters", field);
  return Status::Ok();
}

}  // namespace hai::http
