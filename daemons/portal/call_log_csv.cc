#include "daemons/portal/call_log_json.h"

namespace hai::portal {
namespace {

std::string Cell(const nlohmann::json& v) {
  std::string text = v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
  // A leading = + - @ would run as a formula in a spreadsheet; numbers are
  // never text here, so a negative number cannot be hit.
  if (v.is_string() && !text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
    text.insert(0, "'");
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CallLogsCsv(const std::vector<CallLogEntry>& entries) {
  std::string out;
  for (std::string_view field : CallLogFields()) {
    if (!out.empty()) out += ',';
    out += field;
  }
  out += "\r\n";
  for (const CallLogEntry& e : entries) {
    nlohmann::json j = ToJson(e);
    bool first = true;
    for (std::string_view field : CallLogFields()) {
      if (!first) out += ',';
      first = false;
      out += Cell(j[std::string(field)]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace hai::portal
