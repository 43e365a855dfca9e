#include "lib/tokenizer/vocabulary.h"

#include <algorithm>

namespace hai::tokenizer {

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + s + "'".
std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  out.append(text);
  out.push_back('\'');
  return out;
}

Result<Vocabulary> Vocabulary::Build(Map tokens) {
  Vocabulary vocab;
  int32_t max_id = -1;
  for (const auto& [token, id] : tokens) {
    if (id < 0 || id > kMaxId) {
      return Status::InvalidArgument("vocab entry " + Quoted(token) + " has id " +
                                     std::to_string(id) + ", outside 0.." + std::to_string(kMaxId));
    }
    max_id = std::max(max_id, id);
  }
  vocab.tokens_.resize(static_cast<size_t>(max_id + 1));
  vocab.ids_.reserve(tokens.size());
  for (auto& [token, id] : tokens) {
    if (vocab.tokens_[id]) {
      // Name the pair in a fixed order so the message does not depend on hashing.
      const auto& [a, b] = std::minmax(*vocab.tokens_[id], token);
      return Status::InvalidArgument("vocab id " + std::to_string(id) + " is used by both " +
                                     Quoted(a) + " and " + Quoted(b));
    }
    vocab.tokens_[id] = token;
    vocab.ids_.emplace(token, id);
  }
  return vocab;
}

}  // namespace hai::tokenizer
