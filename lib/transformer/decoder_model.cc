// The Llama / Qwen2 decoder on libtorch. The arithmetic follows Hugging Face
// transformers' modeling_llama.py / modeling_qwen2.py operation by operation
// (which dtype each step runs in included), so f32 logits agree with theirs.
#include "lib/transformer/decoder_model.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lib/transformer/decode_attention.h"
#include "lib/transformer/kv_cache.h"
#include "lib/transformer/linear.h"

namespace hai::transformer {
namespace {

using checkpoint::ModelConfig;

// Prompt logprobs are computed this many rows at a time: [rows, vocab] f32
// logits and their log-softmax stay around 150 MB for a 150k vocabulary.
constexpr int64_t kLogprobRows = 128;

struct DecoderLayer {
  at::Tensor input_norm;  // [hidden], compute dtype
  at::Tensor post_norm;   // [hidden]
  Linear qkv;      // q, k and v projections stacked: [(heads + 2·kv_heads)·head_dim, hidden]
  Linear o;        // [hidden, heads·head_dim]
  Linear gate_up;  // gate and up stacked: [2·intermediate, hidden]
  Linear down;     // [hidden, intermediate]
};

// One input of a step, placed in the step's concatenated tokens.
struct Segment {
  DecoderKvCache* cache = nullptr;
  int64_t begin = 0;  // first row of the step's [tokens, hidden] activations
  int64_t count = 0;  // new tokens
  int64_t past = 0;   // tokens the cache held before the step
};

Status CheckConfig(const ModelConfig& c) {
  if (c.arch != checkpoint::Arch::kLlama && c.arch != checkpoint::Arch::kQwen2)
    return Status::InvalidArgument("a " + std::string(checkpoint::ArchName(c.arch)) +
                                   " checkpoint is not a decoder");
  if (c.vocab_size <= 0 || c.hidden_size <= 0 || c.intermediate_size <= 0 || c.num_layers <= 0 ||
      c.num_heads <= 0 || c.num_kv_heads <= 0 || c.head_dim <= 0 || c.max_position <= 0)
    return Status::InvalidArgument("the model configuration has a size that is not positive");
  if (c.num_heads % c.num_kv_heads != 0)
    return Status::InvalidArgument("num_attention_heads is not a multiple of num_key_value_heads");
  if (c.head_dim % 2 != 0) return Status::InvalidArgument("head_dim must be even for RoPE");
  if (c.rope_theta <= 0) return Status::InvalidArgument("rope_theta must be positive");
  return Status::Ok();
}

// x · rsqrt(mean(x²) + eps) in f32, then × weight in the input's dtype.
at::Tensor RmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  const at::Tensor xf = x.to(at::kFloat);
  const at::Tensor normed = xf * at::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps);
  return weight * normed.to(x.scalar_type());
}

// The "rotate_half" convention: the first and second halves of each head
// form the pairs that rotate. x is [tokens, heads, head_dim].
at::Tensor ApplyRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  const int64_t half = x.size(2) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(2, half, half), x.narrow(2, 0, half)}, 2);
  return x * cos + rotated * sin;
}

// Appends, for each row of `logits` [rows, vocab] (f32), the log-probability
// of the token that followed it (`next`, one per row) and the `top_n` most
// likely tokens there, best first.
void AppendLogprobs(const at::Tensor& logits, std::span<const int32_t> next, int top_n,
                    std::vector<TokenLogprob>* out) {
  const int64_t rows = logits.size(0), vocab = logits.size(1);
  const at::Tensor logprobs = at::log_softmax(logits, -1).contiguous();
  const int64_t k = std::min<int64_t>(top_n, vocab);
  at::Tensor top_values, top_ids;
  if (k > 0) {
    std::tie(top_values, top_ids) = at::topk(logprobs, k, -1);
    top_values = top_values.contiguous();
    top_ids = top_ids.contiguous();
  }
  const float* lp = logprobs.data_ptr<float>();
  for (int64_t j = 0; j < rows; ++j) {
    TokenLogprob entry;
    entry.token = next[static_cast<size_t>(j)];
    entry.logprob = lp[j * vocab + entry.token];
    for (int64_t t = 0; t < k; ++t) {
      entry.top.emplace_back(static_cast<int32_t>(top_ids.data_ptr<int64_t>()[j * k + t]),
                             top_values.data_ptr<float>()[j * k + t]);
    }
    out->push_back(std::move(entry));
  }
}

