#include "lib/transformer/simd.h"

namespace hai::transformer {

std::string_view SimdName(Simd simd) {
  switch (simd) {
    case Simd::kAvx512:
      return "avx512";
    case Simd::kAvx2:
      return "avx2";
    case Simd::kPortable:
      break;
  }
  return "portable";
}

bool SimdSupported(Simd simd) {
#if !defined(__x86_64__)
  return simd == Simd::kPortable;  // the AVX copies are not built (simd_vec.h)
#else
  switch (simd) {
    case Simd::kAvx512:
      // BW and VL for the bf16 widening loads of the attention kernel.
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma");
    case Simd::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Simd::kPortable:
      break;
  }
  return true;
#endif
}

Simd BestSimd() {
  static const Simd best = SimdSupported(Simd::kAvx512) ? Simd::kAvx512
                           : SimdSupported(Simd::kAvx2) ? Simd::kAvx2
                                                        : Simd::kPortable;
  return best;
}

}  // namespace hai::transformer
