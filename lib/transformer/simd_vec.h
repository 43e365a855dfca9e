#pragma once

// Vector types and operations for kernels written once and compiled for each
// instruction set. A kernel file includes its body (a .inc) three times, each
// time inside the matching `#pragma GCC target` region and after `using
// namespace` one of the namespaces below; the CPU is asked at run time which
// copy to call (simd.h). Only kernel sources include this header.

#include <cstdint>
#include <cstring>

// The AVX copies exist only on x86-64; elsewhere (aarch64: Kunpeng hosts)
// only the portable copy is built and simd_variants.inc aliases the others to it.
#if defined(__x86_64__)
#define HAI_SIMD_X86 1
#else
#define HAI_SIMD_X86 0
#endif

#if HAI_SIMD_X86
// GCC 12's AVX-512 headers initialise their "undefined" vectors from
// themselves, which -Wuninitialized reports once inlined (GCC bug 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace hai::transformer {

// bf16 is the top half of an f32.
inline float WidenBf16(uint16_t bits) {
  const uint32_t wide = uint32_t{bits} << 16;
  float v;
  std::memcpy(&v, &wide, sizeof v);
  return v;
}

namespace vec_portable {
using V = float;
inline constexpr int kLanes = 1;
inline V Zero() { return 0.0f; }
inline V Load(const float* p) { return *p; }
inline V Load(const uint16_t* p) { return WidenBf16(*p); }
inline V LoadInt8(const int8_t* p) { return static_cast<float>(*p); }
inline void Store(float* p, V v) { *p = v; }
inline V Broadcast(float f) { return f; }
inline V Fma(V a, V b, V c) { return a * b + c; }
inline float ReduceAdd(V v) { return v; }
}  // namespace vec_portable

#if HAI_SIMD_X86
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace vec_avx2 {
using V = __m256;
inline constexpr int kLanes = 8;
inline V Zero() { return _mm256_setzero_ps(); }
inline V Load(const float* p) { return _mm256_loadu_ps(p); }
inline V Load(const uint16_t* p) {
  const __m128i half = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(half), 16));
}
inline V LoadInt8(const int8_t* p) {
  const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
}
inline void Store(float* p, V v) { _mm256_storeu_ps(p, v); }
inline V Broadcast(float f) { return _mm256_set1_ps(f); }
inline V Fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
inline float ReduceAdd(V v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
}  // namespace vec_avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,fma")
namespace vec_avx512 {
using V = __m512;
inline constexpr int kLanes = 16;
inline V Zero() { return _mm512_setzero_ps(); }
inline V Load(const float* p) { return _mm512_loadu_ps(p); }
inline V Load(const uint16_t* p) {
  const __m256i half = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16));
}
inline V LoadInt8(const int8_t* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(bytes));
}
inline void Store(float* p, V v) { _mm512_storeu_ps(p, v); }
inline V Broadcast(float f) { return _mm512_set1_ps(f); }
inline V Fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
inline float ReduceAdd(V v) { return _mm512_reduce_add_ps(v); }
}  // namespace vec_avx512
#pragma GCC pop_options
#endif  // HAI_SIMD_X86

}  // namespace hai::transformer
