// The BERT encoder on libtorch, following Hugging Face transformers'
// modeling_bert.py (post-LayerNorm, exact GELU, learned positions, token
// types) and sentence-transformers' pooling for embeddings.
#include "lib/transformer/encoder_model.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "lib/checkpoint/tensor_layout.h"
#include "lib/transformer/linear.h"

namespace hai::transformer {
namespace {

using checkpoint::ModelConfig;

// Sequences are padded to the longest of their group; a group holds at most
// this many padded tokens so that attention's [batch, heads, L, L] scores
// stay small.
constexpr int64_t kTokensPerGroup = 8192;

// A LayerNorm's affine parameters, kept in f32: norms run in f32 even when
// the matmuls run in bf16.
struct LayerNorm {
  at::Tensor weight;
  at::Tensor bias;
};

struct EncoderLayer {
  Linear qkv;  // query, key and value stacked: [3·hidden, hidden]
  Linear attention_out;
  LayerNorm attention_norm;
  Linear intermediate;
  Linear output;
  LayerNorm output_norm;
};

Status CheckConfig(const ModelConfig& c) {
  if (c.arch != checkpoint::Arch::kBert)
    return Status::InvalidArgument("a " + std::string(checkpoint::ArchName(c.arch)) +
                                   " checkpoint is not a BERT encoder");
  if (c.vocab_size <= 0 || c.hidden_size <= 0 || c.intermediate_size <= 0 || c.num_layers <= 0 ||
      c.num_heads <= 0 || c.max_position <= 0 || c.type_vocab_size <= 0 || c.num_labels < 0)
    return Status::InvalidArgument("the model configuration has a size that is not positive");
  if (c.hidden_size % c.num_heads != 0)
    return Status::InvalidArgument("hidden_size is not a multiple of num_attention_heads");
  return Status::Ok();
}

// Tries the plain name first, then the "bert."-prefixed one that
// BertForSequenceClassification checkpoints use; a missing tensor is
// reported under its plain name.
TensorLookup BertLookup(const checkpoint::TensorSet& tensors) {
  return [&tensors](const TensorSpec& spec) -> Result<const checkpoint::TensorView*> {
    if (tensors.Find(spec.name) == nullptr) {
      const std::string prefixed = checkpoint::BertPrefixed(spec.name);
      if (tensors.Find(prefixed) != nullptr) return tensors.Require(prefixed, spec.shape);
    }
    return tensors.Require(spec.name, spec.shape);
  };
}

Result<LayerNorm> LoadLayerNorm(const TensorLookup& lookup, const std::string& prefix,
                                int64_t width) {
  LayerNorm norm;
  HAI_ASSIGN_OR_RETURN(norm.weight,
                       LoadTensor(lookup, {prefix + ".weight", {width}}, ComputeType::kF32));
  HAI_ASSIGN_OR_RETURN(norm.bias,
                       LoadTensor(lookup, {prefix + ".bias", {width}}, ComputeType::kF32));
  return norm;
}

Result<Linear> LoadDense(const TensorLookup& lookup, const std::string& prefix, int64_t out,
                         int64_t in, const ModelOptions& options) {
  return LoadLinear(lookup, {{prefix + ".weight", {out, in}}}, {{prefix + ".bias", {out}}},
                    options);
}

class TorchEncoder final : public EncoderModel {
 public:
  TorchEncoder(const ModelConfig& config, const ModelOptions& options)
      : config_(config), options_(options) {}

  Status LoadWeights(const checkpoint::TensorSet& tensors);

  const ModelConfig& config() const override { return config_; }
  Result<std::vector<std::vector<float>>> Embed(std::span<const std::vector<int32_t>> inputs,
                                                Pooling pooling) override;
  Result<std::vector<float>> Score(std::span<const Pair> pairs) override;

 private:
  // One sequence to encode: its tokens and token types (types may be empty: all 0).
  struct Sequence {
    std::span<const int32_t> tokens;
    std::span<const int32_t> types;
  };
  Status Check(std::span<const Sequence> sequences) const;
  // Encodes `sequences` in length-sorted groups and hands each group's
  // final hidden states [batch, L, hidden] (f32) with its mask [batch, L]
  // and the sequences' indices to `use`.
  void EncodeGroups(std::span<const Sequence> sequences,
                    const std::function<void(const std::vector<size_t>&, const at::Tensor&,
                                             const at::Tensor&)>& use) const;
  at::Tensor Encode(std::span<const Sequence> sequences, const std::vector<size_t>& members,
                    at::Tensor* mask) const;
  at::Tensor Norm(const at::Tensor& x, const LayerNorm& norm) const;
  at::Tensor Layer(const EncoderLayer& layer, const at::Tensor& x, const at::Tensor& mask) const;
  void SetThreads() const {
    if (options_.threads > 0 && at::get_num_threads() != options_.threads)
      at::set_num_threads(options_.threads);
  }

