// The plain eager reference of engine_bench (see the header). Written from
// the Llama / Qwen2 definitions, nothing shared with lib/transformer.
#include "bench/engine_bench_reference.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <exception>
#include <limits>
#include <string>

namespace hai::bench {
namespace {

using checkpoint::ModelConfig;

struct Layer {
  at::Tensor input_norm, post_norm;
  at::Tensor wq, wk, wv, bq, bk, bv, wo;  // biases undefined unless attention_bias
  at::Tensor gate, up, down;
  at::Tensor keys, values;  // the cache: [kv_heads, tokens, head_dim]
};

c10::ScalarType TorchType(checkpoint::DType dtype) {
  switch (dtype) {
    case checkpoint::DType::kF16:
      return at::kHalf;
    case checkpoint::DType::kBF16:
      return at::kBFloat16;
    default:
      return at::kFloat;
  }
}

at::Tensor RmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  const at::Tensor xf = x.to(at::kFloat);
  return weight * (xf * at::rsqrt(xf.pow(2).mean(-1, true) + eps)).to(x.scalar_type());
}

// Rotates the first half of each head against the second; x is [heads, n, d].
at::Tensor Rope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  const int64_t half = x.size(2) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(2, half, half), x.narrow(2, 0, half)}, 2);
  return x * cos + rotated * sin;
}

}  // namespace

struct EagerDecoder::Impl {
  ModelConfig config;
  c10::ScalarType dtype = at::kFloat;
  int threads = 0;
  at::Tensor embed, final_norm, lm_head, inv_freq;
  std::vector<Layer> layers;
  int64_t length = 0;
  int64_t weight_bytes = 0;

  Result<at::Tensor> Weight(const checkpoint::Checkpoint& ckpt, const std::string& name,
                            const std::vector<int64_t>& shape) {
    HAI_ASSIGN_OR_RETURN(const checkpoint::TensorView* view,
                         checkpoint::RequireWeight(ckpt, name, shape));
    void* data = const_cast<std::byte*>(view->data);  // copied at once, never written
    at::Tensor t =
        at::from_blob(data, view->shape, at::TensorOptions().dtype(TorchType(view->dtype)))
            .to(dtype, /*non_blocking=*/false, /*copy=*/true);
    weight_bytes += static_cast<int64_t>(t.nbytes());
    return t;
  }

  Status LoadWeights(const checkpoint::Checkpoint& ckpt);
  at::Tensor Forward(const at::Tensor& ids);
  at::Tensor Attention(Layer& layer, const at::Tensor& h, const at::Tensor& cos,
                       const at::Tensor& sin);
};

