#include "hwcheck/bmc/ipmi_text.h"

#include <cctype>

#include "lib/accel/tool_text.h"

namespace hai::hwcheck::bmc {

std::vector<std::string> SplitColumns(std::string_view line) {
  std::vector<std::string> cols;
  size_t start = 0;
  while (true) {
    const size_t bar = line.find('|', start);
    cols.emplace_back(accel::TrimText(line.substr(start, bar - start)));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return cols;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::pair<std::string, std::string> SplitKeyValue(std::string_view line) {
  size_t sep = line.find(" : ");
  size_t skip = 3;
  if (sep == std::string_view::npos && line.size() >= 2 && line.substr(line.size() - 2) == " :") {
    sep = line.size() - 2;  // "Last Power Event     : " with nothing after
    skip = 2;
  }
  if (sep == std::string_view::npos) return {};
  return {std::string(accel::TrimText(line.substr(0, sep))),
          std::string(accel::TrimText(line.substr(sep + skip)))};
}

}  // namespace hai::hwcheck::bmc
