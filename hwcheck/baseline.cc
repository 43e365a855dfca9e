#include "hwcheck/baseline.h"

#include "hwcheck/report_json.h"

namespace hai::hwcheck {

std::optional<double> Baseline::Number(std::string_view id) const {
  const CheckItem* item = Item(id);
  if (!item) return std::nullopt;
  return item->number;
}

const CheckItem* Baseline::Item(std::string_view id) const {
  auto it = items.find(id);
  return it == items.end() ? nullptr : &it->second;
}

Result<Baseline> LoadBaseline(const std::string& path) {
  HAI_ASSIGN_OR_RETURN(Report report, LoadReportJson(path));
  Baseline b;
  b.path = path;
  b.node = report.node;
  for (CheckItem& item : report.findings.items) {
    const std::string id = item.id;
    if (!b.items.emplace(id, std::move(item)).second)
      return Status::InvalidArgument(path + ": items: id \"" + id + "\" appears twice", "items");
  }
  b.assets = std::move(report.findings.assets);
  for (auto& [name, value] : report.findings.facts) b.facts[name] = value;
  return b;
}

}  // namespace hai::hwcheck
