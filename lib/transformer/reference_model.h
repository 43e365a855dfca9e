#pragma once

// Test-only: the networks written out as plain loops over floats, with no
// libtorch and nothing shared with the real implementation, to check it
// against. Slow and obvious on purpose; accumulates in double.
#include <cstdint>
#include <vector>

#include "lib/checkpoint/model_config.h"
#include "lib/transformer/encoder_model.h"
#include "lib/transformer/test_models.h"

namespace hai::transformer {

using Matrix = std::vector<std::vector<float>>;  // rows of values

class ReferenceDecoder {
 public:
  ReferenceDecoder(const checkpoint::ModelConfig& config, const Weights& weights)
      : c_(config), w_(weights) {}
  // The logits after each token of `tokens`, recomputed from position 0.
  Matrix Logits(const std::vector<int32_t>& tokens) const;

 private:
  const std::vector<float>& W(const std::string& name) const { return w_.at(name); }
  void Layer(int index, Matrix* x) const;
  void Rope(std::vector<float>* row, int heads, int position) const;

  checkpoint::ModelConfig c_;
  const Weights& w_;
};

class ReferenceEncoder {
 public:
  ReferenceEncoder(const checkpoint::ModelConfig& config, const Weights& weights)
      : c_(config), w_(weights) {}
  // The final hidden states, one row per token (types empty: all 0).
  Matrix Hidden(const std::vector<int32_t>& tokens, const std::vector<int32_t>& types) const;
  std::vector<float> Embed(const std::vector<int32_t>& tokens, Pooling pooling) const;
  // The classifier's logits for one pair.
  std::vector<float> Logits(const std::vector<int32_t>& tokens,
                            const std::vector<int32_t>& types) const;

 private:
  const std::vector<float>& W(const std::string& name) const { return w_.at(name); }
  void Layer(int index, Matrix* x) const;

  checkpoint::ModelConfig c_;
  const Weights& w_;
};

// Helpers the tests use as well.
std::vector<float> LogSoftmax(const std::vector<float>& logits);

}  // namespace hai::transformer
