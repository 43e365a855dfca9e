#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "daemons/engine/sequence.h"
#include "lib/transformer/decoder_model.h"

namespace hai::engine {

// The bytes of KV cache the running sequences may hold together. What counts
// is what the caches really hold (KvCache::bytes(), which includes the room a
// cache reserved ahead), so the budget is a bound on memory, not an estimate.
class KvBudget {
 public:
  // `bytes` 0: room for max(max_num_seqs × 2048, max_position) tokens, so one
  // sequence of the model's full context always fits.
  KvBudget(const transformer::DecoderModel& model, int max_num_seqs, int64_t bytes);

  int64_t bytes() const { return bytes_; }
  int64_t bytes_per_token() const { return bytes_per_token_; }
  // The least a prompt of `tokens` needs (its cache may reserve more).
  int64_t BytesFor(int64_t tokens) const { return tokens * bytes_per_token_; }
  static int64_t Used(const std::vector<std::unique_ptr<Sequence>>& running);
  bool Holds(int64_t used) const { return used <= bytes_; }
  double Usage(int64_t used) const;  // 0..1 (above 1 only transiently)

 private:
  int64_t bytes_per_token_;
  int64_t bytes_;
};

}  // namespace hai::engine