class TorchDecoder final : public DecoderModel {
 public:
  TorchDecoder(const ModelConfig& config, const ModelOptions& options)
      : config_(config),
        options_(options),
        cache_shape_{config.num_layers, config.num_kv_heads, config.head_dim, config.max_position,
                     options.dtype} {}

  Status LoadWeights(const checkpoint::TensorSet& tensors);

  const ModelConfig& config() const override { return config_; }
  int64_t KvBytesPerToken() const override { return cache_shape_.BytesPerToken(); }
  int64_t WeightBytes() const override { return weight_bytes_; }
  std::unique_ptr<KvCache> NewCache() override {
    return std::make_unique<DecoderKvCache>(id_, cache_shape_);
  }
  Result<std::vector<StepOutput>> Step(std::span<const StepInput> batch) override;

 private:
  Result<std::vector<Segment>> Plan(std::span<const StepInput> batch) const;
  std::vector<StepOutput> Run(std::span<const StepInput> batch,
                              const std::vector<Segment>& segments) const;
  std::pair<at::Tensor, at::Tensor> RopeTables(const std::vector<int64_t>& positions) const;
  at::Tensor Layer(int index, const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                   const std::vector<Segment>& segments) const;
  at::Tensor Attention(int index, const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                       const std::vector<Segment>& segments) const;
  void AttendDecoding(int index, const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                      const std::vector<const Segment*>& decoding, at::Tensor& out) const;
  at::Tensor Logits(const at::Tensor& hidden) const;
  std::vector<StepOutput> Outputs(std::span<const StepInput> batch,
                                  const std::vector<Segment>& segments, const at::Tensor& x) const;

  static inline std::atomic<uint64_t> next_id_{1};
  const uint64_t id_ = next_id_++;  // marks this model's caches
  ModelConfig config_;
  ModelOptions options_;
  KvCacheShape cache_shape_;
  Linear embed_;
  Linear lm_head_;  // shares embed_'s weights when tied
  at::Tensor final_norm_;
  at::Tensor inv_freq_;  // [head_dim / 2] f32
  std::vector<DecoderLayer> layers_;
  int64_t weight_bytes_ = 0;
};

