#include "hwcheck/host/smart_report.h"

#include <nlohmann/json.hpp>

namespace hai::hwcheck::host {
namespace {

using nlohmann::json;

std::string StringAt(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<int64_t> IntAt(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

// The raw value of ATA attribute `id` in ata_smart_attributes.table.
std::optional<int64_t> AtaRaw(const json& doc, int id) {
  auto attrs = doc.find("ata_smart_attributes");
  if (attrs == doc.end() || !attrs->is_object()) return std::nullopt;
  auto table = attrs->find("table");
  if (table == attrs->end() || !table->is_array()) return std::nullopt;
  for (const json& row : *table) {
    if (!row.is_object() || IntAt(row, "id") != id) continue;
    auto raw = row.find("raw");
    if (raw == row.end() || !raw->is_object()) return std::nullopt;
    return IntAt(*raw, "value");
  }
  return std::nullopt;
}

SmartReport FromJson(const json& doc) {
  SmartReport r;
  if (auto dev = doc.find("device"); dev != doc.end() && dev->is_object())
    r.device_type = StringAt(*dev, "type");
  r.model = StringAt(doc, "model_name");
  r.serial = StringAt(doc, "serial_number");
  r.firmware = StringAt(doc, "firmware_version");
  if (auto st = doc.find("smart_status"); st != doc.end() && st->is_object()) {
    if (auto p = st->find("passed"); p != st->end() && p->is_boolean()) r.passed = p->get<bool>();
  }
  r.reallocated = AtaRaw(doc, 5);
  r.pending = AtaRaw(doc, 197);
  if (auto log = doc.find("nvme_smart_health_information_log");
      log != doc.end() && log->is_object())
    r.media_errors = IntAt(*log, "media_errors");
  if (auto tool = doc.find("smartctl"); tool != doc.end() && tool->is_object()) {
    r.exit_status = static_cast<int>(IntAt(*tool, "exit_status").value_or(0));
    if (auto msgs = tool->find("messages"); msgs != tool->end() && msgs->is_array()) {
      for (const json& m : *msgs)
        if (m.is_object()) r.messages.push_back(StringAt(m, "string"));
    }
  }
  return r;
}

}  // namespace

Result<SmartReport> ParseSmartctlJson(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return Status::InvalidArgument("smartctl output is not a JSON object");
  return FromJson(doc);
}

}  // namespace hai::hwcheck::host
