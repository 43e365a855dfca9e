#pragma once

#include <string_view>

namespace hai::transformer {

// The vector instruction set a hand-written kernel runs with. Kernels are
// compiled for each of these (target attributes, no -march flags), and the
// CPU is asked once which one to use, so one binary runs everywhere.
enum class Simd { kPortable, kAvx2, kAvx512 };

std::string_view SimdName(Simd simd);  // "portable", "avx2", "avx512"
bool SimdSupported(Simd simd);         // on this CPU
Simd BestSimd();                       // the widest supported one

}  // namespace hai::transformer
