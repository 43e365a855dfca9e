#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::checkpoint {

// Element types a checkpoint may hold. Weights are f32, f16 or bf16; int8
// (with f32 scales) is what weight-only quantisation writes.
enum class DType { kF32, kF16, kBF16, kI8, kI32, kI64 };

std::string_view DTypeName(DType dtype);  // "F32", "BF16", … as safetensors spells them
size_t DTypeSize(DType dtype);
// The dtype a safetensors header names ("F32", …); nullopt for one we do not read.
std::optional<DType> ParseDType(std::string_view name);

// One tensor inside a mapped file. `data` stays valid while the owning
// SafetensorsFile (or TensorSet) lives.
struct TensorView {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  const std::byte* data = nullptr;
  size_t size_bytes = 0;
  std::string file;  // for error messages

  int64_t NumElements() const;
};

// A memory-mapped .safetensors file: 8-byte little-endian header length, JSON
// header, then the data. Open() validates the header against the file size
// (offsets in range, non-overlapping, sizes matching dtype × shape) so later
// reads cannot go out of bounds. Immutable once open: any thread may read it.
class SafetensorsFile {
 public:
  static Result<SafetensorsFile> Open(const std::string& path);
  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  ~SafetensorsFile();

  const std::vector<TensorView>& tensors() const { return tensors_; }
  const TensorView* Find(const std::string& name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::string& path() const { return path_; }

 private:
  SafetensorsFile() = default;
  std::string path_;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::vector<TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
};

// Writes one .safetensors file (tensors sorted by name, data 8-byte aligned).
// Not thread-safe.
class SafetensorsWriter {
 public:
  // `data` is copied; its size must equal DTypeSize(dtype) × product(shape).
  Status Add(const std::string& name, DType dtype, std::vector<int64_t> shape,
             std::span<const std::byte> data);
  // The same, taking the bytes over instead of copying them (large weights).
  Status Add(const std::string& name, DType dtype, std::vector<int64_t> shape,
             std::vector<std::byte>&& data);
  Status AddF32(const std::string& name, std::vector<int64_t> shape, std::span<const float> data);
  void SetMetadata(const std::string& key, const std::string& value);
  Status Write(const std::string& path) const;  // atomically: temp file + rename

 private:
  struct Entry {
    DType dtype;
    std::vector<int64_t> shape;
    std::vector<std::byte> data;
  };
  std::map<std::string, Entry> entries_;
  std::map<std::string, std::string> metadata_;
};

// Every *.safetensors file of a checkpoint directory (sharded or not; a
// model.safetensors.index.json, when present, must agree with the shards; a
// tensor name may appear in one shard only). Immutable once open: any thread
// may read it.
class TensorSet {
 public:
  static Result<TensorSet> Open(const std::string& dir);

  const TensorView* Find(const std::string& name) const;
  // The tensor, or an error naming the directory, tensor and expected shape.
  Result<const TensorView*> Require(const std::string& name,
                                    const std::vector<int64_t>& shape) const;
  std::vector<const TensorView*> All() const;
  const std::vector<std::string>& files() const;  // the shards' paths, in reading order

 private:
  std::string dir_;
  std::vector<std::string> files_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::map<std::string, const TensorView*> by_name_;
};

// f32/f16/bf16 → f32 (the conversions the engine's reference tests use too);
// integer tensors are converted by value.
std::vector<float> ToFloat(const TensorView& tensor);
float HalfToFloat(uint16_t bits);
float BFloat16ToFloat(uint16_t bits);
uint16_t FloatToBFloat16(float value);  // round to nearest even
uint16_t FloatToHalf(float value);

}  // namespace hai::checkpoint
