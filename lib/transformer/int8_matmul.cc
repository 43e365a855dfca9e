#include "lib/transformer/int8_matmul.h"

// GCC 12's AVX-512 headers initialise their "undefined" vectors from
// themselves, which -Wuninitialized reports once inlined (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace hai::transformer {
namespace {

// Each variant handles a block of kRows output rows × kTokens tokens with
// kRows·kTokens independent accumulators, enough to hide the FMA latency.
// The target attributes compile the wide variants without -march flags; the
// caller checks the CPU before using them.
#define HAI_AVX512 __attribute__((target("avx512f,fma")))
#define HAI_AVX2 __attribute__((target("avx2,fma")))

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

template <int kRows, int kTokens>
HAI_AVX512 void BlockAvx512(const Int8Product& p, int64_t row, int64_t token) {
  __m512 acc[kRows][kTokens];
  for (auto& per_row : acc)
    for (auto& a : per_row) a = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= p.in; i += 16) {
    __m512 w[kRows];
    for (int r = 0; r < kRows; ++r) {
      const auto* src = reinterpret_cast<const __m128i*>(p.q + (row + r) * p.in + i);
      w[r] = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(src)));
    }
    for (int t = 0; t < kTokens; ++t) {
      const __m512 x = _mm512_loadu_ps(p.x + (token + t) * p.in + i);
      for (int r = 0; r < kRows; ++r) acc[r][t] = _mm512_fmadd_ps(x, w[r], acc[r][t]);
    }
  }
  float sums[kRows][kTokens];
  for (int r = 0; r < kRows; ++r)
    for (int t = 0; t < kTokens; ++t) sums[r][t] = _mm512_reduce_add_ps(acc[r][t]);
  FinishBlock<kRows, kTokens>(p, row, token, i, sums);
}

HAI_AVX2 inline float HorizontalSum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

template <int kRows, int kTokens>
HAI_AVX2 void BlockAvx2(const Int8Product& p, int64_t row, int64_t token) {
  __m256 acc[kRows][kTokens];
  for (auto& per_row : acc)
    for (auto& a : per_row) a = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= p.in; i += 8) {
    __m256 w[kRows];
    for (int r = 0; r < kRows; ++r) {
      const auto* src = reinterpret_cast<const __m128i*>(p.q + (row + r) * p.in + i);
      w[r] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(src)));
    }
    for (int t = 0; t < kTokens; ++t) {
      const __m256 x = _mm256_loadu_ps(p.x + (token + t) * p.in + i);
      for (int r = 0; r < kRows; ++r) acc[r][t] = _mm256_fmadd_ps(x, w[r], acc[r][t]);
    }
  }
  float sums[kRows][kTokens];
  for (int r = 0; r < kRows; ++r)
    for (int t = 0; t < kTokens; ++t) sums[r][t] = HorizontalSum(acc[r][t]);
  FinishBlock<kRows, kTokens>(p, row, token, i, sums);
}

// Plain C++ for CPUs without AVX2: eight partial sums per dot product.
template <int kRows, int kTokens>
void BlockPortable(const Int8Product& p, int64_t row, int64_t token) {
  float sums[kRows][kTokens];
  int64_t done = p.in - p.in % 8;
  for (int r = 0; r < kRows; ++r) {
    const int8_t* q = p.q + (row + r) * p.in;
    for (int t = 0; t < kTokens; ++t) {
      const float* x = p.x + (token + t) * p.in;
      float lanes[8] = {};
      for (int64_t i = 0; i < done; i += 8)
        for (int l = 0; l < 8; ++l) lanes[l] += x[i + l] * static_cast<float>(q[i + l]);
      float sum = 0;
      for (float lane : lanes) sum += lane;
      sums[r][t] = sum;
    }
  }
  FinishBlock<kRows, kTokens>(p, row, token, done, sums);
}

// Walks the rows two at a time and the tokens four at a time, then the rest.
#define HAI_DEFINE_ROWS(Name, Block, Attr)                                   \
  Attr void Name(const Int8Product& p, int64_t row_begin, int64_t row_end) { \
    int64_t row = row_begin;                                                 \
    for (; row + 2 <= row_end; row += 2) {                                   \
      int64_t t = 0;                                                         \
      for (; t + 4 <= p.tokens; t += 4) Block<2, 4>(p, row, t);              \
      for (; t < p.tokens; ++t) Block<2, 1>(p, row, t);                      \
    }                                                                        \
    for (; row < row_end; ++row) {                                           \
      int64_t t = 0;                                                         \
      for (; t + 4 <= p.tokens; t += 4) Block<1, 4>(p, row, t);              \
      for (; t < p.tokens; ++t) Block<1, 1>(p, row, t);                      \
    }                                                                        \
  }

HAI_DEFINE_ROWS(RowsAvx512, BlockAvx512, HAI_AVX512)
HAI_DEFINE_ROWS(RowsAvx2, BlockAvx2, HAI_AVX2)
HAI_DEFINE_ROWS(RowsPortable, BlockPortable, )

}  // namespace

void Int8MatmulRows(const Int8Product& p, int64_t row_begin, int64_t row_end, Simd simd) {
  switch (simd) {
    case Simd::kAvx512:
      return RowsAvx512(p, row_begin, row_end);
    case Simd::kAvx2:
      return RowsAvx2(p, row_begin, row_end);
    case Simd::kPortable:
      break;
  }
  RowsPortable(p, row_begin, row_end);
}

}  // namespace hai::transformer
