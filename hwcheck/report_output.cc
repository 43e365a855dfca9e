#include "hwcheck/report_output.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "hwcheck/report_html.h"
#include "hwcheck/report_json.h"
#include "lib/base/time_format.h"

namespace hai::hwcheck {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxCell = 60;  // long reasons are cut on the terminal, never in the files

std::string Cut(std::string s, size_t width) {
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  return s;
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Unavailable(path + ": cannot write the report");
  return Status::Ok();
}

}  // namespace

std::string RenderSummaryTable(const Report& report) {
  const auto& items = report.findings.items;
  size_t w_id = 2, w_value = 5, w_threshold = 9;
  for (const CheckItem& i : items) {
    w_id = std::max(w_id, std::min(i.id.size(), kMaxCell));
    w_value = std::max(w_value, std::min(i.value.size(), size_t{30}));
    w_threshold = std::max(w_threshold, std::min(i.threshold.size(), size_t{30}));
  }
  auto pad = [](const std::string& s, size_t w) {
    return s + std::string(w - std::min(w, s.size()), ' ');
  };
  std::string out = pad("ID", w_id) + "  STATUS  " + pad("VALUE", w_value) + "  " +
                    pad("THRESHOLD", w_threshold) + "  REASON\n";
  for (const CheckItem& i : items) {
    out += pad(Cut(i.id, kMaxCell), w_id) + "  " + pad(std::string(VerdictName(i.status)), 6) +
           "  " + pad(Cut(i.value, 30), w_value) + "  " + pad(Cut(i.threshold, 30), w_threshold) +
           "  " + Cut(i.reason, 100) + "\n";
  }
  const Summary s = Summarize(items);
  out += "\n" + report.node + " " + std::string(LevelName(report.level)) + ": " +
         std::string(VerdictName(s.worst)) + " (PASS " + std::to_string(s.pass) + ", WARN " +
         std::to_string(s.warn) + ", FAIL " + std::to_string(s.fail) + ", SKIP " +
         std::to_string(s.skip) + ")\n";
  return out;
}

Status WriteReportFiles(const Report& report, const std::string& json_path,
                        const std::string& html_path) {
  if (!json_path.empty()) HAI_RETURN_IF_ERROR(WriteFile(json_path, RenderReportJson(report)));
  if (!html_path.empty()) HAI_RETURN_IF_ERROR(WriteFile(html_path, RenderReportHtml(report)));
  return Status::Ok();
}

Status CheckWritablePath(const std::string& flag, const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  if (fs::is_directory(p, ec))
    return Status::InvalidArgument(flag + " " + path + ": is a directory", flag);
  fs::path dir = p.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    return Status::InvalidArgument(
        flag + " " + path + ": directory " + dir.string() + " does not exist", flag);
  if (access(dir.c_str(), W_OK) != 0)
    return Status::InvalidArgument(
        flag + " " + path + ": directory " + dir.string() + " is not writable", flag);
  return Status::Ok();
}

std::string Rfc3339(int64_t epoch_ms) { return FormatIso8601(epoch_ms); }

std::string NowRfc3339() {
  return Rfc3339(std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count());
}

}  // namespace hai::hwcheck
