#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>
#include <set>
#include <unordered_map>

#include "lib/tokenizer/byte_level.h"
#include "lib/tokenizer/pre_tokenizer.h"
#include "lib/tokenizer/tokenizer.h"
#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

uint64_t PairKey(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}
int32_t LeftOf(uint64_t key) { return static_cast<int32_t>(key >> 32); }
int32_t RightOf(uint64_t key) { return static_cast<int32_t>(key & 0xFFFFFFFFu); }

// A distinct pre-tokenized piece of the corpus, as token ids, and how often
// the corpus has it.
struct Word {
  std::vector<int32_t> symbols;
  int64_t count;
};

// The learning state. Pair counts are kept up to date incrementally: a merge
// revisits only the words that hold its pair, so the whole run costs about
// the corpus size times the number of merges each word takes part in.
class Trainer {
 public:
  Trainer(const Trainer&) = delete;  // the heap's order points back here
  Trainer& operator=(const Trainer&) = delete;
  explicit Trainer(std::vector<Word> words) : words_(std::move(words)) {
    for (int byte = 0; byte < 256; ++byte) AddToken(std::string(1, static_cast<char>(byte)));
    for (size_t w = 0; w < words_.size(); ++w) {
      const auto& s = words_[w].symbols;
      for (size_t i = 0; i + 1 < s.size(); ++i) {
        const uint64_t key = PairKey(s[i], s[i + 1]);
        counts_[key] += words_[w].count;
        where_[key].push_back(static_cast<int32_t>(w));
      }
    }
    for (const auto& [key, count] : counts_) Push(key, count);
  }

  // Learns until there are `token_count` tokens; false when the corpus has no
  // pair left to merge first.
  bool Learn(size_t token_count) {
    while (tokens_.size() < token_count) {
      if (!MergeBest()) return false;
    }
    return true;
  }

  const std::vector<std::string>& tokens() const { return tokens_; }
  const std::vector<std::pair<int32_t, int32_t>>& merges() const { return merges_; }

 private:
  struct Candidate {
    int64_t count;
    uint64_t key;
  };
  // The heap's order: highest count on top; among equal counts the pair that
  // sorts first by (left text, right text), which makes runs deterministic.
  struct Lower {
    const Trainer* trainer;
    bool operator()(const Candidate& x, const Candidate& y) const {
      if (x.count != y.count) return x.count < y.count;
      const auto& t = trainer->tokens_;
      const std::string& xl = t[LeftOf(x.key)];
      const std::string& yl = t[LeftOf(y.key)];
      if (xl != yl) return xl > yl;
      return t[RightOf(x.key)] > t[RightOf(y.key)];
    }
  };

  int32_t AddToken(std::string text) {
    auto [it, added] = ids_.try_emplace(text, static_cast<int32_t>(tokens_.size()));
    if (added) tokens_.push_back(std::move(text));
    return it->second;
  }
  void Push(uint64_t key, int64_t count) {
    if (count > 0) heap_.push({count, key});
  }

  bool MergeBest() {
    while (!heap_.empty()) {
      const Candidate best = heap_.top();
      heap_.pop();
      auto it = counts_.find(best.key);
      if (it == counts_.end() || it->second != best.count) continue;  // stale
      Merge(best.key);
      return true;
    }
    return false;
  }

  // Replaces every (left, right) by the merged token in each word that holds
  // it, left to right, and moves the pair counts of those words over.
  void Merge(uint64_t key) {
    const int32_t left = LeftOf(key);
    const int32_t right = RightOf(key);
    // Two different pairs can spell the same text; the token is then reused,
    // as Hugging Face's trainer does.
    const int32_t merged = AddToken(tokens_[left] + tokens_[right]);
    merges_.emplace_back(left, right);
    std::vector<int32_t> affected = std::move(where_[key]);
    where_.erase(key);
    std::sort(affected.begin(), affected.end());
    affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
    std::map<uint64_t, int64_t> delta;  // ordered: pushes happen in a fixed order
    for (int32_t w : affected) {
      Word& word = words_[w];
      std::vector<int32_t>& s = word.symbols;
      for (size_t i = 0; i + 1 < s.size(); ++i) delta[PairKey(s[i], s[i + 1])] -= word.count;
      std::vector<int32_t> next;
      next.reserve(s.size());
      for (size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == left && s[i + 1] == right) {
          next.push_back(merged);
          ++i;
        } else {
          next.push_back(s[i]);
        }
      }
      s = std::move(next);
      for (size_t i = 0; i + 1 < s.size(); ++i) {
        const uint64_t pair = PairKey(s[i], s[i + 1]);
        delta[pair] += word.count;
        if (s[i] == merged || s[i + 1] == merged) where_[pair].push_back(w);
      }
    }
    for (const auto& [pair, change] : delta) {
      if (change == 0) continue;
      int64_t& count = counts_[pair];
      count += change;
      if (count <= 0) {
        counts_.erase(pair);
        continue;
      }
      Push(pair, count);
    }
  }

  std::vector<Word> words_;
  std::vector<std::string> tokens_;  // raw bytes, by id
  std::unordered_map<std::string, int32_t> ids_;
  std::vector<std::pair<int32_t, int32_t>> merges_;
  std::unordered_map<uint64_t, int64_t> counts_;
  std::unordered_map<uint64_t, std::vector<int32_t>> where_;  // words that may hold a pair
  std::priority_queue<Candidate, std::vector<Candidate>, Lower> heap_{Lower{this}};
};

