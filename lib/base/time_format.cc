#include "lib/base/time_format.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace hai {
namespace {

bool ReadInt(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, *out);
  return ec == std::errc() && p == s.data() + pos + len;
}

}  // namespace

std::string FormatIso8601(int64_t epoch_ms) {
  using namespace std::chrono;
  int64_t secs = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  int ms = static_cast<int>(epoch_ms - secs * 1000);
  sys_days day = floor<days>(sys_seconds{seconds{secs}});
  year_month_day ymd{day};
  int64_t rem = secs - duration_cast<seconds>(day.time_since_epoch()).count();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(rem / 3600), int(rem / 60 % 60),
                int(rem % 60), ms);
  return buf;
}

std::optional<int64_t> ParseTime(std::string_view s) {
  using namespace std::chrono;
  if (s.empty()) return std::nullopt;
  if (s.find('-', 1) == std::string_view::npos) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
  }
  int y, mo, d, h = 0, mi = 0, se = 0, ms = 0;
  if (!ReadInt(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !ReadInt(s, 5, 2, &mo) ||
      s[7] != '-' || !ReadInt(s, 8, 2, &d))
    return std::nullopt;
  size_t pos = 10;
  int64_t offset_min = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
    if (!ReadInt(s, pos + 1, 2, &h) || s.size() < pos + 9 || s[pos + 3] != ':' ||
        !ReadInt(s, pos + 4, 2, &mi) || s[pos + 6] != ':' || !ReadInt(s, pos + 7, 2, &se))
      return std::nullopt;
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      std::string frac(s.substr(start, pos - start));
      if (frac.empty()) return std::nullopt;
      frac = (frac + "000").substr(0, 3);
      ms = std::stoi(frac);
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z' && pos + 1 == s.size()) {
      } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
        int oh, om;
        if (!ReadInt(s, pos + 1, 2, &oh) || !ReadInt(s, pos + 4, 2, &om)) return std::nullopt;
        offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
      } else {
        return std::nullopt;
      }
    }
  }
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return std::nullopt;
  int64_t days_since = sys_days{ymd}.time_since_epoch().count();
  int64_t secs = days_since * 86400 + h * 3600 + mi * 60 + se - offset_min * 60;
  return secs * 1000 + ms;
}

}  // namespace hai