  ModelConfig config_;
  ModelOptions options_;
  Linear word_;
  at::Tensor position_;    // [max_position, hidden], compute dtype
  at::Tensor token_type_;  // [type_vocab_size, hidden]
  LayerNorm embedding_norm_;
  std::vector<EncoderLayer> layers_;
  Linear pooler_;  // cross-encoders only
  Linear classifier_;
};

Status TorchEncoder::LoadWeights(const checkpoint::TensorSet& tensors) {
  const ModelConfig& c = config_;
  const int64_t hidden = c.hidden_size, inter = c.intermediate_size;
  const TensorLookup lookup = BertLookup(tensors);
  HAI_ASSIGN_OR_RETURN(
      word_, LoadLinear(lookup, {{"embeddings.word_embeddings.weight", {c.vocab_size, hidden}}}, {},
                        options_));
  HAI_ASSIGN_OR_RETURN(
      position_,
      LoadTensor(lookup, {"embeddings.position_embeddings.weight", {c.max_position, hidden}},
                 options_.dtype));
  HAI_ASSIGN_OR_RETURN(
      token_type_,
      LoadTensor(lookup, {"embeddings.token_type_embeddings.weight", {c.type_vocab_size, hidden}},
                 options_.dtype));
  HAI_ASSIGN_OR_RETURN(embedding_norm_, LoadLayerNorm(lookup, "embeddings.LayerNorm", hidden));
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    const std::string s = p + "attention.self.";
    EncoderLayer layer;
    HAI_ASSIGN_OR_RETURN(layer.qkv, LoadLinear(lookup,
                                               {{s + "query.weight", {hidden, hidden}},
                                                {s + "key.weight", {hidden, hidden}},
                                                {s + "value.weight", {hidden, hidden}}},
                                               {{s + "query.bias", {hidden}},
                                                {s + "key.bias", {hidden}},
                                                {s + "value.bias", {hidden}}},
                                               options_));
    HAI_ASSIGN_OR_RETURN(layer.attention_out,
                         LoadDense(lookup, p + "attention.output.dense", hidden, hidden, options_));
    HAI_ASSIGN_OR_RETURN(layer.attention_norm,
                         LoadLayerNorm(lookup, p + "attention.output.LayerNorm", hidden));
    HAI_ASSIGN_OR_RETURN(layer.intermediate,
                         LoadDense(lookup, p + "intermediate.dense", inter, hidden, options_));
    HAI_ASSIGN_OR_RETURN(layer.output,
                         LoadDense(lookup, p + "output.dense", hidden, inter, options_));
    HAI_ASSIGN_OR_RETURN(layer.output_norm, LoadLayerNorm(lookup, p + "output.LayerNorm", hidden));
    layers_.push_back(std::move(layer));
  }
  if (c.is_cross_encoder()) {
    HAI_ASSIGN_OR_RETURN(pooler_, LoadDense(lookup, "pooler.dense", hidden, hidden, options_));
    HAI_ASSIGN_OR_RETURN(classifier_,
                         LoadDense(lookup, "classifier", c.num_labels, hidden, options_));
  }
  return Status::Ok();
}

Status TorchEncoder::Check(std::span<const Sequence> sequences) const {
  for (size_t i = 0; i < sequences.size(); ++i) {
    const Sequence& s = sequences[i];
    const std::string where = "input " + std::to_string(i) + ": ";
    if (s.tokens.empty()) return Status::InvalidArgument(where + "no tokens", "input");
    if (static_cast<int64_t>(s.tokens.size()) > config_.max_position)
      return Status::InvalidArgument(where + std::to_string(s.tokens.size()) +
                                         " tokens exceed the model's " +
                                         std::to_string(config_.max_position),
                                     "input");
    for (int32_t token : s.tokens) {
      if (token < 0 || token >= config_.vocab_size)
        return Status::InvalidArgument(
            where + "token id " + std::to_string(token) + " is outside the vocabulary", "input");
    }
    if (!s.types.empty() && s.types.size() != s.tokens.size())
      return Status::InvalidArgument(where + "token types do not match the tokens", "input");
    for (int32_t type : s.types) {
      if (type < 0 || type >= config_.type_vocab_size)
        return Status::InvalidArgument(
            where + "token type " + std::to_string(type) + " is out of range", "input");
    }
  }
  return Status::Ok();
}

at::Tensor TorchEncoder::Norm(const at::Tensor& x, const LayerNorm& norm) const {
  return at::layer_norm(x.to(at::kFloat), {x.size(-1)}, norm.weight, norm.bias, config_.norm_eps)
      .to(x.scalar_type());
}

// One post-LayerNorm block. x is [batch, L, hidden]; mask [batch, L] is true
// for real tokens.
at::Tensor TorchEncoder::Layer(const EncoderLayer& layer, const at::Tensor& x,
                               const at::Tensor& mask) const {
  const int64_t batch = x.size(0), len = x.size(1), hidden = x.size(2);
  const int64_t heads = config_.num_heads, d = hidden / heads;
  const at::Tensor flat = x.reshape({batch * len, hidden});
  const at::Tensor qkv = layer.qkv.Forward(flat);
  // [batch·L, hidden] → [batch, heads, L, d]
  auto split = [&](int64_t part) {
    return qkv.narrow(1, part * hidden, hidden).view({batch, len, heads, d}).permute({0, 2, 1, 3});
  };
  const at::Tensor q = split(0), k = split(1), v = split(2);
  at::Tensor scores = at::matmul(q, k.transpose(2, 3)).to(at::kFloat).div_(std::sqrt(double(d)));
  scores.masked_fill_(mask.logical_not().view({batch, 1, 1, len}),
                      -std::numeric_limits<float>::infinity());
  const at::Tensor probs = at::softmax(scores, -1).to(x.scalar_type());
  const at::Tensor context =
      at::matmul(probs, v).permute({0, 2, 1, 3}).reshape({batch * len, hidden});
  const at::Tensor attended =
      Norm(layer.attention_out.Forward(context) + flat, layer.attention_norm);
  const at::Tensor inner = at::gelu(layer.intermediate.Forward(attended));  // exact (erf) GELU
  return Norm(layer.output.Forward(inner) + attended, layer.output_norm).view({batch, len, hidden});
}

at::Tensor TorchEncoder::Encode(std::span<const Sequence> sequences,
                                const std::vector<size_t>& members, at::Tensor* mask) const {
  const int64_t batch = static_cast<int64_t>(members.size());
  int64_t len = 0;
  for (size_t m : members)
    len = std::max<int64_t>(len, static_cast<int64_t>(sequences[m].tokens.size()));
  std::vector<int64_t> ids(static_cast<size_t>(batch * len), 0), types(ids.size(), 0);
  std::vector<uint8_t> real(ids.size(), 0);
  for (int64_t b = 0; b < batch; ++b) {
    const Sequence& s = sequences[members[static_cast<size_t>(b)]];
    for (size_t j = 0; j < s.tokens.size(); ++j) {
      const size_t slot = static_cast<size_t>(b * len) + j;
      ids[slot] = s.tokens[j];
      types[slot] = s.types.empty() ? 0 : s.types[j];
      real[slot] = 1;
    }
  }
  *mask = at::tensor(at::ArrayRef<uint8_t>(real), at::kByte).to(at::kBool).view({batch, len});
  const at::Tensor positions = at::arange(len, at::kLong).repeat({batch});
  const at::Tensor embedded = word_.Rows(at::tensor(ids, at::kLong)) +
                              token_type_.index_select(0, at::tensor(types, at::kLong)) +
                              position_.index_select(0, positions);
  at::Tensor x = Norm(embedded, embedding_norm_).view({batch, len, config_.hidden_size});
  for (const EncoderLayer& layer : layers_) x = Layer(layer, x, *mask);
  return x;
}

void TorchEncoder::EncodeGroups(
    std::span<const Sequence> sequences,
    const std::function<void(const std::vector<size_t>&, const at::Tensor&, const at::Tensor&)>&
        use) const {
  // Similar lengths together, so that little is padding.
  std::vector<size_t> order(sequences.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return sequences[a].tokens.size() < sequences[b].tokens.size();
  });
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start + 1;
    while (end < order.size() &&
           static_cast<int64_t>((end + 1 - start) * sequences[order[end]].tokens.size()) <=
               kTokensPerGroup)
      ++end;
    const std::vector<size_t> members(order.begin() + static_cast<ptrdiff_t>(start),
                                      order.begin() + static_cast<ptrdiff_t>(end));
    at::Tensor mask;
    const at::Tensor hidden = Encode(sequences, members, &mask).to(at::kFloat);
    use(members, hidden, mask);
    start = end;
  }
}

