#include "lib/accel/tool_text.h"

#include <charconv>
#include <numeric>

namespace hai::accel {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// "NPU3" with prefix "NPU" → 3; anything else → -1.
int LabelIndex(std::string_view token, std::string_view prefix) {
  if (!token.starts_with(prefix) || token.size() == prefix.size()) return -1;
  int value = -1;
  std::string_view digits = token.substr(prefix.size());
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return -1;
  return value;
}

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

}  // namespace

std::string_view TrimText(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

std::vector<std::string_view> SplitAny(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find_first_of(separators, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) pieces.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return pieces;
}

std::optional<double> ParseToolNumber(std::string_view s) {
  s = TrimText(s);
  if (s.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc()) return std::nullopt;
  std::string_view unit = TrimText(std::string_view(end, s.data() + s.size() - end));
  for (std::string_view ok : {"", "MiB", "MB", "%", "W", "C"})
    if (unit == ok) return value;
  return std::nullopt;
}

std::vector<KeyValueBlock> ParseKeyValueBlocks(std::string_view text) {
  std::vector<KeyValueBlock> blocks;
  bool start_new = true;
  for (std::string_view line : SplitLines(text)) {
    if (TrimText(line).empty()) {
      start_new = true;  // a blank line ends a block
      continue;
    }
    size_t sep = line.find(" : ");
    if (sep == std::string_view::npos) continue;
    std::string key(TrimText(line.substr(0, sep)));
    std::string value(TrimText(line.substr(sep + 3)));
    if (key.empty()) continue;
    if (start_new || blocks.back().contains(key)) blocks.emplace_back();
    start_new = false;
    blocks.back().emplace(std::move(key), std::move(value));
  }
  return blocks;
}

std::vector<int> ParseLinkIslands(std::string_view text, std::string_view row_prefix,
                                  bool (*is_link)(std::string_view cell)) {
  int columns = 0;
  std::vector<std::vector<std::string_view>> rows;  // by device index
  for (std::string_view line : SplitLines(text)) {
    std::vector<std::string_view> tokens = SplitAny(line, " \t");
    if (tokens.empty()) continue;
    if (columns == 0) {
      // The header: device labels first, then CPU/NUMA affinity titles.
      while (columns < static_cast<int>(tokens.size()) &&
             LabelIndex(tokens[columns], row_prefix) == columns)
        ++columns;
      if (columns < 2) columns = 0;  // not a header (or a one-device box: no links)
      continue;
    }
    int row = LabelIndex(tokens[0], row_prefix);
    if (row < 0 || row >= columns || static_cast<int>(tokens.size()) <= columns) continue;
    if (static_cast<int>(rows.size()) <= row) rows.resize(row + 1);
    rows[row].assign(tokens.begin() + 1, tokens.begin() + 1 + columns);
  }
  if (columns == 0 || rows.empty()) return {};

  const int n = columns;
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<bool> linked(n, false);
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    for (int j = 0; j < static_cast<int>(rows[i].size()); ++j) {
      if (i == j || !is_link(rows[i][j])) continue;
      linked[i] = linked[j] = true;
      parent[Find(parent, i)] = Find(parent, j);
    }
  }
  std::vector<int> island(n, -1), island_of_root(n, -1);
  int next = 0;
  for (int i = 0; i < n; ++i) {
    if (!linked[i]) continue;
    int root = Find(parent, i);
    if (island_of_root[root] < 0) island_of_root[root] = next++;
    island[i] = island_of_root[root];
  }
  return island;
}

}  // namespace hai::accel
