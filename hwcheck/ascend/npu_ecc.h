#pragma once

#include <cstdint>
#include <string_view>

namespace hai::hwcheck::ascend {

// `npu-smi info -t ecc -i N` (reference/appliance-hw.md §1.2): the HBM counts
// lib/accel's ParseNpuDetails does not keep (it keeps the double-bit count
// only). -1 when the output did not say; the MCU's block never counts.
struct NpuEcc {
  int64_t hbm_single_bit = -1;             // "HBM Single Bit Error Count"
  int64_t hbm_double_bit = -1;             // "HBM Double Bit Error Count"
  int64_t single_bit_isolated_pages = -1;  // "HBM Single Bit Isolated Pages Count"
  int64_t double_bit_isolated_pages = -1;  // "HBM Double Bit Isolated Pages Count"
  // Both isolated-page counts added, -1 when neither was printed.
  int64_t IsolatedPages() const;
};
NpuEcc ParseNpuEcc(std::string_view text);

}  // namespace hai::hwcheck::ascend
