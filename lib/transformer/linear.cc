#include "lib/transformer/linear.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "lib/transformer/f32_matmul.h"
#include "lib/transformer/int8_matmul.h"

namespace hai::transformer {
namespace {

// The int8 kernel beats dequantise-then-GEMM until about 16 tokens.
constexpr int64_t kInt8KernelTokens = 16;
// About this many multiply-adds per thread's share before a product is
// split over threads at all.
constexpr int64_t kWorkPerThread = int64_t{1} << 17;
// Dequantised blocks of about this size stay in cache between the widening
// copy and the GEMM that reads them.
constexpr int64_t kDequantBlockBytes = 2 << 20;

Result<c10::ScalarType> SourceType(const checkpoint::TensorView& view) {
  switch (view.dtype) {
    case checkpoint::DType::kF32:
      return at::kFloat;
    case checkpoint::DType::kF16:
      return at::kHalf;
    case checkpoint::DType::kBF16:
      return at::kBFloat16;
    default:
      return Status::InvalidArgument(view.file + ": tensor " + view.name + " is " +
                                     std::string(checkpoint::DTypeName(view.dtype)) +
                                     "; weights must be F32, F16 or BF16");
  }
}

// Weights stacked along rows in f32, the precision quantisation starts from.
Result<at::Tensor> StackF32(std::span<const checkpoint::TensorView* const> views) {
  std::vector<at::Tensor> parts;
  for (const checkpoint::TensorView* view : views) {
    HAI_ASSIGN_OR_RETURN(at::Tensor part, CopyTensor(*view, ComputeType::kF32));
    parts.push_back(std::move(part));
  }
  return parts.size() == 1 ? parts.front() : at::cat(parts, 0);
}

Status CheckShapes(std::span<const checkpoint::TensorView* const> weights,
                   std::span<const checkpoint::TensorView* const> biases) {
  if (weights.empty()) return Status::Internal("a linear layer needs a weight");
  if (!biases.empty() && biases.size() != weights.size())
    return Status::Internal("a linear layer needs one bias per weight or none");
  const int64_t in = weights[0]->shape.size() == 2 ? weights[0]->shape[1] : -1;
  for (size_t i = 0; i < weights.size(); ++i) {
    const checkpoint::TensorView& w = *weights[i];
    if (w.shape.size() != 2 || w.shape[1] != in)
      return Status::InvalidArgument(w.file + ": " + w.name + " has the wrong shape for a weight");
    if (!biases.empty() && (biases[i]->shape.size() != 1 || biases[i]->shape[0] != w.shape[0]))
      return Status::InvalidArgument(biases[i]->file + ": " + biases[i]->name +
                                     " does not match its weight");
  }
  return Status::Ok();
}

}  // namespace

c10::ScalarType TorchType(ComputeType dtype) {
  return dtype == ComputeType::kBF16 ? at::kBFloat16 : at::kFloat;
}

Result<at::Tensor> CopyTensor(const checkpoint::TensorView& view, ComputeType dtype) {
  HAI_ASSIGN_OR_RETURN(c10::ScalarType source, SourceType(view));
  at::Tensor raw = at::empty(view.shape, at::TensorOptions().dtype(source));
  if (static_cast<size_t>(raw.nbytes()) != view.size_bytes)
    return Status::InvalidArgument(view.file + ": " + view.name + " has " +
                                   std::to_string(view.size_bytes) + " bytes for its shape");
  // A copy, not a view of the mapping: the data may be unaligned and the
  // checkpoint may be closed after loading.
  if (view.size_bytes > 0) std::memcpy(raw.data_ptr(), view.data, view.size_bytes);
  return raw.to(TorchType(dtype));
}

struct Linear::Weights {
  // [out, in] in bf16, or int8 when quantised; f32 weights are packed in
  // panels (f32_matmul.h): [PackedF32Floats(out, in)].
  at::Tensor weight;
  at::Tensor scales;  // [out] f32, when quantised
  at::Tensor bias;    // [out] compute dtype, or undefined
  ComputeType dtype = ComputeType::kF32;
  int64_t out = 0;
  int64_t in = 0;

