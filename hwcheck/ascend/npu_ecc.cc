#include "hwcheck/ascend/npu_ecc.h"

#include <optional>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {

int64_t NpuEcc::IsolatedPages() const {
  if (single_bit_isolated_pages < 0 && double_bit_isolated_pages < 0) return -1;
  return (single_bit_isolated_pages > 0 ? single_bit_isolated_pages : 0) +
         (double_bit_isolated_pages > 0 ? double_bit_isolated_pages : 0);
}

NpuEcc ParseNpuEcc(std::string_view text) {
  NpuEcc ecc;
  for (const accel::KeyValueBlock& block : accel::ParseKeyValueBlocks(text)) {
    auto name = block.find("Chip Name");
    if (name != block.end() && (name->second == "Mcu" || name->second == "mcu")) continue;
    auto take = [&](int64_t* field, std::string_view key) {
      auto it = block.find(key);
      if (*field >= 0 || it == block.end()) return;
      std::optional<double> v = accel::ParseToolNumber(it->second);
      if (v) *field = static_cast<int64_t>(*v);
    };
    take(&ecc.hbm_single_bit, "HBM Single Bit Error Count");
    take(&ecc.hbm_double_bit, "HBM Double Bit Error Count");
    take(&ecc.single_bit_isolated_pages, "HBM Single Bit Isolated Pages Count");
    take(&ecc.double_bit_isolated_pages, "HBM Double Bit Isolated Pages Count");
  }
  return ecc;
}

}  // namespace hai::hwcheck::ascend
