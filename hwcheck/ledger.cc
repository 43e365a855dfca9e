#include "hwcheck/ledger.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "hwcheck/ledger_json.h"

namespace hai::hwcheck {
namespace {

using nlohmann::json;

using Key = std::tuple<std::string, std::string, std::string>;
Key KeyOf(const AssetRecord& a) { return {a.node, a.kind, a.slot}; }

// RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes.
std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Unavailable(path + ": cannot write");
  return Status::Ok();
}

std::string Stem(const std::string& json_path) {
  const std::string ext = ".json";
  if (json_path.size() > ext.size() &&
      json_path.compare(json_path.size() - ext.size(), ext.size(), ext) == 0)
    return json_path.substr(0, json_path.size() - ext.size());
  return json_path;
}

std::string Describe(const AssetRecord& a) {
  std::string s = a.node + " " + a.kind + (a.slot.empty() ? "" : " " + a.slot);
  if (!a.model.empty()) s += " model=" + a.model;
  if (!a.serial.empty()) s += " serial=" + a.serial;
  if (!a.version.empty()) s += " version=" + a.version;
  return s;
}

}  // namespace

std::vector<AssetRecord> SortedAssets(std::vector<AssetRecord> assets) {
  std::stable_sort(assets.begin(), assets.end(),
                   [](const AssetRecord& x, const AssetRecord& y) { return KeyOf(x) < KeyOf(y); });
  return assets;
}

std::string RenderLedgerJson(const std::vector<AssetRecord>& assets) {
  json j{{"format", 1}, {"assets", AssetsToJson(SortedAssets(assets))}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderLedgerCsv(const std::vector<AssetRecord>& assets) {
  std::string out = "node,kind,slot,vendor,model,serial,version,source\r\n";
  for (const AssetRecord& a : SortedAssets(assets)) {
    for (const std::string* f :
         {&a.node, &a.kind, &a.slot, &a.vendor, &a.model, &a.serial, &a.version}) {
      out += CsvField(*f) + ",";
    }
    out += CsvField(a.source) + "\r\n";
  }
  return out;
}

Result<std::vector<AssetRecord>> ParseLedgerJson(const std::string& text,
                                                 const std::string& source_name) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(source_name + ": not valid JSON");
  JsonFields f(source_name);
  std::vector<AssetRecord> assets;
  if (const json* a = f.Array(j, "", "assets", true)) assets = AssetsFromJson(f, *a, "assets");
  if (!f.ok()) return f.error();
  return assets;
}

LedgerDiff DiffLedgers(const std::vector<AssetRecord>& before,
                       const std::vector<AssetRecord>& after) {
  std::map<Key, const AssetRecord*> old_rows, new_rows;
  for (const AssetRecord& a : before) old_rows[KeyOf(a)] = &a;
  for (const AssetRecord& a : after) new_rows[KeyOf(a)] = &a;
  LedgerDiff diff;
  for (const auto& [key, row] : new_rows) {
    auto it = old_rows.find(key);
    if (it == old_rows.end()) {
      diff.added.push_back(*row);
      continue;
    }
    const AssetRecord& o = *it->second;
    AssetChange change{row->node, row->kind, row->slot, {}};
    const std::pair<const char*, std::pair<const std::string*, const std::string*>> fields[] = {
        {"vendor", {&o.vendor, &row->vendor}},
        {"model", {&o.model, &row->model}},
        {"serial", {&o.serial, &row->serial}},
        {"version", {&o.version, &row->version}},
        {"source", {&o.source, &row->source}}};
    for (const auto& [name, values] : fields) {
      if (*values.first != *values.second)
        change.fields.push_back({name, *values.first, *values.second});
    }
    if (!change.fields.empty()) diff.changed.push_back(std::move(change));
  }
  for (const auto& [key, row] : old_rows) {
    if (!new_rows.contains(key)) diff.removed.push_back(*row);
  }
  return diff;
}

std::string RenderLedgerDiffJson(const LedgerDiff& diff) {
  return LedgerDiffToJson(diff).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderLedgerDiffText(const LedgerDiff& diff) {
  std::string out;
  for (const AssetRecord& a : diff.added) out += "+ " + Describe(a) + "\n";
  for (const AssetRecord& a : diff.removed) out += "- " + Describe(a) + "\n";
  for (const AssetChange& c : diff.changed) {
    for (const FieldChange& f : c.fields)
      out += "~ " + c.node + " " + c.kind + (c.slot.empty() ? "" : " " + c.slot) + " " + f.field +
             ": " + f.before + " -> " + f.after + "\n";
  }
  return out;
}

Result<LedgerWrite> WriteLedger(const std::string& json_path,
                                const std::vector<AssetRecord>& assets) {
  LedgerWrite result;
  const std::string stem = Stem(json_path);
  result.csv_path = stem + ".csv";
  std::error_code ec;
  if (std::filesystem::exists(json_path, ec)) {
    std::ifstream in(json_path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    HAI_ASSIGN_OR_RETURN(std::vector<AssetRecord> previous, ParseLedgerJson(text.str(), json_path));
    result.has_previous = true;
    result.diff = DiffLedgers(previous, assets);
    result.diff.previous = json_path;
    result.diff_path = stem + ".diff.json";
  }
  HAI_RETURN_IF_ERROR(WriteFile(json_path, RenderLedgerJson(assets)));
  HAI_RETURN_IF_ERROR(WriteFile(result.csv_path, RenderLedgerCsv(assets)));
  if (result.has_previous)
    HAI_RETURN_IF_ERROR(WriteFile(result.diff_path, RenderLedgerDiffJson(result.diff)));
  return result;
}

}  // namespace hai::hwcheck
