#include "hwcheck/evidence.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace hai::hwcheck {

namespace {
std::string SafeName(const std::string& label) {
  std::string out;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    out.push_back(ok ? c : '_');
    if (out.size() >= 96) break;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == '_')) out.erase(out.begin());
  return out.empty() ? "evidence" : out;
}
}  // namespace

std::string EvidenceStore::Save(const std::string& label, const std::string& text) {
  if (dir_.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return {};
  std::string base = SafeName(label);
  std::string name = base + ".txt";
  for (int n = 2; std::find(saved_.begin(), saved_.end(), name) != saved_.end(); ++n)
    name = base + "-" + std::to_string(n) + ".txt";
  std::ofstream out(std::filesystem::path(dir_) / name, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return {};
  saved_.push_back(name);
  return name;
}

}  // namespace hai::hwcheck
