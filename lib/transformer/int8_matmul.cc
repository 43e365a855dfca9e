#include "lib/transformer/int8_matmul.h"

#include "lib/transformer/simd_vec.h"

namespace hai::transformer {
namespace {

// Adds the elements the vector loop left over and stores the scaled sums.
template <int kRows, int kTokens>
inline void FinishBlock(const Int8Product& p, int64_t row, int64_t token, int64_t done,
                        const float (&sums)[kRows][kTokens]) {
  for (int r = 0; r < kRows; ++r) {
    const int8_t* q = p.q + (row + r) * p.in;
    for (int t = 0; t < kTokens; ++t) {
      const float* x = p.x + (token + t) * p.in;
      float sum = sums[r][t];
      for (int64_t i = done; i < p.in; ++i) sum += x[i] * static_cast<float>(q[i]);
      p.y[(token + t) * p.out + row + r] = p.scales[row + r] * sum;
    }
  }
}

#define HAI_KERNEL_BODY "lib/transformer/int8_matmul_kernel.inc"
#include "lib/transformer/simd_variants.inc"
#undef HAI_KERNEL_BODY

}  // namespace

void Int8MatmulRows(const Int8Product& p, int64_t row_begin, int64_t row_end, Simd simd) {
  switch (simd) {
    case Simd::kAvx512:
      return avx512::Rows(p, row_begin, row_end);
    case Simd::kAvx2:
      return avx2::Rows(p, row_begin, row_end);
    case Simd::kPortable:
      break;
  }
  portable::Rows(p, row_begin, row_end);
}

}  // namespace hai::transformer