  bool packed() const { return !scales.defined() && dtype == ComputeType::kF32; }
};

Linear::Linear() = default;
Linear::~Linear() = default;
Linear::Linear(const Linear&) = default;
Linear& Linear::operator=(const Linear&) = default;
Linear::Linear(Linear&&) noexcept = default;
Linear& Linear::operator=(Linear&&) noexcept = default;
Linear::Linear(std::shared_ptr<const Weights> weights) : w_(std::move(weights)) {}

Result<Linear> Linear::Load(std::span<const checkpoint::TensorView* const> weights,
                            std::span<const checkpoint::TensorView* const> biases,
                            const ModelOptions& options) {
  HAI_RETURN_IF_ERROR(CheckShapes(weights, biases));
  auto w = std::make_shared<Weights>();
  w->dtype = options.dtype;
  HAI_ASSIGN_OR_RETURN(at::Tensor full, StackF32(weights));
  w->out = full.size(0);
  w->in = full.size(1);
  if (options.int8_weights) {
    // Symmetric per-row scales; an all-zero row keeps a tiny scale instead
    // of dividing by zero.
    w->scales = (full.abs().amax(1) / 127.0).clamp_min(1e-30);
    w->weight = (full / w->scales.unsqueeze(1)).round_().clamp_(-127, 127).to(at::kChar);
  } else if (options.dtype == ComputeType::kF32) {
    w->weight = at::empty({PackedF32Floats(w->out, w->in)}, at::kFloat);
    PackF32(full.contiguous().data_ptr<float>(), w->out, w->in, w->weight.data_ptr<float>());
  } else {
    w->weight = full.to(TorchType(options.dtype));
  }
  if (!biases.empty()) {
    HAI_ASSIGN_OR_RETURN(at::Tensor bias, StackF32(biases));
    w->bias = bias.to(TorchType(options.dtype));
  }
  return Linear(std::move(w));
}

int64_t Linear::in_features() const { return w_ ? w_->in : 0; }
int64_t Linear::out_features() const { return w_ ? w_->out : 0; }
bool Linear::quantized() const { return w_ && w_->scales.defined(); }

int64_t Linear::bytes() const {
  if (!w_) return 0;
  int64_t total = static_cast<int64_t>(w_->weight.nbytes());
  if (w_->scales.defined()) total += static_cast<int64_t>(w_->scales.nbytes());
  if (w_->bias.defined()) total += static_cast<int64_t>(w_->bias.nbytes());
  return total;
}

namespace {

// Any number of tokens against packed f32 weights, split over threads by
// panels.
at::Tensor PackedProduct(const at::Tensor& x, const at::Tensor& packed, int64_t out) {
  const at::Tensor xf = x.contiguous();
  at::Tensor y = at::empty({xf.size(0), out}, xf.options());
  const F32Product p{xf.data_ptr<float>(), xf.size(0), packed.data_ptr<float>(),
                     xf.size(1),           out,        y.data_ptr<float>()};
  const Simd simd = BestSimd();
  const int64_t grain =
      std::max<int64_t>(1, kWorkPerThread / std::max<int64_t>(1, p.in * p.tokens * kPanelRows));
  at::parallel_for(0, F32Panels(out), grain,
                   [&](int64_t begin, int64_t end) { F32MatmulPanels(p, begin, end, simd); });
  return y;
}

// Few tokens: the int8 kernel, split over threads by output rows.
at::Tensor Int8FewTokens(const at::Tensor& x, const at::Tensor& q, const at::Tensor& scales) {
  at::Tensor xf = x.to(at::kFloat).contiguous();
  at::Tensor yf = at::empty({x.size(0), q.size(0)}, xf.options());
  Int8Product p{xf.data_ptr<float>(),     xf.size(0), q.data_ptr<int8_t>(),
                scales.data_ptr<float>(), q.size(1),  q.size(0),
                yf.data_ptr<float>()};
  const Simd kernel = BestSimd();
  const int64_t grain =
      std::max<int64_t>(2, kWorkPerThread / 2 / std::max<int64_t>(1, p.in * p.tokens));
  at::parallel_for(0, p.out, grain,
                   [&](int64_t begin, int64_t end) { Int8MatmulRows(p, begin, end, kernel); });
  return yf.to(x.scalar_type());
}

// Many tokens: widen a block of rows at a time into the compute dtype and
// multiply it with an ordinary GEMM; the full matrix never exists widened.
at::Tensor Int8ManyTokens(const at::Tensor& x, const at::Tensor& q, const at::Tensor& scales) {
  const int64_t out = q.size(0);
  const int64_t in = q.size(1);
  const int64_t rows_per_block = std::clamp<int64_t>(
      kDequantBlockBytes / std::max<int64_t>(1, in * x.element_size()) / 64 * 64, 64, out);
  at::Tensor yt = at::empty({out, x.size(0)}, x.options());
  at::Tensor block = at::empty({rows_per_block, in}, x.options());
  const at::Tensor xt = x.t();
  for (int64_t row = 0; row < out; row += rows_per_block) {
    const int64_t rows = std::min(rows_per_block, out - row);
    at::Tensor widened = block.narrow(0, 0, rows);
    widened.copy_(q.narrow(0, row, rows));
    at::Tensor dest = yt.narrow(0, row, rows);
    at::mm_out(dest, widened, xt);
  }
  yt.mul_(scales.unsqueeze(1));
  return yt.t().contiguous();
}

}  // namespace

at::Tensor Linear::Forward(const at::Tensor& x) const {
  const Weights& w = *w_;
  const int64_t tokens = x.size(0);
  at::Tensor y;
  if (w.scales.defined()) {
    y = tokens <= kInt8KernelTokens ? Int8FewTokens(x, w.weight, w.scales)
                                    : Int8ManyTokens(x, w.weight, w.scales);
  } else if (w.packed()) {
    y = PackedProduct(x, w.weight, w.out);
  } else {
    y = at::matmul(x, w.weight.t());
  }
  if (w.bias.defined()) y.add_(w.bias);
  return y;
}

TensorLookup RequireFrom(const checkpoint::TensorSet& tensors) {
  return [&tensors](const TensorSpec& spec) { return tensors.Require(spec.name, spec.shape); };
}

Result<at::Tensor> LoadTensor(const TensorLookup& lookup, const TensorSpec& spec,
                              ComputeType dtype) {
  HAI_ASSIGN_OR_RETURN(const checkpoint::TensorView* view, lookup(spec));
  return CopyTensor(*view, dtype);
}

Result<Linear> LoadLinear(const TensorLookup& lookup, const std::vector<TensorSpec>& weights,
                          const std::vector<TensorSpec>& biases, const ModelOptions& options) {
  std::vector<const checkpoint::TensorView*> weight_views, bias_views;
  for (const TensorSpec& spec : weights) {
    HAI_ASSIGN_OR_RETURN(const checkpoint::TensorView* view, lookup(spec));
    weight_views.push_back(view);
  }
  for (const TensorSpec& spec : biases) {
    HAI_ASSIGN_OR_RETURN(const checkpoint::TensorView* view, lookup(spec));
    bias_views.push_back(view);
  }
  return Linear::Load(weight_views, bias_views, options);
}

at::Tensor Linear::Rows(const at::Tensor& ids) const {
  const Weights& w = *w_;
  if (w.packed()) {
    const at::Tensor wanted = ids.contiguous();
    at::Tensor rows = at::empty({wanted.size(0), w.in}, at::kFloat);
    for (int64_t i = 0; i < wanted.size(0); ++i) {
      const int64_t id = wanted.data_ptr<int64_t>()[i];
      // index_select's own check, which the raw copy below would not make.
      if (id < 0 || id >= w.out)
        throw std::out_of_range("row " + std::to_string(id) + " of a matrix with " +
                                std::to_string(w.out) + " rows");
      UnpackF32Row(w.weight.data_ptr<float>(), w.in, id, rows.data_ptr<float>() + i * w.in);
    }
    return rows;
  }
  if (!w.scales.defined()) return w.weight.index_select(0, ids);
  at::Tensor rows = w.weight.index_select(0, ids).to(at::kFloat);
  rows.mul_(w.scales.index_select(0, ids).unsqueeze(1));
  return rows.to(TorchType(w.dtype));
}

}  // namespace hai::transformer
