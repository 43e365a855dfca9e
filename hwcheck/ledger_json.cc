#include "hwcheck/ledger_json.h"

namespace hai::hwcheck {

using nlohmann::json;

json AssetToJson(const AssetRecord& a) {
  return json{{"node", a.node},       {"kind", a.kind},    {"slot", a.slot},
              {"vendor", a.vendor},   {"model", a.model},  {"serial", a.serial},
              {"version", a.version}, {"source", a.source}};
}

AssetRecord AssetFromJson(JsonFields& f, const json& obj, const std::string& path) {
  AssetRecord a;
  f.String(obj, path, "node", &a.node);
  f.String(obj, path, "kind", &a.kind, /*required=*/true);
  f.String(obj, path, "slot", &a.slot);
  f.String(obj, path, "vendor", &a.vendor);
  f.String(obj, path, "model", &a.model);
  f.String(obj, path, "serial", &a.serial);
  f.String(obj, path, "version", &a.version);
  f.String(obj, path, "source", &a.source);
  return a;
}

json AssetsToJson(const std::vector<AssetRecord>& assets) {
  json out = json::array();
  for (const AssetRecord& a : assets) out.push_back(AssetToJson(a));
  return out;
}

std::vector<AssetRecord> AssetsFromJson(JsonFields& f, const json& array, const std::string& path) {
  std::vector<AssetRecord> out;
  for (size_t i = 0; i < array.size() && f.ok(); ++i)
    out.push_back(AssetFromJson(f, array[i], IndexPath(path, i)));
  return out;
}

json LedgerDiffToJson(const LedgerDiff& diff) {
  json changed = json::array();
  for (const AssetChange& c : diff.changed) {
    json fields = json::array();
    for (const FieldChange& fc : c.fields)
      fields.push_back({{"field", fc.field}, {"before", fc.before}, {"after", fc.after}});
    changed.push_back({{"node", c.node}, {"kind", c.kind}, {"slot", c.slot}, {"fields", fields}});
  }
  return json{{"previous", diff.previous},
              {"added", AssetsToJson(diff.added)},
              {"removed", AssetsToJson(diff.removed)},
              {"changed", changed}};
}

LedgerDiff LedgerDiffFromJson(JsonFields& f, const json& obj, const std::string& path) {
  LedgerDiff diff;
  f.String(obj, path, "previous", &diff.previous);
  if (const json* a = f.Array(obj, path, "added"))
    diff.added = AssetsFromJson(f, *a, FieldPath(path, "added"));
  if (const json* r = f.Array(obj, path, "removed"))
    diff.removed = AssetsFromJson(f, *r, FieldPath(path, "removed"));
  if (const json* changed = f.Array(obj, path, "changed")) {
    for (size_t i = 0; i < changed->size() && f.ok(); ++i) {
      const std::string p = IndexPath(FieldPath(path, "changed"), i);
      const json& c = (*changed)[i];
      AssetChange ac;
      f.String(c, p, "node", &ac.node);
      f.String(c, p, "kind", &ac.kind, true);
      f.String(c, p, "slot", &ac.slot);
      if (const json* fields = f.Array(c, p, "fields")) {
        for (size_t j = 0; j < fields->size() && f.ok(); ++j) {
          const std::string fp = IndexPath(FieldPath(p, "fields"), j);
          FieldChange fc;
          f.String((*fields)[j], fp, "field", &fc.field, true);
          f.String((*fields)[j], fp, "before", &fc.before);
          f.String((*fields)[j], fp, "after", &fc.after);
          ac.fields.push_back(std::move(fc));
        }
      }
      diff.changed.push_back(std::move(ac));
    }
  }
  return diff;
}

}  // namespace hai::hwcheck