Status EagerDecoder::Impl::LoadWeights(const checkpoint::Checkpoint& ckpt) {
  const ModelConfig& c = config;
  const int64_t hidden = c.hidden_size, inter = c.intermediate_size;
  const int64_t q_width = int64_t{c.num_heads} * c.head_dim;
  const int64_t kv_width = int64_t{c.num_kv_heads} * c.head_dim;
  HAI_ASSIGN_OR_RETURN(embed, Weight(ckpt, "model.embed_tokens.weight", {c.vocab_size, hidden}));
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    Layer l;
    HAI_ASSIGN_OR_RETURN(l.input_norm, Weight(ckpt, p + "input_layernorm.weight", {hidden}));
    HAI_ASSIGN_OR_RETURN(l.post_norm,
                         Weight(ckpt, p + "post_attention_layernorm.weight", {hidden}));
    HAI_ASSIGN_OR_RETURN(l.wq, Weight(ckpt, p + "self_attn.q_proj.weight", {q_width, hidden}));
    HAI_ASSIGN_OR_RETURN(l.wk, Weight(ckpt, p + "self_attn.k_proj.weight", {kv_width, hidden}));
    HAI_ASSIGN_OR_RETURN(l.wv, Weight(ckpt, p + "self_attn.v_proj.weight", {kv_width, hidden}));
    if (c.attention_bias) {
      HAI_ASSIGN_OR_RETURN(l.bq, Weight(ckpt, p + "self_attn.q_proj.bias", {q_width}));
      HAI_ASSIGN_OR_RETURN(l.bk, Weight(ckpt, p + "self_attn.k_proj.bias", {kv_width}));
      HAI_ASSIGN_OR_RETURN(l.bv, Weight(ckpt, p + "self_attn.v_proj.bias", {kv_width}));
    }
    HAI_ASSIGN_OR_RETURN(l.wo, Weight(ckpt, p + "self_attn.o_proj.weight", {hidden, q_width}));
    HAI_ASSIGN_OR_RETURN(l.gate, Weight(ckpt, p + "mlp.gate_proj.weight", {inter, hidden}));
    HAI_ASSIGN_OR_RETURN(l.up, Weight(ckpt, p + "mlp.up_proj.weight", {inter, hidden}));
    HAI_ASSIGN_OR_RETURN(l.down, Weight(ckpt, p + "mlp.down_proj.weight", {hidden, inter}));
    layers.push_back(std::move(l));
  }
  HAI_ASSIGN_OR_RETURN(final_norm, Weight(ckpt, "model.norm.weight", {hidden}));
  if (c.tie_word_embeddings) {
    lm_head = embed;
  } else {
    HAI_ASSIGN_OR_RETURN(lm_head, Weight(ckpt, "lm_head.weight", {c.vocab_size, hidden}));
  }
  inv_freq = 1.0 / at::pow(c.rope_theta,
                           at::arange(0, c.head_dim, 2, at::kLong).to(at::kFloat) / c.head_dim);
  return Status::Ok();
}

// Writes this step's keys and values after the cache (at::cat, as a first
// port would) and attends over all of them.
at::Tensor EagerDecoder::Impl::Attention(Layer& layer, const at::Tensor& h, const at::Tensor& cos,
                                         const at::Tensor& sin) {
  const int64_t n = h.size(0), d = config.head_dim;
  const int64_t heads = config.num_heads, kv_heads = config.num_kv_heads;
  const auto project = [&](const at::Tensor& w, const at::Tensor& b, int64_t count) {
    return at::linear(h, w, b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt)
        .view({n, count, d})
        .transpose(0, 1);
  };
  const at::Tensor q = Rope(project(layer.wq, layer.bq, heads), cos, sin);
  const at::Tensor k = Rope(project(layer.wk, layer.bk, kv_heads), cos, sin);
  const at::Tensor v = project(layer.wv, layer.bv, kv_heads);
  const int64_t past = layer.keys.defined() ? layer.keys.size(1) : 0;
  layer.keys = past == 0 ? k.contiguous() : at::cat({layer.keys, k}, 1);
  layer.values = past == 0 ? v.contiguous() : at::cat({layer.values, v}, 1);
  const int64_t group = heads / kv_heads, total = past + n;
  const at::Tensor keys = layer.keys.repeat_interleave(group, 0);
  const at::Tensor values = layer.values.repeat_interleave(group, 0);
  at::Tensor scores =
      at::matmul(q, keys.transpose(1, 2)).to(at::kFloat) / std::sqrt(static_cast<double>(d));
  if (n > 1) {
    const at::Tensor future =
        at::ones({n, total}, at::TensorOptions().dtype(at::kBool)).triu(past + 1);
    scores = scores.masked_fill(future, -std::numeric_limits<float>::infinity());
  }
  const at::Tensor probs = at::softmax(scores, -1).to(q.scalar_type());
  return at::matmul(probs, values).transpose(0, 1).reshape({n, heads * d});
}

