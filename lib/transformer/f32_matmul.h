#pragma once

#include <cstdint>

#include "lib/transformer/simd.h"

namespace hai::transformer {

// f32 weights W [out, in] in the layout F32MatmulPanels reads: panels of
// kPanelRows output rows, each panel stored input-major ([in][kPanelRows]),
// the last one zero-padded. The product then streams every panel front to
// back once per block of tokens. A general GEMM cannot keep such a layout and
// packs the weight matrix again on every call, which for a decoding batch
// (a few dozen tokens) costs about as much as reading the weights; with the
// layout made once at load time that pass is gone.
inline constexpr int64_t kPanelRows = 16;

int64_t F32Panels(int64_t out);                    // ceil(out / kPanelRows)
int64_t PackedF32Floats(int64_t out, int64_t in);  // size of the packed layout
void PackF32(const float* w, int64_t out, int64_t in, float* packed);
// Row `row` of W (its `in` weights) copied out of the packed layout.
void UnpackF32Row(const float* packed, int64_t in, int64_t row, float* dst);

// y = x · Wᵀ: x is [tokens, in] and y [tokens, out], row-major; W packed.
struct F32Product {
  const float* x = nullptr;
  int64_t tokens = 0;
  const float* packed = nullptr;
  int64_t in = 0;
  int64_t out = 0;
  float* y = nullptr;
};

// Computes y's columns of panels [panel_begin, panel_end) for every token:
// one thread's share when several split the panels. `simd` must be
// supported on this CPU.
void F32MatmulPanels(const F32Product& p, int64_t panel_begin, int64_t panel_end, Simd simd);

}  // namespace hai::transformer