Result<std::vector<std::vector<float>>> TorchEncoder::Embed(
    std::span<const std::vector<int32_t>> inputs, Pooling pooling) {
  std::vector<Sequence> sequences;
  for (const std::vector<int32_t>& input : inputs) sequences.push_back({input, {}});
  HAI_RETURN_IF_ERROR(Check(sequences));
  std::vector<std::vector<float>> vectors(inputs.size());
  try {
    at::InferenceMode inference;
    SetThreads();
    EncodeGroups(sequences, [&](const std::vector<size_t>& members, const at::Tensor& hidden,
                                const at::Tensor& mask) {
      at::Tensor pooled;
      if (pooling == Pooling::kCls) {
        pooled = hidden.select(1, 0);
      } else {  // mean over real tokens
        const at::Tensor weights = mask.to(at::kFloat).unsqueeze(2);
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp_min(1e-9);
      }
      // L2 normalisation as torch.nn.functional.normalize: x / max(‖x‖, 1e-12).
      pooled = (pooled / pooled.norm(2, {1}, /*keepdim=*/true).clamp_min(1e-12)).contiguous();
      const int64_t width = pooled.size(1);
      for (size_t b = 0; b < members.size(); ++b) {
        const float* row = pooled.data_ptr<float>() + static_cast<int64_t>(b) * width;
        vectors[members[b]].assign(row, row + width);
      }
    });
  } catch (const std::exception& e) {
    return Status::Internal(std::string("encoder failed: ") + e.what());
  }
  return vectors;
}

