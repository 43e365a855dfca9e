// Reading .safetensors files: map, then validate the header against the file
// so that every TensorView handed out lies inside the mapping.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/shape_text.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;

// The reference implementation's limit; a larger header is a corrupt length.
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

struct ParsedHeader {
  std::vector<TensorView> tensors;  // data pointers set, sorted by name
  std::map<std::string, std::string> metadata;
};

Status Corrupt(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(path + ": " + what);
}

Status ParseMetadata(const std::string& path, const json& value,
                     std::map<std::string, std::string>* metadata) {
  if (!value.is_object()) return Corrupt(path, "__metadata__ is not an object");
  for (const auto& [key, text] : value.items()) {
    if (!text.is_string()) return Corrupt(path, "__metadata__ '" + key + "' is not a string");
    (*metadata)[key] = text.get<std::string>();
  }
  return Status::Ok();
}

// One header entry: dtype, shape and offsets, checked against the data size.
Status ParseEntry(const std::string& path, const std::string& name, const json& entry,
                  const std::byte* data, uint64_t data_size, TensorView* view) {
  auto bad = [&](const std::string& what) {
    return Corrupt(path, "tensor '" + name + "' " + what);
  };
  if (!entry.is_object()) return bad("is not an object");
  auto dtype_it = entry.find("dtype");
  if (dtype_it == entry.end() || !dtype_it->is_string()) return bad("has no dtype");
  std::optional<DType> dtype = ParseDType(dtype_it->get<std::string>());
  if (!dtype) return bad("has unknown dtype '" + dtype_it->get<std::string>() + "'");
  auto shape_it = entry.find("shape");
  if (shape_it == entry.end() || !shape_it->is_array()) return bad("has no shape");
  uint64_t elements = 1;
  view->shape.clear();
  for (const json& dim : *shape_it) {
    if (!dim.is_number_unsigned()) return bad("has a shape entry that is not a size");
    uint64_t size = dim.get<uint64_t>();
    if (size > static_cast<uint64_t>(INT64_MAX) ||
        __builtin_mul_overflow(elements, size, &elements)) {
      return bad("has a shape too large to address");
    }
    view->shape.push_back(static_cast<int64_t>(size));
  }
  auto offsets_it = entry.find("data_offsets");
  if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2 ||
      !(*offsets_it)[0].is_number_unsigned() || !(*offsets_it)[1].is_number_unsigned()) {
    return bad("has no data_offsets [begin, end]");
  }
  uint64_t begin = (*offsets_it)[0].get<uint64_t>();
  uint64_t end = (*offsets_it)[1].get<uint64_t>();
  if (begin > end) return bad("has data_offsets that end before they begin");
  if (end > data_size) {
    return bad("has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
               "] beyond the " + std::to_string(data_size) + " data bytes (truncated file?)");
  }
  uint64_t expected = 0;
  if (__builtin_mul_overflow(elements, DTypeSize(*dtype), &expected) || end - begin != expected) {
    return bad("holds " + std::to_string(end - begin) + " bytes but " +
               std::string(DTypeName(*dtype)) + " " + ShapeText(view->shape) + " needs " +
               std::to_string(elements * DTypeSize(*dtype)));
  }
  view->name = name;
  view->dtype = *dtype;
  view->data = data + begin;
  view->size_bytes = static_cast<size_t>(end - begin);
  view->file = path;
  return Status::Ok();
}

