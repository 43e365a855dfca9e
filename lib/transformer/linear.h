#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/safetensors.h"
#include "lib/transformer/decoder_model.h"

// Declared, not included: only lib/transformer's .cc files see libtorch.
namespace at {
class Tensor;
}
namespace c10 {
enum class ScalarType : int8_t;
}

namespace hai::transformer {

// The libtorch element type computations of `dtype` run in.
c10::ScalarType TorchType(ComputeType dtype);

// A checkpoint tensor (f32, f16 or bf16) copied into a new libtorch tensor of
// `dtype`; the checkpoint may be closed afterwards.
Result<at::Tensor> CopyTensor(const checkpoint::TensorView& view, ComputeType dtype);

// A weight matrix W [out, in] (PyTorch's nn.Linear layout) with an optional
// bias, held in the compute dtype or, with int8 weights, as int8 plus one f32
// scale per output row (symmetric: W ≈ scale · q, |q| ≤ 127). Copies share the
// weights, which is how tied embeddings use one matrix twice. Const methods
// may run concurrently.
class Linear {
 public:
  // Stacks `weights` ([out_i, in] each) along `out` so that one product
  // serves them all (q/k/v, gate/up). `biases` is empty or one [out_i] per
  // weight. Biases stay in the compute dtype even with int8 weights.
  static Result<Linear> Load(std::span<const checkpoint::TensorView* const> weights,
                             std::span<const checkpoint::TensorView* const> biases,
                             const ModelOptions& options);

  Linear();
  ~Linear();
  Linear(const Linear&);
  Linear& operator=(const Linear&);
  Linear(Linear&&) noexcept;
  Linear& operator=(Linear&&) noexcept;

  int64_t in_features() const;
  int64_t out_features() const;
  bool quantized() const;
  int64_t bytes() const;  // weights, scales and bias as held

  // x [tokens, in] in the compute dtype → x·Wᵀ + b [tokens, out], same dtype.
  at::Tensor Forward(const at::Tensor& x) const;
  // Rows `ids` (int64) of W in the compute dtype: an embedding lookup.
  at::Tensor Rows(const at::Tensor& ids) const;

 private:
  struct Weights;
  explicit Linear(std::shared_ptr<const Weights> weights);
  std::shared_ptr<const Weights> w_;
};

// A tensor a model needs: its checkpoint name and shape.
struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
};

// Finds a checkpoint tensor and checks its shape: TensorSet::Require, whose
// error names the tensor, or a variant that also tries other spellings.
using TensorLookup = std::function<Result<const checkpoint::TensorView*>(const TensorSpec&)>;
TensorLookup RequireFrom(const checkpoint::TensorSet& tensors);

// A copied tensor (norm weights, position tables) in `dtype`.
Result<at::Tensor> LoadTensor(const TensorLookup& lookup, const TensorSpec& spec,
                              ComputeType dtype);
// A Linear from `weights` stacked in order, with `biases` (none or one each).
Result<Linear> LoadLinear(const TensorLookup& lookup, const std::vector<TensorSpec>& weights,
                          const std::vector<TensorSpec>& biases, const ModelOptions& options);

}  // namespace hai::transformer
