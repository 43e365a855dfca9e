#include "lib/transformer/decode_attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hai::transformer {
namespace {

// Target attributes let the compiler use wide vectors for the loops below
// without -march flags; the CPU is checked once before they are picked.
#define HAI_ATTN_AVX512 __attribute__((target("avx512f,avx512bw,fma")))
#define HAI_ATTN_AVX2 __attribute__((target("avx2,fma")))

inline float Widen(float v) { return v; }
inline float Widen(uint16_t bits) {
  const uint32_t wide = uint32_t{bits} << 16;
  float v;
  std::memcpy(&v, &wide, sizeof v);
  return v;
}

// Sixteen partial sums, a shape the vectoriser turns into vector FMAs
// without being allowed to reassociate one long float sum.
template <typename T>
inline __attribute__((always_inline)) float Dot(const float* q, const T* k, int64_t n) {
  float lanes[16] = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int l = 0; l < 16; ++l) lanes[l] += q[i + l] * Widen(k[i + l]);
  float sum = 0;
  for (float lane : lanes) sum += lane;
  for (; i < n; ++i) sum += q[i] * Widen(k[i]);
  return sum;
}

template <typename T>
inline __attribute__((always_inline)) void Attend(const DecodeAttentionTask& t) {
  const int64_t d = t.head_dim, len = t.position + 1;
  T* keys = static_cast<T*>(t.keys);
  T* values = static_cast<T*>(t.values);
  std::memcpy(keys + t.position * d, t.new_key, static_cast<size_t>(d) * sizeof(T));
  std::memcpy(values + t.position * d, t.new_value, static_cast<size_t>(d) * sizeof(T));
  for (int64_t g = 0; g < t.group; ++g) {
    const float* q = t.queries + g * d;
    float* p = t.scratch;
    float top = -INFINITY;
    for (int64_t s = 0; s < len; ++s) {
      p[s] = Dot(q, keys + s * d, d) * t.scale;
      top = std::max(top, p[s]);
    }
    float total = 0;
    for (int64_t s = 0; s < len; ++s) total += (p[s] = std::exp(p[s] - top));
    const float inv = 1.0f / total;
    float* out = t.out + g * d;
    std::fill(out, out + d, 0.0f);
    for (int64_t s = 0; s < len; ++s) {
      const T* v = values + s * d;
      const float w = p[s] * inv;
      for (int64_t i = 0; i < d; ++i) out[i] += w * Widen(v[i]);
    }
  }
}

HAI_ATTN_AVX512 void AttendAvx512(const DecodeAttentionTask& t) {
  t.bf16 ? Attend<uint16_t>(t) : Attend<float>(t);
}
HAI_ATTN_AVX2 void AttendAvx2(const DecodeAttentionTask& t) {
  t.bf16 ? Attend<uint16_t>(t) : Attend<float>(t);
}
void AttendPortable(const DecodeAttentionTask& t) {
  t.bf16 ? Attend<uint16_t>(t) : Attend<float>(t);
}

using AttendFn = void (*)(const DecodeAttentionTask&);

AttendFn Pick() {
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("fma"))
    return AttendAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return AttendAvx2;
  return AttendPortable;
}

}  // namespace

void RunDecodeAttention(const DecodeAttentionTask& task) {
  static const AttendFn attend = Pick();
  attend(task);
}

}  // namespace hai::transformer
