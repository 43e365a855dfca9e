#include "lib/accel/npu_smi_parser.h"

#include <cmath>
#include <type_traits>

#include "lib/accel/tool_text.h"

namespace hai::accel {
namespace {

// The cells of a `| a | b | c |` row, trimmed.
std::vector<std::string_view> Cells(std::string_view line) {
  std::vector<std::string_view> cells;
  for (std::string_view cell : SplitAny(line, "|")) cells.push_back(TrimText(cell));
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  return cells;
}

// Column names of a header's third cell: the tokens with a unit in brackets.
std::vector<std::string_view> ColumnNames(std::string_view cell) {
  std::vector<std::string_view> names;
  for (std::string_view token : SplitAny(cell, " \t"))
    if (token.find('(') != std::string_view::npos) names.push_back(token);
  return names;
}

int64_t ToMib(std::optional<double> v) { return v ? static_cast<int64_t>(std::llround(*v)) : -1; }
double ToDouble(std::optional<double> v) { return v ? *v : -1; }

// Reads the values of a data row's third cell into `chip` by column name.
void ReadValues(const std::vector<std::string_view>& names, std::string_view cell,
                NpuChipSummary* chip) {
  std::vector<std::string_view> values = SplitAny(cell, " \t/");
  size_t at = 0;
  auto next = [&]() -> std::optional<double> {
    return at < values.size() ? ParseToolNumber(values[at++]) : std::nullopt;
  };
  for (std::string_view name : names) {
    if (name.find("Usage") != std::string_view::npos) {  // "used / total"
      std::optional<double> used = next(), total = next();
      if (name.starts_with("HBM")) {
        chip->hbm_used_mib = ToMib(used);
        chip->hbm_total_mib = ToMib(total);
      } else if (name.starts_with("Memory")) {
        chip->memory_used_mib = ToMib(used);
        chip->memory_total_mib = ToMib(total);
      }
    } else if (name.starts_with("Power")) {
      chip->power_w = ToDouble(next());
    } else if (name.starts_with("Temp")) {
      chip->temperature_c = ToDouble(next());
    } else if (name.starts_with("AICore") || name.starts_with("Util")) {
      chip->aicore_percent = ToDouble(next());
    } else {
      next();
    }
  }
}

int ToInt(std::string_view s) {
  std::optional<double> v = ParseToolNumber(s);
  return v ? static_cast<int>(*v) : -1;
}

}  // namespace

Result<std::vector<NpuChipSummary>> ParseNpuSmiInfo(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  size_t i = 0;
  std::vector<std::string_view> row1_names, row2_names;
  for (; i + 1 < lines.size(); ++i) {
    std::vector<std::string_view> c1 = Cells(lines[i]);
    if (c1.size() >= 3 && c1[0].starts_with("NPU") && c1[1].starts_with("Health")) {
      std::vector<std::string_view> c2 = Cells(lines[i + 1]);
      if (c2.size() < 3) break;
      row1_names = ColumnNames(c1[2]);
      row2_names = ColumnNames(c2[2]);
      i += 2;
      break;
    }
  }
  if (row1_names.empty() || row2_names.empty())
    return Status::InvalidArgument("npu-smi info: no NPU table header in the output");

  std::vector<NpuChipSummary> chips;
  std::vector<std::string_view> group;
  auto flush = [&]() {
    if (group.size() >= 2) {
      std::vector<std::string_view> r1 = Cells(group[0]);
      std::vector<std::string_view> id_name = SplitAny(r1.size() > 0 ? r1[0] : "", " \t");
      for (size_t g = 1; g < group.size(); ++g) {
        std::vector<std::string_view> r2 = Cells(group[g]);
        if (r1.size() < 3 || r2.size() < 3) continue;
        NpuChipSummary chip;
        chip.npu_id = id_name.empty() ? -1 : ToInt(id_name[0]);
        if (id_name.size() > 1) chip.name = std::string(id_name[1]);
        chip.health = std::string(r1[1]);
        ReadValues(row1_names, r1[2], &chip);
        std::vector<std::string_view> chip_ids = SplitAny(r2[0], " \t");
        chip.chip_id = chip_ids.empty() ? -1 : ToInt(chip_ids[0]);
        chip.bus_id = std::string(r2[1]);
        ReadValues(row2_names, r2[2], &chip);
        if (chip.npu_id >= 0) chips.push_back(std::move(chip));
      }
    }
    group.clear();
  };
  for (; i < lines.size(); ++i) {
    std::string_view line = TrimText(lines[i]);
    if (line.starts_with("+")) {
      flush();
    } else if (line.starts_with("|")) {
      if (line.find("Process id") != std::string_view::npos ||
          line.find("Process name") != std::string_view::npos)
        break;
      group.push_back(line);
    }
  }
  flush();
  return chips;
}

NpuDetails ParseNpuDetails(std::string_view text) {
  NpuDetails d;
  // Each field from the first block that has it; the MCU's block never counts.
  auto str = [](std::string* field, std::string_view v) {
    if (field->empty()) *field = std::string(v);
  };
  auto num = [](auto* field, std::optional<double> v) {
    if (*field < 0 && v) *field = static_cast<std::remove_pointer_t<decltype(field)>>(*v);
  };
  for (const KeyValueBlock& block : ParseKeyValueBlocks(text)) {
    auto get = [&](std::string_view key) -> std::string_view {
      auto it = block.find(key);
      return it == block.end() ? std::string_view() : std::string_view(it->second);
    };
    std::string_view chip_name = get("Chip Name");
    if (chip_name == "mcu" || chip_name == "Mcu" || chip_name == "MCU") continue;
    str(&d.chip_name, chip_name);
    str(&d.firmware, get("Firmware Version"));
    str(&d.serial, get("Serial Number"));
    str(&d.health, get("Health Status").empty() ? get("Health") : get("Health Status"));
    str(&d.error_code, get("Error Code"));
    num(&d.hbm_capacity_mib, ParseToolNumber(get("HBM Capacity(MB)")));
    num(&d.hbm_usage_percent, ParseToolNumber(get("HBM Usage Rate(%)")));
    num(&d.aicore_percent, ParseToolNumber(get("Aicore Usage Rate(%)")));
    num(&d.aicore_count, ParseToolNumber(get("Aicore Count")));
    num(&d.temperature_c, ParseToolNumber(get("Temperature(C)")));
    num(&d.power_w, ParseToolNumber(get("NPU Real-time Power(W)")));
    num(&d.hbm_double_bit_errors, ParseToolNumber(get("HBM Double Bit Error Count")));
  }
  return d;
}

Health NpuHealth(std::string_view text) {
  text = TrimText(text);
  if (text == "OK") return Health::kOk;
  if (text == "Warning") return Health::kWarning;
  if (text == "Alarm" || text == "Critical") return Health::kCritical;
  return Health::kUnknown;
}

std::vector<int> ParseNpuTopology(std::string_view text) {
  return ParseLinkIslands(text, "NPU", [](std::string_view cell) { return cell == "HCCS"; });
}

}  // namespace hai::accel
