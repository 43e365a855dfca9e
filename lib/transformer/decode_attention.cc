#include "lib/transformer/decode_attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "lib/transformer/simd_vec.h"

namespace hai::transformer {
namespace {

inline float WidenElement(float v) { return v; }
inline float WidenElement(uint16_t bits) { return WidenBf16(bits); }

namespace portable {
using namespace vec_portable;
#include "lib/transformer/decode_attention_kernel.inc"
}  // namespace portable

#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
using namespace vec_avx2;
#include "lib/transformer/decode_attention_kernel.inc"
}  // namespace avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,fma")
namespace avx512 {
using namespace vec_avx512;
#include "lib/transformer/decode_attention_kernel.inc"
}  // namespace avx512
#pragma GCC pop_options

}  // namespace

void RunDecodeAttention(const DecodeAttentionTask& task, Simd simd) {
  switch (simd) {
    case Simd::kAvx512:
      return avx512::Attend(task);
    case Simd::kAvx2:
      return avx2::Attend(task);
    case Simd::kPortable:
      break;
  }
  portable::Attend(task);
}

void RunDecodeAttention(const DecodeAttentionTask& task) { RunDecodeAttention(task, BestSimd()); }

}  // namespace hai::transformer