Status TorchDecoder::LoadWeights(const checkpoint::TensorSet& tensors) {
  const ModelConfig& c = config_;
  const int64_t hidden = c.hidden_size, inter = c.intermediate_size;
  const int64_t q_width = int64_t{c.num_heads} * c.head_dim;
  const int64_t kv_width = int64_t{c.num_kv_heads} * c.head_dim;
  const TensorLookup lookup = RequireFrom(tensors);
  const ComputeType dtype = options_.dtype;

  HAI_ASSIGN_OR_RETURN(
      embed_,
      LoadLinear(lookup, {{"model.embed_tokens.weight", {c.vocab_size, hidden}}}, {}, options_));
  weight_bytes_ = embed_.bytes();
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    DecoderLayer layer;
    HAI_ASSIGN_OR_RETURN(layer.input_norm,
                         LoadTensor(lookup, {p + "input_layernorm.weight", {hidden}}, dtype));
    HAI_ASSIGN_OR_RETURN(
        layer.post_norm,
        LoadTensor(lookup, {p + "post_attention_layernorm.weight", {hidden}}, dtype));
    std::vector<TensorSpec> qkv_bias;
    if (c.attention_bias) {
      qkv_bias = {{p + "self_attn.q_proj.bias", {q_width}},
                  {p + "self_attn.k_proj.bias", {kv_width}},
                  {p + "self_attn.v_proj.bias", {kv_width}}};
    }
    HAI_ASSIGN_OR_RETURN(layer.qkv,
                         LoadLinear(lookup,
                                    {{p + "self_attn.q_proj.weight", {q_width, hidden}},
                                     {p + "self_attn.k_proj.weight", {kv_width, hidden}},
                                     {p + "self_attn.v_proj.weight", {kv_width, hidden}}},
                                    qkv_bias, options_));
    HAI_ASSIGN_OR_RETURN(
        layer.o,
        LoadLinear(lookup, {{p + "self_attn.o_proj.weight", {hidden, q_width}}}, {}, options_));
    HAI_ASSIGN_OR_RETURN(layer.gate_up, LoadLinear(lookup,
                                                   {{p + "mlp.gate_proj.weight", {inter, hidden}},
                                                    {p + "mlp.up_proj.weight", {inter, hidden}}},
                                                   {}, options_));
    HAI_ASSIGN_OR_RETURN(
        layer.down,
        LoadLinear(lookup, {{p + "mlp.down_proj.weight", {hidden, inter}}}, {}, options_));
    weight_bytes_ += static_cast<int64_t>(layer.input_norm.nbytes() + layer.post_norm.nbytes()) +
                     layer.qkv.bytes() + layer.o.bytes() + layer.gate_up.bytes() +
                     layer.down.bytes();
    layers_.push_back(std::move(layer));
  }
  HAI_ASSIGN_OR_RETURN(final_norm_, LoadTensor(lookup, {"model.norm.weight", {hidden}}, dtype));
  weight_bytes_ += static_cast<int64_t>(final_norm_.nbytes());
  if (c.tie_word_embeddings) {
    lm_head_ = embed_;
  } else {
    HAI_ASSIGN_OR_RETURN(
        lm_head_, LoadLinear(lookup, {{"lm_head.weight", {c.vocab_size, hidden}}}, {}, options_));
    weight_bytes_ += lm_head_.bytes();
  }
  // inv_freq = 1 / theta^(2i/d), computed in f32 exactly as Hugging Face does.
  const at::Tensor exponents = at::arange(0, c.head_dim, 2, at::kLong).to(at::kFloat) / c.head_dim;
  inv_freq_ = 1.0 / at::pow(c.rope_theta, exponents);
  return Status::Ok();
}

Result<std::vector<Segment>> TorchDecoder::Plan(std::span<const StepInput> batch) const {
  std::vector<Segment> segments;
  std::unordered_set<const KvCache*> seen;
  int64_t begin = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    const StepInput& in = batch[i];
    const std::string where = "step input " + std::to_string(i) + ": ";
    if (in.cache == nullptr) return Status::InvalidArgument(where + "no KV cache", "cache");
    auto* cache = dynamic_cast<DecoderKvCache*>(in.cache);
    if (cache == nullptr || cache->owner() != id_)
      return Status::InvalidArgument(where + "the KV cache belongs to another model", "cache");
    if (!seen.insert(cache).second)
      return Status::InvalidArgument(where + "the same KV cache appears twice in one step",
                                     "cache");
    if (in.tokens.empty()) return Status::InvalidArgument(where + "no tokens", "tokens");
    for (int32_t token : in.tokens) {
      if (token < 0 || token >= config_.vocab_size)
        return Status::InvalidArgument(where + "token id " + std::to_string(token) +
                                           " is outside the vocabulary of " +
                                           std::to_string(config_.vocab_size),
                                       "tokens");
    }
    const int64_t count = static_cast<int64_t>(in.tokens.size());
    if (cache->length() + count > cache->capacity())
      return Status::InvalidArgument(
          where + "the KV cache has room for " + std::to_string(cache->capacity()) +
              " tokens but needs " + std::to_string(cache->length() + count) + "; Reserve() first",
          "cache");
    segments.push_back({cache, begin, count, cache->length()});
    begin += count;
  }
  return segments;
}

