// Writing .safetensors files: header padded so the data starts 8-byte
// aligned, tensors in name order, the file renamed into place when complete.
#include <nlohmann/json.hpp>

#include "lib/checkpoint/file_io.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/shape_text.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;

Status CheckEntry(const std::string& name, DType dtype, const std::vector<int64_t>& shape,
                  size_t size_bytes) {
  if (name.empty() || name == "__metadata__") {
    return Status::InvalidArgument("tensor name '" + name + "' is reserved or empty");
  }
  uint64_t elements = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || __builtin_mul_overflow(elements, static_cast<uint64_t>(dim), &elements)) {
      return Status::InvalidArgument("tensor '" + name + "' has an invalid shape " +
                                     ShapeText(shape));
    }
  }
  if (elements * DTypeSize(dtype) != size_bytes) {
    return Status::InvalidArgument("tensor '" + name + "': " + std::to_string(size_bytes) +
                                   " bytes given but " + std::string(DTypeName(dtype)) + " " +
                                   ShapeText(shape) + " needs " +
                                   std::to_string(elements * DTypeSize(dtype)));
  }
  return Status::Ok();
}

}  // namespace

Status SafetensorsWriter::Add(const std::string& name, DType dtype, std::vector<int64_t> shape,
                              std::span<const std::byte> data) {
  return Add(name, dtype, std::move(shape), std::vector<std::byte>(data.begin(), data.end()));
}

Status SafetensorsWriter::Add(const std::string& name, DType dtype, std::vector<int64_t> shape,
                              std::vector<std::byte>&& data) {
  HAI_RETURN_IF_ERROR(CheckEntry(name, dtype, shape, data.size()));
  if (entries_.count(name)) return Status::AlreadyExists("tensor '" + name + "' added twice");
  entries_.emplace(name, Entry{dtype, std::move(shape), std::move(data)});
  return Status::Ok();
}

Status SafetensorsWriter::AddF32(const std::string& name, std::vector<int64_t> shape,
                                 std::span<const float> data) {
  return Add(name, DType::kF32, std::move(shape), std::as_bytes(data));
}

void SafetensorsWriter::SetMetadata(const std::string& key, const std::string& value) {
  metadata_[key] = value;
}

Status SafetensorsWriter::Write(const std::string& path) const {
  json header = json::object();
  uint64_t offset = 0;
  for (const auto& [name, entry] : entries_) {
    header[name] = {{"dtype", DTypeName(entry.dtype)},
                    {"shape", entry.shape},
                    {"data_offsets", {offset, offset + entry.data.size()}}};
    offset += entry.data.size();
  }
  if (!metadata_.empty()) header["__metadata__"] = metadata_;
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception& e) {  // names or metadata that are not UTF-8
    return Status::InvalidArgument(path + ": cannot write header: " + e.what());
  }
  // The format allows trailing spaces in the header; they align the data.
  text.append((8 - (8 + text.size()) % 8) % 8, ' ');
  std::byte length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<std::byte>((text.size() >> (8 * i)) & 0xFF);

  HAI_ASSIGN_OR_RETURN(AtomicFile file, AtomicFile::Create(path));
  HAI_RETURN_IF_ERROR(file.Append(length));
  HAI_RETURN_IF_ERROR(file.Append(text));
  for (const auto& [name, entry] : entries_) HAI_RETURN_IF_ERROR(file.Append(entry.data));
  return file.Commit();
}

}  // namespace hai::checkpoint