// The tensors must tile the data exactly, as the format requires: no
// overlaps, no holes, nothing after the last one. Empty tensors occupy no
// bytes and are left out of the tiling.
Status CheckTiling(const std::string& path, const std::vector<TensorView>& tensors,
                   const std::byte* data, uint64_t data_size) {
  std::vector<const TensorView*> order;
  for (const TensorView& t : tensors) {
    if (t.size_bytes > 0) order.push_back(&t);
  }
  std::sort(order.begin(), order.end(),
            [](const TensorView* a, const TensorView* b) { return a->data < b->data; });
  uint64_t covered = 0;
  const TensorView* previous = nullptr;
  for (const TensorView* t : order) {
    uint64_t begin = static_cast<uint64_t>(t->data - data);
    if (begin < covered) {
      return Corrupt(path, "tensors '" + previous->name + "' and '" + t->name + "' overlap");
    }
    if (begin > covered) {
      return Corrupt(path, "data bytes " + std::to_string(covered) + ".." + std::to_string(begin) +
                               " belong to no tensor");
    }
    covered = begin + t->size_bytes;
    previous = t;
  }
  if (covered != data_size) {
    return Corrupt(path, std::to_string(data_size - covered) +
                             " data bytes after the last tensor belong to no tensor");
  }
  return Status::Ok();
}

Result<ParsedHeader> ParseFile(const std::string& path, const std::byte* base, uint64_t size) {
  if (size < 8) {
    return Corrupt(path, "truncated: " + std::to_string(size) +
                             " bytes, too short for the 8-byte header length");
  }
  uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | static_cast<uint8_t>(base[i]);
  if (header_size > kMaxHeaderBytes) {
    return Corrupt(path, "header length " + std::to_string(header_size) +
                             " exceeds the 100 MiB limit (not a safetensors file?)");
  }
  if (header_size > size - 8) {
    return Corrupt(path, "header length " + std::to_string(header_size) +
                             " is beyond the end of the file (" + std::to_string(size) +
                             " bytes; truncated?)");
  }
  const char* text = reinterpret_cast<const char*>(base + 8);
  json header = json::parse(text, text + header_size, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) {
    return Corrupt(path, "header is not a JSON object");
  }
  const std::byte* data = base + 8 + header_size;
  const uint64_t data_size = size - 8 - header_size;
  ParsedHeader parsed;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      HAI_RETURN_IF_ERROR(ParseMetadata(path, entry, &parsed.metadata));
      continue;
    }
    TensorView view;
    HAI_RETURN_IF_ERROR(ParseEntry(path, name, entry, data, data_size, &view));
    parsed.tensors.push_back(std::move(view));
  }
  HAI_RETURN_IF_ERROR(CheckTiling(path, parsed.tensors, data, data_size));
  return parsed;
}

}  // namespace

Result<SafetensorsFile> SafetensorsFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": not found");
    return Status::Unavailable(path + ": cannot open: " + std::strerror(errno));
  }
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  SafetensorsFile file;
  file.path_ = path;
  const uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size >= 8) {
    // MAP_PRIVATE + PROT_READ: weights are read in place and never written.
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      Status error = Status::Unavailable(path + ": cannot map: " + std::strerror(errno));
      ::close(fd);
      return error;
    }
    file.map_ = map;
    file.map_size_ = size;
  }
  ::close(fd);  // the mapping keeps the file
  HAI_ASSIGN_OR_RETURN(ParsedHeader parsed,
                       ParseFile(path, static_cast<const std::byte*>(file.map_), size));
  file.tensors_ = std::move(parsed.tensors);
  file.metadata_ = std::move(parsed.metadata);
  return file;
}

SafetensorsFile::SafetensorsFile(SafetensorsFile&& other) noexcept { *this = std::move(other); }

SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&& other) noexcept {
  if (this != &other) {
    if (map_) ::munmap(map_, map_size_);
    path_ = std::move(other.path_);
    map_ = std::exchange(other.map_, nullptr);
    map_size_ = std::exchange(other.map_size_, 0);
    tensors_ = std::move(other.tensors_);
    metadata_ = std::move(other.metadata_);
  }
  return *this;
}

SafetensorsFile::~SafetensorsFile() {
  if (map_) ::munmap(map_, map_size_);
}

const TensorView* SafetensorsFile::Find(const std::string& name) const {
  // The header is a JSON object read in key order, so tensors_ is sorted.
  auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                             [](const TensorView& t, const std::string& n) { return t.name < n; });
  return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

}  // namespace hai::checkpoint
