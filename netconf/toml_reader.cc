#include "netconf/toml_reader.h"

namespace hai::netconf {

Status PlanError(const std::string& source, const std::string& key, const std::string& what) {
  return Status::InvalidArgument(source + ": " + key + ": " + what, key);
}

TomlReader::TomlReader(const toml::table* table, std::string path, std::string source,
                       Status* error)
    : table_(table), path_(std::move(path)), source_(std::move(source)), error_(error) {}

std::string TomlReader::Path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void TomlReader::Fail(std::string_view key, const std::string& what) {
  if (error_->ok()) *error_ = PlanError(source_, Path(key), what);
}

bool TomlReader::Has(std::string_view key) const {
  return table_ != nullptr && table_->get(key) != nullptr;
}

const toml::node* TomlReader::Find(std::string_view key) {
  read_.insert(std::string(key));
  return table_ == nullptr ? nullptr : table_->get(key);
}

void TomlReader::Int(std::string_view key, int* out, int min, int max) {
  std::optional<int> v;
  OptionalInt(key, &v, min, max);
  if (v) *out = *v;
}

void TomlReader::OptionalInt(std::string_view key, std::optional<int>* out, int min, int max) {
  const toml::node* node = Find(key);
  if (node == nullptr) return;
  auto v = node->value<int64_t>();
  if (!node->is_integer() || !v) return Fail(key, "must be an integer");
  if (*v < min || *v > max)
    return Fail(key, std::to_string(*v) + " is out of range " + std::to_string(min) + "–" +
                         std::to_string(max));
  *out = static_cast<int>(*v);
}

void TomlReader::Bool(std::string_view key, bool* out) {
  const toml::node* node = Find(key);
  if (node == nullptr) return;
  if (!node->is_boolean()) return Fail(key, "must be true or false");
  *out = *node->value<bool>();
}

void TomlReader::String(std::string_view key, std::string* out) {
  const toml::node* node = Find(key);
  if (node == nullptr) return;
  if (!node->is_string()) return Fail(key, "must be a string");
  *out = *node->value<std::string>();
}

void TomlReader::Strings(std::string_view key, std::vector<std::string>* out) {
  const toml::node* node = Find(key);
  if (node == nullptr) return;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return Fail(key, "must be an array of strings");
  out->clear();
  for (const toml::node& e : *arr) {
    if (!e.is_string()) return Fail(key, "must be an array of strings");
    out->push_back(*e.value<std::string>());
  }
}

void TomlReader::Ints(std::string_view key, std::vector<int>* out, int min, int max) {
  const toml::node* node = Find(key);
  if (node == nullptr) return;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return Fail(key, "must be an array of integers");
  out->clear();
  for (const toml::node& e : *arr) {
    auto v = e.value<int64_t>();
    if (!e.is_integer() || !v) return Fail(key, "must be an array of integers");
    if (*v < min || *v > max)
      return Fail(key, "element " + std::to_string(out->size()) + " = " + std::to_string(*v) +
                           " is out of range " + std::to_string(min) + "–" + std::to_string(max));
    out->push_back(static_cast<int>(*v));
  }
}

void TomlReader::Ints8(std::string_view key, std::array<int, 8>* out, int min, int max) {
  if (!Has(key)) {
    read_.insert(std::string(key));
    return;
  }
  std::vector<int> values;
  Ints(key, &values, min, max);
  if (!error_->ok()) return;
  if (values.size() != 8)
    return Fail(key, "needs 8 values (one per priority or TC), got " +
                         std::to_string(values.size()));
  std::copy(values.begin(), values.end(), out->begin());
}

std::vector<const toml::table*> TomlReader::Tables(std::string_view key) {
  std::vector<const toml::table*> tables;
  const toml::node* node = Find(key);
  if (node == nullptr) return tables;
  const toml::array* arr = node->as_array();
  if (arr == nullptr) {
    Fail(key, "must be an array of tables ([[" + Path(key) + "]])");
    return tables;
  }
  for (const toml::node& e : *arr) {
    if (!e.is_table()) {
      Fail(key, "must be an array of tables ([[" + Path(key) + "]])");
      return {};
    }
    tables.push_back(e.as_table());
  }
  return tables;
}

const toml::table* TomlReader::Table(std::string_view key) {
  const toml::node* node = Find(key);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    Fail(key, "must be a table");
    return nullptr;
  }
  return node->as_table();
}

void TomlReader::Finish() {
  if (table_ == nullptr || !error_->ok()) return;
  for (const auto& [key, node] : *table_) {
    if (!read_.contains(key.str())) {
      Fail(key.str(), "unknown key");
      return;
    }
  }
}

}  // namespace hai::netconf