Result<std::vector<Word>> CountWords(std::string_view corpus) {
  HAI_ASSIGN_OR_RETURN(PreTokenizer pre, MakeRegexPreTokenizer(kQwen2Pattern));
  const std::string text = ReplaceInvalidUtf8(corpus);
  std::map<std::string_view, int64_t> counts;  // ordered, so word order is fixed
  for (std::string_view piece : pre.Split(text)) ++counts[piece];
  std::vector<Word> words;
  words.reserve(counts.size());
  for (const auto& [piece, count] : counts) {
    Word word{{}, count};
    for (unsigned char byte : piece) word.symbols.push_back(byte);
    words.push_back(std::move(word));
  }
  return words;
}

std::string WriteTokenizerJson(const std::vector<std::string>& tokens,
                               const std::vector<std::pair<int32_t, int32_t>>& merges,
                               const std::vector<std::string>& special_tokens) {
  using nlohmann::ordered_json;
  const ByteLevelAlphabet& alphabet = ByteLevelAlphabet::Get();
  ordered_json vocab = ordered_json::object();
  for (size_t id = 0; id < tokens.size(); ++id) vocab[alphabet.ToAlphabet(tokens[id])] = id;
  ordered_json merge_list = ordered_json::array();
  for (const auto& [left, right] : merges)
    merge_list.push_back(alphabet.ToAlphabet(tokens[left]) + " " +
                         alphabet.ToAlphabet(tokens[right]));
  ordered_json added = ordered_json::array();
  for (size_t i = 0; i < special_tokens.size(); ++i) {
    added.push_back({{"id", tokens.size() + i},
                     {"content", special_tokens[i]},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  const ordered_json byte_level = {{"type", "ByteLevel"},
                                   {"add_prefix_space", false},
                                   {"trim_offsets", false},
                                   {"use_regex", false}};
  ordered_json doc = {{"version", "1.0"},
                      {"truncation", nullptr},
                      {"padding", nullptr},
                      {"added_tokens", added},
                      {"normalizer", nullptr},
                      {"pre_tokenizer",
                       {{"type", "Sequence"},
                        {"pretokenizers",
                         {{{"type", "Split"},
                           {"pattern", {{"Regex", kQwen2Pattern}}},
                           {"behavior", "Isolated"},
                           {"invert", false}},
                          byte_level}}}},
                      {"post_processor", byte_level},
                      {"decoder", byte_level},
                      {"model",
                       {{"type", "BPE"},
                        {"dropout", nullptr},
                        {"unk_token", nullptr},
                        {"continuing_subword_prefix", ""},
                        {"end_of_word_suffix", ""},
                        {"fuse_unk", false},
                        {"byte_fallback", false},
                        {"ignore_merges", false},
                        {"vocab", vocab},
                        {"merges", merge_list}}}};
  return doc.dump(2);
}

}  // namespace

Result<std::string> TrainByteLevelBpe(std::string_view corpus, int vocab_size,
                                      const std::vector<std::string>& special_tokens) {
  std::set<std::string> distinct;
  for (const std::string& s : special_tokens) {
    if (s.empty()) return Status::InvalidArgument("special tokens must not be empty");
    if (!IsValidUtf8(s)) return Status::InvalidArgument("special token is not valid UTF-8");
    if (!distinct.insert(s).second)
      return Status::InvalidArgument("special token '" + s + "' is listed twice");
  }
  const int64_t minimum = 256 + static_cast<int64_t>(special_tokens.size());
  if (vocab_size < minimum) {
    return Status::InvalidArgument("vocab_size " + std::to_string(vocab_size) +
                                   " is below 256 byte tokens + " +
                                   std::to_string(special_tokens.size()) + " special tokens");
  }
  HAI_ASSIGN_OR_RETURN(std::vector<Word> words, CountWords(corpus));
  Trainer trainer(std::move(words));
  const size_t wanted = static_cast<size_t>(vocab_size) - special_tokens.size();
  if (!trainer.Learn(wanted)) {
    return Status::InvalidArgument("the corpus allows only " +
                                   std::to_string(trainer.merges().size()) +
                                   " merges (vocab_size at most " +
                                   std::to_string(trainer.tokens().size() + special_tokens.size()) +
                                   "), " + std::to_string(wanted - 256) + " wanted");
  }
  return WriteTokenizerJson(trainer.tokens(), trainer.merges(), special_tokens);
}

}  // namespace hai::tokenizer
