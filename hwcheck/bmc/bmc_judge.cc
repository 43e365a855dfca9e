#include "hwcheck/bmc/bmc_judge.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "hwcheck/bmc/bmc_readers.h"

namespace hai::hwcheck::bmc {

namespace {

constexpr Level kLevel = Level::kR1;
constexpr const char* kCategory = "bmc";

std::string Num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

std::string WithUnit(double v, const std::string& unit) {
  return unit.empty() ? Num(v) : Num(v) + " " + unit;
}

Verdict FromHealth(PartHealth h) {
  switch (h) {
    case PartHealth::kOk:
      return Verdict::kPass;
    case PartHealth::kWarning:
      return Verdict::kWarn;
    case PartHealth::kCritical:
      return Verdict::kFail;
    default:
      return Verdict::kSkip;
  }
}

// Redfish's Health word → a verdict; nullopt for a word it does not define.
std::optional<Verdict> FromHealthWord(const std::string& health) {
  if (health == "OK") return Verdict::kPass;
  if (health == "Warning") return Verdict::kWarn;
  if (health == "Critical") return Verdict::kFail;
  return std::nullopt;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

bool IsCritical(const BmcLogEntry& e) {
  std::string s = e.severity;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s == "critical";
}

// What the reading says against the part's own thresholds.
void JudgeReading(const BmcPart& part, PartVerdict* v, std::vector<std::string>* limits) {
  if (part.upper_non_critical)
    limits->push_back("<= " + WithUnit(*part.upper_non_critical, part.unit) + " (non-critical)");
  if (part.upper_critical)
    limits->push_back("<= " + WithUnit(*part.upper_critical, part.unit) + " (critical)");
  if (part.lower_critical)
    limits->push_back(">= " + WithUnit(*part.lower_critical, part.unit) + " (critical)");
  if (!part.reading) return;
  double r = *part.reading;
  std::string at = part.name + " at " + WithUnit(r, part.unit);
  if (part.upper_critical && r > *part.upper_critical) {
    v->status = Verdict::kFail;
    v->reason =
        at + " is above its critical threshold " + WithUnit(*part.upper_critical, part.unit);
  } else if (part.lower_critical && r < *part.lower_critical) {
    v->status = Verdict::kFail;
    v->reason = at + " is below its critical minimum " + WithUnit(*part.lower_critical, part.unit);
  } else if (part.upper_non_critical && r > *part.upper_non_critical) {
    v->status = Verdict::kWarn;
    v->reason = at + " is above its non-critical threshold " +
                WithUnit(*part.upper_non_critical, part.unit);
  } else if (!limits->empty()) {
    v->status = Verdict::kPass;
  }
}

}  // namespace

std::string PartIdName(const std::string& name) {
  std::string out;
  size_t begin = name.find_first_not_of(' ');
  size_t end = name.find_last_not_of(' ');
  if (begin == std::string::npos) return "unnamed";
  for (char c : name.substr(begin, end - begin + 1))
    out.push_back(c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::optional<PartVerdict> JudgePart(const BmcPart& part) {
  if (part.health == PartHealth::kAbsent) {
    if (part.kind != "psu" && part.kind != "fan") return std::nullopt;
    return PartVerdict{
        Verdict::kFail, "present, health OK", "absent",
        part.kind + " " + part.name + " is absent: the BMC lists its bay with nothing in it"};
  }
  PartVerdict v;
  std::vector<std::string> limits;
  JudgeReading(part, &v, &limits);
  Verdict health = FromHealth(part.health);
  if (health != Verdict::kSkip) limits.push_back("health OK");
  if (static_cast<int>(health) > static_cast<int>(v.status)) {
    v.status = health;
    if (health != Verdict::kPass) {
      v.reason = part.kind + " " + part.name + ": the BMC reports health " +
                 std::string(PartHealthName(part.health));
      if (!part.state.empty()) v.reason += " (" + part.state + ")";
      if (!part.detail.empty()) v.reason += ": " + part.detail;
    }
  }
  v.threshold = Join(limits, ", ");
  v.value =
      part.reading ? WithUnit(*part.reading, part.unit) : std::string(PartHealthName(part.health));
  if (!part.state.empty()) v.value += " (" + part.state + ")";
  if (v.status == Verdict::kSkip)
    v.reason = "the BMC reports neither a health nor thresholds for " + part.kind + " " + part.name;
  return v;
}

namespace {

CheckItem Item(Verdict status, std::string id, std::string threshold, std::string value,
               std::string reason) {
  CheckItem item;
  item.id = std::move(id);
  item.level = kLevel;
  item.status = status;
  item.category = kCategory;
  item.threshold = std::move(threshold);
  item.value = std::move(value);
  item.reason = std::move(reason);
  return item;
}

CheckItem SystemHealth(const BmcSnapshot& s, const std::vector<CheckItem>& part_items) {
  std::vector<std::string> notes;
  if (!s.system_health.empty()) {
    auto verdict = FromHealthWord(s.system_health);
    Verdict worst = verdict.value_or(Verdict::kWarn);
    if (!verdict)
      notes.push_back("unrecognised health '" + s.system_health + "'");
    else if (worst != Verdict::kPass)
      notes.push_back("system health " + s.system_health);
    for (const BmcPart& p : s.parts) {
      if (p.kind != "system") continue;
      Verdict v = FromHealth(p.health);
      if (v == Verdict::kWarn || v == Verdict::kFail)
        notes.push_back(p.name + " " + std::string(PartHealthName(p.health)));
      worst = Worst(worst, v);
    }
    std::string value = s.system_health + (notes.empty() ? "" : " (" + Join(notes, "; ") + ")");
    std::string reason = worst == Verdict::kPass ? "" : "the BMC reports " + Join(notes, "; ");
    return Item(worst, "bmc.system_health", "== OK", value, reason);
  }
  // No overall health (IPMI): the worst part speaks for the system.
  Verdict worst = Verdict::kSkip;
  std::vector<std::string> bad;
  for (const CheckItem& item : part_items) {
    worst = Worst(worst, item.status);
    if (item.status == Verdict::kWarn || item.status == Verdict::kFail) bad.push_back(item.id);
  }
  if (worst == Verdict::kSkip)
    return Item(Verdict::kSkip, "bmc.system_health", "== OK", "",
                "the BMC reports no overall health and no part with a health");
  std::string value = "derived from " + std::to_string(part_items.size()) + " parts, " +
                      std::to_string(bad.size()) + " not OK";
  if (bad.size() > 5) bad.resize(5);
  std::string reason =
      worst == Verdict::kPass ? "" : "no overall health from the BMC; not OK: " + Join(bad, ", ");
  return Item(worst, "bmc.system_health", "every part OK", value, reason);
}

CheckItem SelCritical(const BmcSnapshot& s, const CheckContext& ctx) {
  std::vector<const BmcLogEntry*> critical;
  for (const BmcLogEntry& e : s.log)
    if (IsCritical(e)) critical.push_back(&e);
  std::vector<std::string> newest;
  for (size_t i = critical.size(); i > 0 && newest.size() < 3; --i) {
    const BmcLogEntry& e = *critical[i - 1];
    newest.push_back((e.created.empty() ? "" : e.created + " ") + e.message);
  }
  double count = static_cast<double>(critical.size());
  std::string value = std::to_string(critical.size()) + " Critical entries";
  std::optional<double> base;
  if (ctx.baseline) {
    auto it = ctx.baseline->items.find("bmc.sel_critical");
    if (it != ctx.baseline->items.end()) base = it->second.number;
  }
  CheckItem item;
  if (base) {
    std::string threshold = "<= " + Num(*base) + " (baseline)";
    item = count > *base ? Item(Verdict::kFail, "bmc.sel_critical", threshold, value,
                                Num(count - *base) + " Critical log entries since the baseline (" +
                                    Num(*base) + " then); newest: " + Join(newest, " | "))
                         : Item(Verdict::kPass, "bmc.sel_critical", threshold, value, "");
  } else {
    item = critical.empty() ? Item(Verdict::kPass, "bmc.sel_critical", "== 0", value, "")
                            : Item(Verdict::kFail, "bmc.sel_critical", "== 0", value,
                                   std::to_string(critical.size()) +
                                       " Critical log entries; newest: " + Join(newest, " | "));
  }
  item.number = count;
  return item;
}

CheckItem Bios(const BmcSnapshot& s) {
  if (s.bios_vendor.empty() && s.bios_version.empty())
    return Item(Verdict::kSkip, "bmc.bios", "recorded", "",
                "the BMC reports neither a BIOS vendor nor a BIOS version");
  std::string value = s.bios_vendor.empty()    ? s.bios_version
                      : s.bios_version.empty() ? s.bios_vendor
                                               : s.bios_vendor + " " + s.bios_version;
  std::string reason;
  if (s.bios_vendor.empty())
    reason = "the BMC does not name the BIOS vendor (Redfish has no standard field for it)";
  if (s.bios_version.empty()) reason = "the BMC does not report the BIOS version";
  return Item(Verdict::kPass, "bmc.bios", "recorded", value, reason);
}

void Assets(const BmcSnapshot& s, const CheckContext& ctx, Findings* out) {
  auto add = [&](std::string kind, std::string slot, std::string vendor, std::string model,
                 std::string serial, std::string version) {
    if (vendor.empty() && model.empty() && serial.empty() && version.empty()) return;
    out->assets.push_back(AssetRecord{ctx.node, std::move(kind), std::move(slot), std::move(vendor),
                                      std::move(model), std::move(serial), std::move(version),
                                      s.source});
  };
  add("system", "", s.manufacturer, s.model, s.serial, s.bios_version);
  add("bios", "", s.bios_vendor, "", "", s.bios_version);
  add("board", "", s.board_manufacturer, s.board_product, s.board_serial, "");
  add("bmc", "", "", "", "", s.bmc_firmware);
  for (const BmcPart& p : s.parts) {
    if (p.serial.empty() || p.health == PartHealth::kAbsent) continue;
    if (p.kind == "psu" || p.kind == "memory" || p.kind == "disk")
      add(p.kind, p.name, "", p.model, p.serial, "");
  }
}

}  // namespace

void JudgeBmc(const BmcSnapshot& snapshot, const CheckContext& ctx, Findings* out) {
  if (!ctx.AtLeast(kLevel)) return;
  std::vector<CheckItem> part_items;
  std::map<std::string, int> seen;
  for (const BmcPart& part : snapshot.parts) {
    if (part.kind == "system") continue;  // folded into bmc.system_health
    auto verdict = JudgePart(part);
    if (!verdict) continue;
    std::string id = "bmc." + part.kind + "." + PartIdName(part.name);
    if (int n = ++seen[id]; n > 1) id += "_" + std::to_string(n);
    CheckItem item = Item(verdict->status, id, verdict->threshold, verdict->value, verdict->reason);
    item.number = part.reading;
    part_items.push_back(std::move(item));
  }
  out->Add(SystemHealth(snapshot, part_items));
  for (CheckItem& item : part_items) out->Add(std::move(item));
  if (snapshot.redundancy_problems.empty()) {
    out->Add(Item(Verdict::kPass, "bmc.redundancy", "no redundancy lost",
                  "no redundancy problem reported", ""));
  } else {
    std::string problems = Join(snapshot.redundancy_problems, "; ");
    out->Add(Item(Verdict::kFail, "bmc.redundancy", "no redundancy lost", problems,
                  "the BMC reports lost or degraded redundancy: " + problems));
  }
  out->Add(SelCritical(snapshot, ctx));
  out->Add(Bios(snapshot));
  Assets(snapshot, ctx, out);
  for (auto [name, value] : {std::pair{"bmc.bios_vendor", &snapshot.bios_vendor},
                             std::pair{"bmc.bios_version", &snapshot.bios_version},
                             std::pair{"bmc.firmware", &snapshot.bmc_firmware}}) {
    if (!value->empty()) out->facts.emplace_back(name, *value);
  }
}

}  // namespace hai::hwcheck::bmc
