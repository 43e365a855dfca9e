#include "lib/tokenizer/bpe_model.h"

#include <queue>

#include "lib/tokenizer/byte_level.h"

namespace hai::tokenizer {
namespace {

// A merge that may still apply: the pair starting at symbol `pos` if, when it
// is popped, that symbol and its right neighbour still hold these ids.
struct Candidate {
  int32_t rank;
  int32_t pos;
  int32_t left;
  int32_t right;
  int32_t result;
  // Lowest rank first; among equal ranks (the same pair) the leftmost first.
  bool operator>(const Candidate& other) const {
    return rank != other.rank ? rank > other.rank : pos > other.pos;
  }
};

}  // namespace

BpeModel::BpeModel(Options options) : options_(options) { byte_ids_.fill(-1); }
BpeModel::~BpeModel() = default;

Result<std::unique_ptr<BpeModel>> BpeModel::Build(Vocabulary::Map vocab,
                                                  const std::vector<Merge>& merges,
                                                  Options options) {
  std::unique_ptr<BpeModel> model(new BpeModel(options));
  HAI_ASSIGN_OR_RETURN(model->vocab_, Vocabulary::Build(std::move(vocab)));
  if (options.unk_id && model->vocab_.Token(*options.unk_id) == nullptr)
    return Status::InvalidArgument("unk_token is not in the vocabulary");
  model->merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    auto where = [&] { return "merge " + std::to_string(rank) + " (" + left + " " + right + ")"; };
    const auto left_id = model->TokenId(left);
    if (!left_id)
      return Status::InvalidArgument(where() + ": " + Quoted(left) + " is not in the vocabulary");
    const auto right_id = model->TokenId(right);
    if (!right_id)
      return Status::InvalidArgument(where() + ": " + Quoted(right) + " is not in the vocabulary");
    const auto result_id = model->TokenId(left + right);
    if (!result_id) {
      return Status::InvalidArgument(where() + ": the result " + Quoted(left + right) +
                                     " is not in the vocabulary");
    }
    // A pair listed twice keeps its first (best) rank, as in Hugging Face.
    model->merges_.try_emplace(PairKey(*left_id, *right_id),
                               MergeResult{static_cast<int32_t>(rank), *result_id});
  }
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  for (int byte = 0; byte < 256; ++byte) {
    const auto id = model->TokenId(alphabet.Utf8For(static_cast<unsigned char>(byte)));
    model->byte_ids_[byte] = id ? *id : -1;
  }
  return model;
}

std::optional<int32_t> BpeModel::TokenId(std::string_view token) const {
  return vocab_.Find(token);
}

const std::string* BpeModel::TokenString(int32_t id) const { return vocab_.Token(id); }

const BpeModel::MergeResult* BpeModel::FindMerge(int32_t left, int32_t right) const {
  auto it = merges_.find(PairKey(left, right));
  return it == merges_.end() ? nullptr : &it->second;
}

void BpeModel::EncodePiece(std::string_view piece, std::vector<int32_t>* out) const {
  if (piece.empty()) return;
  if (cache_.Lookup(piece, out)) return;
  const size_t first = out->size();
  if (options_.ignore_merges && piece.size() > 1) {
    if (auto id = TokenId(ByteLevelAlphabet::Get().ToAlphabet(piece))) {
      out->push_back(*id);
      cache_.Insert(piece, out->data() + first, 1);
      return;
    }
  }
  std::vector<int32_t> ids;
  ids.reserve(piece.size());
  for (unsigned char byte : piece) {
    if (byte_ids_[byte] >= 0)
      ids.push_back(byte_ids_[byte]);
    else if (options_.unk_id)
      ids.push_back(*options_.unk_id);
  }
  MergeSymbols(&ids);
  out->insert(out->end(), ids.begin(), ids.end());
  cache_.Insert(piece, ids.data(), ids.size());
}

// Merges the best-ranked adjacent pair until none is left. The symbols form a
// linked list over `ids` (merged-away entries become -1) and the candidates a
// min-heap, so a long piece costs O(n log n), not a rescan per merge.
void BpeModel::MergeSymbols(std::vector<int32_t>* ids) const {
  const int32_t n = static_cast<int32_t>(ids->size());
  if (n < 2) return;
  std::vector<int32_t>& id = *ids;
  std::vector<int32_t> prev(n), next(n);
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto consider = [&](int32_t pos) {
    if (pos < 0 || next[pos] >= n) return;
    if (const MergeResult* m = FindMerge(id[pos], id[next[pos]]))
      heap.push({m->rank, pos, id[pos], id[next[pos]], m->id});
  };
  for (int32_t i = 0; i < n; ++i) {
    prev[i] = i - 1;
    next[i] = i + 1;
  }
  for (int32_t i = 0; i + 1 < n; ++i) consider(i);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const int32_t right = next[c.pos];
    // Stale: one side was merged into something else since it was pushed.
    if (id[c.pos] != c.left || right >= n || id[right] != c.right) continue;
    id[c.pos] = c.result;
    id[right] = -1;
    next[c.pos] = next[right];
    if (next[right] < n) prev[next[right]] = c.pos;
    consider(prev[c.pos]);
    consider(c.pos);
  }
  size_t kept = 0;
  for (int32_t i = 0; i < n; ++i)
    if (id[i] >= 0) id[kept++] = id[i];
  ids->resize(kept);
}

}  // namespace hai::tokenizer
