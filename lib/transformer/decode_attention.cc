#include "lib/transformer/decode_attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "lib/transformer/simd_vec.h"

namespace hai::transformer {
namespace {

inline float WidenElement(float v) { return v; }
inline float WidenElement(uint16_t bits) { return WidenBf16(bits); }

#define HAI_KERNEL_BODY "lib/transformer/decode_attention_kernel.inc"
#include "lib/transformer/simd_variants.inc"
#undef HAI_KERNEL_BODY

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