Result<std::vector<StepOutput>> TorchDecoder::Step(std::span<const StepInput> batch) {
  HAI_ASSIGN_OR_RETURN(std::vector<Segment> segments, Plan(batch));
  if (segments.empty()) return std::vector<StepOutput>{};
  std::vector<StepOutput> outputs;
  try {
    at::InferenceMode inference;
    // The thread count is per calling thread under OpenMP, and the step loop
    // need not be the thread that loaded the model.
    if (options_.threads > 0 && at::get_num_threads() != options_.threads)
      at::set_num_threads(options_.threads);
    outputs = Run(batch, segments);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("decoder step failed: ") + e.what());
  }
  // Only now do the written keys and values count: a failed step leaves
  // every cache as it was.
  for (const Segment& s : segments) s.cache->Advance(s.count);
  return outputs;
}

std::vector<StepOutput> TorchDecoder::Run(std::span<const StepInput> batch,
                                          const std::vector<Segment>& segments) const {
  std::vector<int64_t> ids, positions;
  for (size_t i = 0; i < batch.size(); ++i) {
    for (int64_t j = 0; j < segments[i].count; ++j) {
      ids.push_back(batch[i].tokens[static_cast<size_t>(j)]);
      positions.push_back(segments[i].past + j);
    }
  }
  at::Tensor x = embed_.Rows(at::tensor(ids, at::kLong));
  const auto [cos, sin] = RopeTables(positions);
  for (int i = 0; i < config_.num_layers; ++i) x = Layer(i, x, cos, sin, segments);
  return Outputs(batch, segments, x);
}

// cos and sin of position · inv_freq, [tokens, 1, head_dim] in the compute
// dtype; the angles are f32 like Hugging Face's.
std::pair<at::Tensor, at::Tensor> TorchDecoder::RopeTables(
    const std::vector<int64_t>& positions) const {
  const at::Tensor angles =
      at::tensor(positions, at::kLong).to(at::kFloat).unsqueeze(1) * inv_freq_.unsqueeze(0);
  const at::Tensor both = at::cat({angles, angles}, 1);
  const c10::ScalarType dtype = TorchType(options_.dtype);
  return {both.cos().to(dtype).unsqueeze(1), both.sin().to(dtype).unsqueeze(1)};
}

at::Tensor TorchDecoder::Layer(int index, const at::Tensor& x, const at::Tensor& cos,
                               const at::Tensor& sin, const std::vector<Segment>& segments) const {
  const DecoderLayer& layer = layers_[static_cast<size_t>(index)];
  const int64_t tokens = x.size(0), d = config_.head_dim;
  const int64_t heads = config_.num_heads, kv_heads = config_.num_kv_heads;
  const double eps = config_.norm_eps;

  const at::Tensor qkv = layer.qkv.Forward(RmsNorm(x, layer.input_norm, eps));
  const at::Tensor q = qkv.narrow(1, 0, heads * d).view({tokens, heads, d});
  const at::Tensor k = qkv.narrow(1, heads * d, kv_heads * d).view({tokens, kv_heads, d});
  const at::Tensor v =
      qkv.narrow(1, (heads + kv_heads) * d, kv_heads * d).view({tokens, kv_heads, d});
  const at::Tensor context =
      Attention(index, ApplyRope(q, cos, sin), ApplyRope(k, cos, sin), v, segments);
  const at::Tensor mid = x + layer.o.Forward(context);

  const int64_t inter = config_.intermediate_size;
  const at::Tensor gate_up = layer.gate_up.Forward(RmsNorm(mid, layer.post_norm, eps));
  const at::Tensor act = at::silu(gate_up.narrow(1, 0, inter)) * gate_up.narrow(1, inter, inter);
  return mid + layer.down.Forward(act);
}

