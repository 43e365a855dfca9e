#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/tensor_layout.h"

namespace hai::model {

// Standard normal numbers from SplitMix64 and the Box–Muller transform. The
// stream depends only on (seed, name), and the arithmetic avoids libm (own
// log, sin and cos from + − × ÷ and sqrt, which IEEE 754 rounds exactly), so
// the same arguments give the same bits on every machine and compiler.
// Not thread-safe; cheap to make one per tensor.
class NormalSampler {
 public:
  NormalSampler(uint64_t seed, std::string_view name);
  double Next();

 private:
  uint64_t NextBits();
  uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// The initial values of one tensor, already in `dtype`'s bytes: N(0, 0.02)
// for embeddings, linear weights and biases (random biases, so that bias
// paths are exercised), 1 for norm weights, 0 for norm biases.
std::vector<std::byte> InitialWeights(const checkpoint::ExpectedTensor& tensor,
                                      checkpoint::DType dtype, uint64_t seed);

// Exposed for tests: the portable functions the sampler uses.
double PortableLog(double x);                                              // x > 0
void PortableSinCosTurns(double turns, double* sin_out, double* cos_out);  // angle 2π·turns

}  // namespace hai::model
