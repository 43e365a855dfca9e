#include "lib/config/config_file.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "lib/config/toml_parse.h"

namespace hai::config {

Section::Section(const toml::table* table, std::string name, std::string file)
    : table_(table), name_(std::move(name)), file_(std::move(file)) {}

const void* Section::Find(std::string_view key) {
  read_.insert(std::string(key));
  if (!table_) return nullptr;
  return table_->get(key);
}

void Section::Fail(std::string_view key, std::string_view what) {
  if (!error_.ok()) return;
  error_ = Status::InvalidArgument(
      file_ + ": " + name_ + "." + std::string(key) + ": " + std::string(what),
      name_ + "." + std::string(key));
}

void Section::Read(std::string_view key, std::string* out) {
  auto* node = static_cast<const toml::node*>(Find(key));
  if (!node) return;
  if (auto v = node->value<std::string>(); v && node->is_string()) {
    *out = *v;
  } else {
    Fail(key, "expected a string");
  }
}

void Section::Read(std::string_view key, bool* out) {
  auto* node = static_cast<const toml::node*>(Find(key));
  if (!node) return;
  if (node->is_boolean()) {
    *out = *node->value<bool>();
  } else {
    Fail(key, "expected true or false");
  }
}

void Section::Read(std::string_view key, int64_t* out, int64_t min, int64_t max) {
  auto* node = static_cast<const toml::node*>(Find(key));
  if (!node) return;
  if (!node->is_integer()) {
    Fail(key, "expected an integer");
    return;
  }
  int64_t v = *node->value<int64_t>();
  if (v < min || v > max) {
    Fail(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                  ", got " + std::to_string(v));
    return;
  }
  *out = v;
}

void Section::Read(std::string_view key, int* out, int min, int max) {
  int64_t v = *out;
  Read(key, &v, min, max);
  *out = static_cast<int>(v);
}

void Section::Read(std::string_view key, std::vector<std::string>* out) {
  auto* node = static_cast<const toml::node*>(Find(key));
  if (!node) return;
  const toml::array* arr = node->as_array();
  if (!arr) {
    Fail(key, "expected an array of strings");
    return;
  }
  std::vector<std::string> values;
  for (const toml::node& item : *arr) {
    if (!item.is_string()) {
      Fail(key, "expected an array of strings");
      return;
    }
    values.push_back(*item.value<std::string>());
  }
  *out = std::move(values);
}

Status Section::Finish() const {
  if (!error_.ok()) return error_;
  if (!table_) return Status::Ok();
  for (const auto& [key, node] : *table_) {
    if (!read_.contains(key.str())) {
      return Status::InvalidArgument(
          file_ + ": " + name_ + "." + std::string(key.str()) + ": unknown key",
          name_ + "." + std::string(key.str()));
    }
  }
  return Status::Ok();
}

File::File() = default;
File::File(File&&) noexcept = default;
File& File::operator=(File&&) noexcept = default;
File::~File() = default;

Result<File> File::Parse(std::string_view text, std::string source_name) {
  File file;
  file.source_ = std::move(source_name);
  HAI_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, file.source_));
  file.root_ = std::make_unique<toml::table>(std::move(root));
  return file;
}

Result<File> File::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot open the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

Section File::Get(std::string_view section) const {
  const toml::table* table = nullptr;
  if (const toml::node* node = root_->get(section)) table = node->as_table();
  return Section(table, std::string(section), source_);
}

Status File::CheckSections(const std::vector<std::string_view>& known) const {
  for (const auto& [key, node] : *root_) {
    bool found = false;
    for (std::string_view k : known) found = found || k == key.str();
    if (!found)
      return Status::InvalidArgument(source_ + ": " + std::string(key.str()) + ": unknown section",
                                     std::string(key.str()));
    if (!node.is_table())
      return Status::InvalidArgument(
          source_ + ": " + std::string(key.str()) + ": expected a [table]", std::string(key.str()));
  }
  return Status::Ok();
}

const std::vector<std::string_view>& KnownSections() {
  static const std::vector<std::string_view> kSections = {"cluster",  "log",       "portal",
                                                          "gateway",  "scheduler", "agent",
                                                          "finetune", "evaluator", "engine"};
  return kSections;
}

}  // namespace hai::config
