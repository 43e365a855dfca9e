#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/base/status.h"

namespace hai::tokenizer {

// A model's token <-> id table, checked once: ids are non-negative and each
// names one token. Immutable after Build(); safe to share across threads.
class Vocabulary {
 public:
  using Map = std::unordered_map<std::string, int32_t>;

  // Ids are dense tables' indexes: one far beyond any real vocabulary (the
  // largest are ~260k) is a broken file, not a reason to allocate gigabytes.
  static constexpr int32_t kMaxId = (1 << 24) - 1;

  Vocabulary() = default;
  // Fails on a negative id, one above kMaxId, or an id given to two tokens
  // (naming both).
  static Result<Vocabulary> Build(Map tokens);

  std::optional<int32_t> Find(std::string_view token) const {
    auto it = ids_.find(token);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  // nullptr for an id no token has.
  const std::string* Token(int32_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= tokens_.size() || !tokens_[id]) return nullptr;
    return &*tokens_[id];
  }
  int32_t max_id() const { return static_cast<int32_t>(tokens_.size()) - 1; }
  size_t size() const { return ids_.size(); }

 private:
  // A transparent hash lets Find() look up a string_view without a copy.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::optional<std::string>> tokens_;  // by id
};

// "'text'", for error messages.
std::string Quoted(std::string_view text);

}  // namespace hai::tokenizer