// The relevance of each pair: pooler tanh(dense(h_[CLS])), then the
// classifier. With one label that logit is the score; with several, the last
// label's logit (the "relevant" class of two-class rerankers).
Result<std::vector<float>> TorchEncoder::Score(std::span<const Pair> pairs) {
  if (!config_.is_cross_encoder())
    return Status::FailedPrecondition("the model has no classification head (num_labels is 0)");
  std::vector<Sequence> sequences;
  for (const Pair& pair : pairs) sequences.push_back({pair.tokens, pair.token_types});
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].token_types.size() != pairs[i].tokens.size())
      return Status::InvalidArgument(
          "pair " + std::to_string(i) + ": token types do not match the tokens", "token_types");
  }
  HAI_RETURN_IF_ERROR(Check(sequences));
  std::vector<float> scores(pairs.size());
  try {
    at::InferenceMode inference;
    SetThreads();
    const c10::ScalarType dtype = TorchType(options_.dtype);
    EncodeGroups(sequences, [&](const std::vector<size_t>& members, const at::Tensor& hidden,
                                const at::Tensor&) {
      const at::Tensor cls = hidden.select(1, 0).to(dtype).contiguous();
      const at::Tensor pooled = at::tanh(pooler_.Forward(cls));
      const at::Tensor logits = classifier_.Forward(pooled).to(at::kFloat).contiguous();
      const int64_t labels = logits.size(1);
      for (size_t b = 0; b < members.size(); ++b)
        scores[members[b]] =
            logits.data_ptr<float>()[static_cast<int64_t>(b) * labels + labels - 1];
    });
  } catch (const std::exception& e) {
    return Status::Internal(std::string("encoder failed: ") + e.what());
  }
  return scores;
}

}  // namespace

Result<std::unique_ptr<EncoderModel>> EncoderModel::Load(const checkpoint::ModelConfig& config,
                                                         const checkpoint::TensorSet& tensors,
                                                         const ModelOptions& options) {
  HAI_RETURN_IF_ERROR(CheckConfig(config));
  if (options.threads < 0)
    return Status::InvalidArgument("threads must not be negative", "threads");
  auto model = std::make_unique<TorchEncoder>(config, options);
  try {
    at::InferenceMode inference;
    if (options.threads > 0) at::set_num_threads(options.threads);
    HAI_RETURN_IF_ERROR(model->LoadWeights(tensors));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cannot load the encoder: ") + e.what());
  }
  return std::unique_ptr<EncoderModel>(std::move(model));
}

}  // namespace hai::transformer
