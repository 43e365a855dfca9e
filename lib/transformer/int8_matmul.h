#pragma once

#include <cstdint>

#include "lib/transformer/simd.h"

namespace hai::transformer {

// The arguments of a weight-only int8 product y = x · (scales ⊙ q)ᵀ.
// x is [tokens, in] and y [tokens, out], row-major f32; q is [out, in] int8
// with one f32 scale per output row.
struct Int8Product {
  const float* x = nullptr;
  int64_t tokens = 0;
  const int8_t* q = nullptr;
  const float* scales = nullptr;
  int64_t in = 0;
  int64_t out = 0;
  float* y = nullptr;
};

// Computes the output columns [row_begin, row_end) of `p` — one share of the
// rows when several threads split the work. Meant for a few tokens (decode):
// every int8 row is read once per four tokens and widened in registers, so
// the weights never exist in f32 (that is where the memory saving would go).
// `simd` must be supported on this CPU.
void Int8MatmulRows(const Int8Product& p, int64_t row_begin, int64_t row_end, Simd simd);

}  // namespace hai::transformer
