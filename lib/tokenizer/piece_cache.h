#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hai::tokenizer {

// Remembers the ids of pieces already merged: text repeats its words, and a
// hit costs a hash lookup instead of a merge loop. Bounded: when full it
// starts over, which keeps it simple and its memory fixed.
//
// Thread safety: all methods may be called concurrently (readers share a lock).
class PieceCache {
 public:
  explicit PieceCache(size_t capacity = 1 << 16) : capacity_(capacity) {}

  // Appends the cached ids of `piece` to `out`; false when not cached.
  bool Lookup(std::string_view piece, std::vector<int32_t>* out) const;
  void Insert(std::string_view piece, const int32_t* ids, size_t count);
  size_t size() const;

  // Pieces longer than this are not worth a slot: they rarely repeat.
  static constexpr size_t kMaxPieceBytes = 64;

 private:
  const size_t capacity_;
  mutable std::shared_mutex mu_;
  // A transparent hash lets Lookup() search by string_view without a copy.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::vector<int32_t>, Hash, std::equal_to<>>
      entries_;  // GUARDED_BY(mu_)
};

}  // namespace hai::tokenizer
