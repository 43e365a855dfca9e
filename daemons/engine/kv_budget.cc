#include "daemons/engine/kv_budget.h"

#include <algorithm>

namespace hai::engine {

constexpr int64_t kDefaultTokensPerSequence = 2048;

KvBudget::KvBudget(const transformer::DecoderModel& model, int max_num_seqs, int64_t bytes)
    : bytes_per_token_(model.KvBytesPerToken()), bytes_(bytes) {
  if (bytes_ <= 0) {
    const int64_t tokens =
        std::max<int64_t>(max_num_seqs * kDefaultTokensPerSequence, model.config().max_position);
    bytes_ = tokens * bytes_per_token_;
  }
}

int64_t KvBudget::Used(const std::vector<std::unique_ptr<Sequence>>& running) {
  int64_t used = 0;
  for (const auto& seq : running) used += seq->cache_bytes();
  return used;
}

double KvBudget::Usage(int64_t used) const {
  return bytes_ > 0 ? static_cast<double>(used) / static_cast<double>(bytes_) : 0.0;
}

}  // namespace hai::engine
