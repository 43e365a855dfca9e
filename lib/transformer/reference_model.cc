#include "lib/transformer/reference_model.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace hai::transformer {
namespace {

// y = W·x (+ b): W is [out, in] row-major.
std::vector<float> MatVec(const std::vector<float>& w, const std::vector<float>& x,
                          const std::vector<float>* bias = nullptr) {
  const size_t in = x.size(), out = w.size() / in;
  std::vector<float> y(out);
  for (size_t o = 0; o < out; ++o) {
    double sum = bias ? (*bias)[o] : 0.0;
    for (size_t i = 0; i < in; ++i) sum += double(w[o * in + i]) * x[i];
    y[o] = static_cast<float>(sum);
  }
  return y;
}

std::vector<float> RmsNorm(const std::vector<float>& x, const std::vector<float>& weight,
                           double eps) {
  double squares = 0;
  for (float v : x) squares += double(v) * v;
  const double inv = 1.0 / std::sqrt(squares / static_cast<double>(x.size()) + eps);
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = static_cast<float>(x[i] * inv * weight[i]);
  return y;
}

std::vector<float> LayerNorm(const std::vector<float>& x, const std::vector<float>& weight,
                             const std::vector<float>& bias, double eps) {
  double mean = 0, var = 0;
  for (float v : x) mean += v;
  mean /= static_cast<double>(x.size());
  for (float v : x) var += (v - mean) * (v - mean);
  var /= static_cast<double>(x.size());
  const double inv = 1.0 / std::sqrt(var + eps);
  std::vector<float> y(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    y[i] = static_cast<float>((x[i] - mean) * inv * weight[i] + bias[i]);
  return y;
}

void Softmax(std::vector<double>* scores) {
  const double top = *std::max_element(scores->begin(), scores->end());
  double sum = 0;
  for (double& s : *scores) sum += (s = std::exp(s - top));
  for (double& s : *scores) s /= sum;
}

void AddInto(std::vector<float>* x, const std::vector<float>& y) {
  for (size_t i = 0; i < x->size(); ++i) (*x)[i] += y[i];
}

std::vector<float> Row(const std::vector<float>& table, size_t row, size_t width) {
  return {table.begin() + static_cast<ptrdiff_t>(row * width),
          table.begin() + static_cast<ptrdiff_t>((row + 1) * width)};
}

}  // namespace

std::vector<float> LogSoftmax(const std::vector<float>& logits) {
  const double top = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (float v : logits) sum += std::exp(v - top);
  const double log_sum = top + std::log(sum);
  std::vector<float> out;
  for (float v : logits) out.push_back(static_cast<float>(v - log_sum));
  return out;
}

// Each head's first and second halves rotate as pairs (x_i, x_{i+d/2}) by
// position · theta^(-2i/d).
void ReferenceDecoder::Rope(std::vector<float>* row, int heads, int position) const {
  const int d = c_.head_dim, half = d / 2;
  for (int h = 0; h < heads; ++h) {
    float* x = row->data() + h * d;
    for (int i = 0; i < half; ++i) {
      const double angle = position * std::pow(c_.rope_theta, -2.0 * i / d);
      const double a = x[i], b = x[i + half];
      x[i] = static_cast<float>(a * std::cos(angle) - b * std::sin(angle));
      x[i + half] = static_cast<float>(b * std::cos(angle) + a * std::sin(angle));
    }
  }
}

void ReferenceDecoder::Layer(int index, Matrix* x) const {
  const std::string p = "model.layers." + std::to_string(index) + ".";
  const int d = c_.head_dim, heads = c_.num_heads, group = c_.num_heads / c_.num_kv_heads;
  const size_t n = x->size();
  const std::vector<float>* no_bias = nullptr;
  Matrix q(n), k(n), v(n);
  for (size_t t = 0; t < n; ++t) {
    const std::vector<float> h = RmsNorm((*x)[t], W(p + "input_layernorm.weight"), c_.norm_eps);
    auto bias = [&](const char* name) { return c_.attention_bias ? &W(p + name) : no_bias; };
    q[t] = MatVec(W(p + "self_attn.q_proj.weight"), h, bias("self_attn.q_proj.bias"));
    k[t] = MatVec(W(p + "self_attn.k_proj.weight"), h, bias("self_attn.k_proj.bias"));
    v[t] = MatVec(W(p + "self_attn.v_proj.weight"), h, bias("self_attn.v_proj.bias"));
    Rope(&q[t], heads, static_cast<int>(t));
    Rope(&k[t], c_.num_kv_heads, static_cast<int>(t));
  }
  for (size_t t = 0; t < n; ++t) {
    std::vector<float> context(static_cast<size_t>(heads * d));
    for (int h = 0; h < heads; ++h) {
      const int kv = h / group;
      std::vector<double> scores(t + 1);
      for (size_t s = 0; s <= t; ++s) {
        double dot = 0;
        for (int i = 0; i < d; ++i) dot += double(q[t][h * d + i]) * k[s][kv * d + i];
        scores[s] = dot / std::sqrt(double(d));
      }
      Softmax(&scores);
      for (int i = 0; i < d; ++i) {
        double sum = 0;
        for (size_t s = 0; s <= t; ++s) sum += scores[s] * v[s][kv * d + i];
        context[h * d + i] = static_cast<float>(sum);
      }
    }
    AddInto(&(*x)[t], MatVec(W(p + "self_attn.o_proj.weight"), context));
    const std::vector<float> h =
        RmsNorm((*x)[t], W(p + "post_attention_layernorm.weight"), c_.norm_eps);
    const std::vector<float> gate = MatVec(W(p + "mlp.gate_proj.weight"), h);
    std::vector<float> act = MatVec(W(p + "mlp.up_proj.weight"), h);
    for (size_t i = 0; i < act.size(); ++i)
      act[i] = static_cast<float>(gate[i] / (1.0 + std::exp(-double(gate[i]))) * act[i]);
    AddInto(&(*x)[t], MatVec(W(p + "mlp.down_proj.weight"), act));
  }
}

Matrix ReferenceDecoder::Logits(const std::vector<int32_t>& tokens) const {
  const size_t hidden = static_cast<size_t>(c_.hidden_size);
  Matrix x;
  for (int32_t token : tokens)
    x.push_back(Row(W("model.embed_tokens.weight"), static_cast<size_t>(token), hidden));
  for (int i = 0; i < c_.num_layers; ++i) Layer(i, &x);
  const std::vector<float>& head =
      c_.tie_word_embeddings ? W("model.embed_tokens.weight") : W("lm_head.weight");
  Matrix logits;
  for (const std::vector<float>& row : x)
    logits.push_back(MatVec(head, RmsNorm(row, W("model.norm.weight"), c_.norm_eps)));
  return logits;
}

void ReferenceEncoder::Layer(int index, Matrix* x) const {
  const std::string p = "encoder.layer." + std::to_string(index) + ".";
  const std::string s = p + "attention.self.";
  const int heads = c_.num_heads, d = c_.hidden_size / heads;
  const size_t n = x->size();
  Matrix q(n), k(n), v(n);
  for (size_t t = 0; t < n; ++t) {
    q[t] = MatVec(W(s + "query.weight"), (*x)[t], &W(s + "query.bias"));
    k[t] = MatVec(W(s + "key.weight"), (*x)[t], &W(s + "key.bias"));
    v[t] = MatVec(W(s + "value.weight"), (*x)[t], &W(s + "value.bias"));
  }
  Matrix out(n);
  for (size_t t = 0; t < n; ++t) {
    std::vector<float> context(static_cast<size_t>(c_.hidden_size));
    for (int h = 0; h < heads; ++h) {
      std::vector<double> scores(n);
      for (size_t u = 0; u < n; ++u) {
        double dot = 0;
        for (int i = 0; i < d; ++i) dot += double(q[t][h * d + i]) * k[u][h * d + i];
        scores[u] = dot / std::sqrt(double(d));
      }
      Softmax(&scores);
      for (int i = 0; i < d; ++i) {
        double sum = 0;
        for (size_t u = 0; u < n; ++u) sum += scores[u] * v[u][h * d + i];
        context[h * d + i] = static_cast<float>(sum);
      }
    }
    std::vector<float> attended = MatVec(W(p + "attention.output.dense.weight"), context,
                                         &W(p + "attention.output.dense.bias"));
    AddInto(&attended, (*x)[t]);
    attended = LayerNorm(attended, W(p + "attention.output.LayerNorm.weight"),
                         W(p + "attention.output.LayerNorm.bias"), c_.norm_eps);
    std::vector<float> inner =
        MatVec(W(p + "intermediate.dense.weight"), attended, &W(p + "intermediate.dense.bias"));
    for (float& value : inner)
      value = static_cast<float>(0.5 * value * (1.0 + std::erf(value / std::sqrt(2.0))));
    std::vector<float> y = MatVec(W(p + "output.dense.weight"), inner, &W(p + "output.dense.bias"));
    AddInto(&y, attended);
    out[t] =
        LayerNorm(y, W(p + "output.LayerNorm.weight"), W(p + "output.LayerNorm.bias"), c_.norm_eps);
  }
  *x = std::move(out);
}

Matrix ReferenceEncoder::Hidden(const std::vector<int32_t>& tokens,
                                const std::vector<int32_t>& types) const {
  const size_t hidden = static_cast<size_t>(c_.hidden_size);
  Matrix x;
  for (size_t t = 0; t < tokens.size(); ++t) {
    std::vector<float> row = Row(W("embeddings.word_embeddings.weight"), size_t(tokens[t]), hidden);
    AddInto(&row, Row(W("embeddings.token_type_embeddings.weight"),
                      types.empty() ? 0 : size_t(types[t]), hidden));
    AddInto(&row, Row(W("embeddings.position_embeddings.weight"), t, hidden));
    x.push_back(LayerNorm(row, W("embeddings.LayerNorm.weight"), W("embeddings.LayerNorm.bias"),
                          c_.norm_eps));
  }
  for (int i = 0; i < c_.num_layers; ++i) Layer(i, &x);
  return x;
}

std::vector<float> ReferenceEncoder::Embed(const std::vector<int32_t>& tokens,
                                           Pooling pooling) const {
  const Matrix h = Hidden(tokens, {});
  std::vector<double> pooled(h[0].size(), 0.0);
  if (pooling == Pooling::kCls) {
    for (size_t i = 0; i < pooled.size(); ++i) pooled[i] = h[0][i];
  } else {
    for (const auto& row : h)
      for (size_t i = 0; i < pooled.size(); ++i) pooled[i] += row[i] / double(h.size());
  }
  double norm = 0;
  for (double v : pooled) norm += v * v;
  norm = std::max(std::sqrt(norm), 1e-12);
  std::vector<float> out;
  for (double v : pooled) out.push_back(static_cast<float>(v / norm));
  return out;
}

std::vector<float> ReferenceEncoder::Logits(const std::vector<int32_t>& tokens,
                                            const std::vector<int32_t>& types) const {
  const Matrix h = Hidden(tokens, types);
  std::vector<float> pooled = MatVec(W("pooler.dense.weight"), h[0], &W("pooler.dense.bias"));
  for (float& v : pooled) v = std::tanh(v);
  return MatVec(W("classifier.weight"), pooled, &W("classifier.bias"));
}

}  // namespace hai::transformer
