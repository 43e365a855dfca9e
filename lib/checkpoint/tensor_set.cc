// All weights of a checkpoint directory, one name space over its shards.
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/checkpoint/file_io.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/shape_text.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr char kIndexFile[] = "model.safetensors.index.json";

// Every *.safetensors regular file in `dir`, sorted by name.
Result<std::vector<std::string>> ListShards(const std::string& dir) {
  std::error_code error;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const fs::path& path = it->path();
    if (path.extension() == ".safetensors" && it->is_regular_file(error)) {
      names.push_back(path.filename().string());
    }
  }
  if (error) return Status::Unavailable(dir + ": cannot list: " + error.message());
  if (names.empty()) return Status::NotFound(dir + ": no *.safetensors files");
  std::sort(names.begin(), names.end());
  return names;
}

// The index's weight_map: tensor name → shard file name.
Result<std::map<std::string, std::string>> ReadIndex(const std::string& path) {
  HAI_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  json index = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (index.is_discarded() || !index.is_object()) {
    return Status::InvalidArgument(path + ": not a JSON object");
  }
  auto map_it = index.find("weight_map");
  if (map_it == index.end() || !map_it->is_object() || map_it->empty()) {
    return Status::InvalidArgument(path + ": no weight_map");
  }
  std::map<std::string, std::string> weight_map;
  for (const auto& [name, file] : map_it->items()) {
    // A bare file name: an index must not reach outside its directory.
    if (!file.is_string() || file.get<std::string>().empty() ||
        file.get<std::string>().find('/') != std::string::npos || file.get<std::string>() == "..") {
      return Status::InvalidArgument(path + ": weight_map entry '" + name +
                                     "' does not name a file in the directory");
    }
    weight_map[name] = file.get<std::string>();
  }
  return weight_map;
}

// Each tensor the index lists is in the shard it names, and each shard
// tensor is listed there.
Status CheckIndex(const std::string& index_path,
                  const std::map<std::string, std::string>& weight_map,
                  const std::map<std::string, const TensorView*>& by_name,
                  const std::map<std::string, std::string>& shard_of) {
  for (const auto& [name, file] : weight_map) {
    auto it = shard_of.find(name);
    if (it == shard_of.end()) {
      return Status::InvalidArgument(index_path + ": tensor '" + name + "' is not in " + file);
    }
    if (it->second != file) {
      return Status::InvalidArgument(index_path + ": tensor '" + name + "' is listed in " + file +
                                     " but stored in " + it->second);
    }
  }
  for (const auto& [name, view] : by_name) {
    if (!weight_map.count(name)) {
      return Status::InvalidArgument(view->file + ": tensor '" + name + "' is not in " +
                                     index_path);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<TensorSet> TensorSet::Open(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) return Status::NotFound(dir + ": not a directory");
  TensorSet set;
  set.dir_ = dir;
  const std::string index_path = (fs::path(dir) / kIndexFile).string();
  std::map<std::string, std::string> weight_map;
  std::vector<std::string> names;
  if (fs::exists(index_path, error)) {
    HAI_ASSIGN_OR_RETURN(weight_map, ReadIndex(index_path));
    std::set<std::string> unique;
    for (const auto& [tensor, file] : weight_map) unique.insert(file);
    names.assign(unique.begin(), unique.end());
    for (const std::string& name : names) {
      if (!fs::exists(fs::path(dir) / name, error)) {
        return Status::NotFound(index_path + ": names shard " + name + ", which is missing");
      }
    }
  } else {
    HAI_ASSIGN_OR_RETURN(names, ListShards(dir));
  }

  std::map<std::string, std::string> shard_of;  // tensor → shard file name
  for (const std::string& name : names) {
    std::string path = (fs::path(dir) / name).string();
    HAI_ASSIGN_OR_RETURN(SafetensorsFile shard, SafetensorsFile::Open(path));
    set.shards_.push_back(std::make_unique<SafetensorsFile>(std::move(shard)));
    set.files_.push_back(path);
    for (const TensorView& view : set.shards_.back()->tensors()) {
      auto [it, inserted] = set.by_name_.emplace(view.name, &view);
      if (!inserted) {
        return Status::InvalidArgument(dir + ": tensor '" + view.name + "' is in both " +
                                       it->second->file + " and " + path);
      }
      shard_of[view.name] = name;
    }
  }
  if (!weight_map.empty()) {
    HAI_RETURN_IF_ERROR(CheckIndex(index_path, weight_map, set.by_name_, shard_of));
  }
  return set;
}

const TensorView* TensorSet::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Result<const TensorView*> TensorSet::Require(const std::string& name,
                                             const std::vector<int64_t>& shape) const {
  const TensorView* view = Find(name);
  if (!view) {
    return Status::NotFound(dir_ + ": tensor '" + name + "' (shape " + ShapeText(shape) +
                            ") is missing");
  }
  if (view->shape != shape) {
    return Status::InvalidArgument(view->file + ": tensor '" + name + "' has shape " +
                                   ShapeText(view->shape) + " but " + ShapeText(shape) +
                                   " was expected");
  }
  return view;
}

std::vector<const TensorView*> TensorSet::All() const {
  std::vector<const TensorView*> all;
  all.reserve(by_name_.size());
  for (const auto& [name, view] : by_name_) all.push_back(view);
  return all;
}

const std::vector<std::string>& TensorSet::files() const { return files_; }

}  // namespace hai::checkpoint
