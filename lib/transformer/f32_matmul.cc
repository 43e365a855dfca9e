#include "lib/transformer/f32_matmul.h"

#include <algorithm>
#include <array>
#include <utility>

#include "lib/transformer/simd_vec.h"

namespace hai::transformer {
namespace {

#define HAI_KERNEL_BODY "lib/transformer/f32_matmul_kernel.inc"
#include "lib/transformer/simd_variants.inc"
#undef HAI_KERNEL_BODY

}  // namespace

int64_t F32Panels(int64_t out) { return (out + kPanelRows - 1) / kPanelRows; }

int64_t PackedF32Floats(int64_t out, int64_t in) { return F32Panels(out) * kPanelRows * in; }

void PackF32(const float* w, int64_t out, int64_t in, float* packed) {
  for (int64_t panel = 0; panel < F32Panels(out); ++panel) {
    float* dst = packed + panel * kPanelRows * in;
    for (int64_t k = 0; k < in; ++k) {
      for (int64_t r = 0; r < kPanelRows; ++r) {
        const int64_t row = panel * kPanelRows + r;
        dst[k * kPanelRows + r] = row < out ? w[row * in + k] : 0.0f;
      }
    }
  }
}

void UnpackF32Row(const float* packed, int64_t in, int64_t row, float* dst) {
  const float* src = packed + (row / kPanelRows) * kPanelRows * in + row % kPanelRows;
  for (int64_t k = 0; k < in; ++k) dst[k] = src[k * kPanelRows];
}

void F32MatmulPanels(const F32Product& p, int64_t panel_begin, int64_t panel_end, Simd simd) {
  switch (simd) {
    case Simd::kAvx512:
      return avx512::Panels(p, panel_begin, panel_end);
    case Simd::kAvx2:
      return avx2::Panels(p, panel_begin, panel_end);
    case Simd::kPortable:
      break;
  }
  portable::Panels(p, panel_begin, panel_end);
}

}  // namespace hai::transformer
