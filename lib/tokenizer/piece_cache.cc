#include "lib/tokenizer/piece_cache.h"

namespace hai::tokenizer {

bool PieceCache::Lookup(std::string_view piece, std::vector<int32_t>* out) const {
  if (piece.size() > kMaxPieceBytes) return false;
  std::shared_lock lock(mu_);
  auto it = entries_.find(piece);
  if (it == entries_.end()) return false;
  out->insert(out->end(), it->second.begin(), it->second.end());
  return true;
}

void PieceCache::Insert(std::string_view piece, const int32_t* ids, size_t count) {
  if (piece.size() > kMaxPieceBytes || capacity_ == 0) return;
  std::unique_lock lock(mu_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.try_emplace(std::string(piece), ids, ids + count);
}

size_t PieceCache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace hai::tokenizer