// Stores each segment's keys and values in its cache, then attends over the
// cache: softmax(q·kᵀ/√d + causal mask)·v, with the query heads of one GQA
// group sharing their kv head (no copies of k/v per query head). Decoding
// segments (one token) go through DecodeAttention together; prefill chunks
// take the matmul path, where a few libtorch calls per chunk do not matter.
at::Tensor TorchDecoder::Attention(int index, const at::Tensor& q, const at::Tensor& k,
                                   const at::Tensor& v,
                                   const std::vector<Segment>& segments) const {
  const int64_t d = config_.head_dim, kv_heads = config_.num_kv_heads;
  const int64_t group = config_.num_heads / kv_heads;
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  at::Tensor out = at::empty({q.size(0), q.size(1) * d}, q.options());
  std::vector<const Segment*> decoding;
  for (const Segment& s : segments) {
    if (s.count == 1) {
      decoding.push_back(&s);
      continue;
    }
    at::Tensor keys = s.cache->Layer(index, /*values=*/false);
    at::Tensor values = s.cache->Layer(index, /*values=*/true);
    keys.narrow(1, s.past, s.count).copy_(k.narrow(0, s.begin, s.count).transpose(0, 1));
    values.narrow(1, s.past, s.count).copy_(v.narrow(0, s.begin, s.count).transpose(0, 1));
    const int64_t total = s.past + s.count, n = s.count;

    // [n, heads, d] → [kv_heads, group·n, d]: head h uses kv head h / group.
    const at::Tensor queries = q.narrow(0, s.begin, n)
                                   .view({n, kv_heads, group, d})
                                   .permute({1, 2, 0, 3})
                                   .reshape({kv_heads, group * n, d});
    at::Tensor scores =
        at::bmm(queries, keys.narrow(1, 0, total).transpose(1, 2)).to(at::kFloat).mul_(scale);
    // Token j of the chunk sees the cache and the chunk up to itself.
    const at::Tensor mask = at::arange(total, at::kLong).unsqueeze(0) >
                            (at::arange(n, at::kLong) + s.past).unsqueeze(1);
    scores.view({kv_heads, group, n, total})
        .masked_fill_(mask, -std::numeric_limits<float>::infinity());
    const at::Tensor probs = at::softmax(scores, -1).to(q.scalar_type());
    const at::Tensor context = at::bmm(probs, values.narrow(1, 0, total));
    out.narrow(0, s.begin, n)
        .view({n, kv_heads, group, d})
        .copy_(context.view({kv_heads, group, n, d}).permute({2, 0, 1, 3}));
  }
  if (!decoding.empty()) AttendDecoding(index, q, k, v, decoding, out);
  return out;
}

// All single-token segments at once: one task per (segment, kv head), split
// over the threads.
void TorchDecoder::AttendDecoding(int index, const at::Tensor& q, const at::Tensor& k,
                                  const at::Tensor& v, const std::vector<const Segment*>& decoding,
                                  at::Tensor& out) const {
  const int64_t d = config_.head_dim, heads = config_.num_heads, kv_heads = config_.num_kv_heads;
  const int64_t group = heads / kv_heads, n = static_cast<int64_t>(decoding.size());
  std::vector<int64_t> rows;
  int64_t longest = 0;
  struct CacheRows {
    char* keys;
    char* values;
    int64_t head_stride;  // bytes between kv heads
  };
  std::vector<CacheRows> caches;
  for (const Segment* s : decoding) {
    rows.push_back(s->begin);
    longest = std::max(longest, s->past + 1);
    const at::Tensor keys = s->cache->Layer(index, false), values = s->cache->Layer(index, true);
    caches.push_back({static_cast<char*>(keys.data_ptr()), static_cast<char*>(values.data_ptr()),
                      keys.stride(0) * keys.element_size()});
  }
  const at::Tensor row_ids = at::tensor(rows, at::kLong);
  const at::Tensor queries = q.index_select(0, row_ids).to(at::kFloat).contiguous();
  const at::Tensor new_keys = k.index_select(0, row_ids).contiguous();
  const at::Tensor new_values = v.index_select(0, row_ids).contiguous();
  at::Tensor context = at::empty({n, heads * d}, queries.options());
  const bool bf16 = options_.dtype == ComputeType::kBF16;
  const int64_t element = new_keys.element_size();
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
  at::parallel_for(0, n * kv_heads, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> scratch(static_cast<size_t>(longest));
    for (int64_t task = begin; task < end; ++task) {
      const int64_t i = task / kv_heads, h = task % kv_heads;
      const CacheRows& c = caches[static_cast<size_t>(i)];
      DecodeAttentionTask t;
      t.bf16 = bf16;
      t.queries = queries.data_ptr<float>() + (i * heads + h * group) * d;
      t.new_key = static_cast<const char*>(new_keys.data_ptr()) + (i * kv_heads + h) * d * element;
      t.new_value =
          static_cast<const char*>(new_values.data_ptr()) + (i * kv_heads + h) * d * element;
      t.keys = c.keys + h * c.head_stride;
      t.values = c.values + h * c.head_stride;
      t.position = decoding[static_cast<size_t>(i)]->past;
      t.group = group;
      t.head_dim = d;
      t.scale = scale;
      t.out = context.data_ptr<float>() + (i * heads + h * group) * d;
      t.scratch = scratch.data();
      RunDecodeAttention(t);
    }
  });
  out.index_copy_(0, row_ids, context.to(out.scalar_type()));
}