// The logits after the last of `ids`, which follow the cache's tokens.
at::Tensor EagerDecoder::Impl::Forward(const at::Tensor& ids) {
  const int64_t n = ids.size(0);
  const at::Tensor positions = at::arange(length, length + n, at::kLong).to(at::kFloat);
  const at::Tensor angles = positions.unsqueeze(1) * inv_freq.unsqueeze(0);
  const at::Tensor both = at::cat({angles, angles}, 1);
  const at::Tensor cos = both.cos().to(dtype).unsqueeze(0), sin = both.sin().to(dtype).unsqueeze(0);
  const double eps = config.norm_eps;
  at::Tensor x = embed.index_select(0, ids);
  for (Layer& layer : layers) {
    x = x + at::linear(Attention(layer, RmsNorm(x, layer.input_norm, eps), cos, sin), layer.wo);
    const at::Tensor h = RmsNorm(x, layer.post_norm, eps);
    x = x + at::linear(at::silu(at::linear(h, layer.gate)) * at::linear(h, layer.up), layer.down);
  }
  length += n;
  return at::linear(RmsNorm(x.narrow(0, n - 1, 1), final_norm, eps), lm_head)
      .to(at::kFloat)
      .contiguous();
}

EagerDecoder::EagerDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EagerDecoder::~EagerDecoder() = default;

Result<std::unique_ptr<EagerDecoder>> EagerDecoder::Load(const checkpoint::Checkpoint& ckpt,
                                                         transformer::ComputeType dtype,
                                                         int threads) {
  const ModelConfig& c = ckpt.config;
  if (c.arch != checkpoint::Arch::kLlama && c.arch != checkpoint::Arch::kQwen2)
    return Status::InvalidArgument("the eager reference runs Llama and Qwen2 decoders only");
  if (c.num_kv_heads <= 0 || c.num_heads % c.num_kv_heads != 0 || c.head_dim % 2 != 0)
    return Status::InvalidArgument("the eager reference cannot run this head layout");
  auto impl = std::make_unique<Impl>();
  impl->config = c;
  impl->dtype = dtype == transformer::ComputeType::kBF16 ? at::kBFloat16 : at::kFloat;
  impl->threads = threads;
  try {
    at::InferenceMode inference;
    if (threads > 0) at::set_num_threads(threads);
    HAI_RETURN_IF_ERROR(impl->LoadWeights(ckpt));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("eager reference: cannot load: ") + e.what());
  }
  return std::unique_ptr<EagerDecoder>(new EagerDecoder(std::move(impl)));
}

Result<std::vector<float>> EagerDecoder::Prefill(std::span<const int32_t> prompt) {
  if (prompt.empty()) return Status::InvalidArgument("empty prompt");
  for (Layer& layer : impl_->layers) layer.keys = layer.values = at::Tensor();
  impl_->length = 0;
  if (static_cast<int64_t>(prompt.size()) >= impl_->config.max_position)
    return Status::InvalidArgument("the prompt does not fit the context");
  for (int32_t token : prompt) {
    if (token < 0 || token >= impl_->config.vocab_size)
      return Status::InvalidArgument("token outside the vocabulary");
  }
  try {
    at::InferenceMode inference;
    if (impl_->threads > 0 && at::get_num_threads() != impl_->threads)
      at::set_num_threads(impl_->threads);
    std::vector<int64_t> ids(prompt.begin(), prompt.end());
    const at::Tensor logits = impl_->Forward(at::tensor(ids, at::kLong));
    const float* values = logits.data_ptr<float>();
    return std::vector<float>(values, values + logits.numel());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("eager reference: prefill failed: ") + e.what());
  }
}

Result<std::vector<float>> EagerDecoder::Decode(int32_t token) {
  if (impl_->length == 0) return Status::FailedPrecondition("Decode() before Prefill()");
  if (impl_->length >= impl_->config.max_position)
    return Status::InvalidArgument("the context is full");
  if (token < 0 || token >= impl_->config.vocab_size)
    return Status::InvalidArgument("token outside the vocabulary");
  try {
    at::InferenceMode inference;
    if (impl_->threads > 0 && at::get_num_threads() != impl_->threads)
      at::set_num_threads(impl_->threads);
    const at::Tensor logits = impl_->Forward(at::tensor({int64_t{token}}, at::kLong));
    const float* values = logits.data_ptr<float>();
    return std::vector<float>(values, values + logits.numel());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("eager reference: decode failed: ") + e.what());
  }
}

int64_t EagerDecoder::length() const { return impl_->length; }

int64_t EagerDecoder::WeightBytes() const { return impl_->weight_bytes; }

}  // namespace hai::bench