// The final norm and lm_head over rows of final hidden states: f32 logits
// [rows, vocab].
at::Tensor TorchDecoder::Logits(const at::Tensor& hidden) const {
  return lm_head_.Forward(RmsNorm(hidden, final_norm_, config_.norm_eps))
      .to(at::kFloat)
      .contiguous();
}

// Final norm and lm_head only for the rows someone asked for: the last
// token of each input that wants logits, in one product; then every token of
// an input that wants prompt logprobs, a block of rows at a time so that a
// long prompt never holds [tokens, vocab] logits at once.
std::vector<StepOutput> TorchDecoder::Outputs(std::span<const StepInput> batch,
                                              const std::vector<Segment>& segments,
                                              const at::Tensor& x) const {
  std::vector<StepOutput> outputs(batch.size());
  std::vector<int64_t> rows;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].want_logits) rows.push_back(segments[i].begin + segments[i].count - 1);
  }
  if (!rows.empty()) {
    const at::Tensor logits = Logits(x.index_select(0, at::tensor(rows, at::kLong)));
    const int64_t vocab = config_.vocab_size;
    for (size_t i = 0, row = 0; i < batch.size(); ++i) {
      if (!batch[i].want_logits) continue;
      const float* values = logits.data_ptr<float>() + static_cast<int64_t>(row++) * vocab;
      outputs[i].logits.assign(values, values + vocab);
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].prompt_top_n < 0) continue;
    const Segment& s = segments[i];
    // Row j predicts token j + 1; the last token's successor is not known yet.
    for (int64_t j = 0; j + 1 < s.count; j += kLogprobRows) {
      const int64_t count = std::min(kLogprobRows, s.count - 1 - j);
      AppendLogprobs(
          Logits(x.narrow(0, s.begin + j, count)),
          batch[i].tokens.subspan(static_cast<size_t>(j + 1), static_cast<size_t>(count)),
          batch[i].prompt_top_n, &outputs[i].prompt_logprobs);
    }
  }
  return outputs;
}

}  // namespace

Result<std::unique_ptr<DecoderModel>> DecoderModel::Load(const checkpoint::ModelConfig& config,
                                                         const checkpoint::TensorSet& tensors,
                                                         const ModelOptions& options) {
  HAI_RETURN_IF_ERROR(CheckConfig(config));
  if (options.threads < 0)
    return Status::InvalidArgument("threads must not be negative", "threads");
  auto model = std::make_unique<TorchDecoder>(config, options);
  try {
    at::InferenceMode inference;
    if (options.threads > 0) at::set_num_threads(options.threads);
    HAI_RETURN_IF_ERROR(model->LoadWeights(tensors));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cannot load the decoder: ") + e.what());
  }
  return std::unique_ptr<DecoderModel>(std::move(model));
}

}  // namespace hai::transformer
