#include "hwcheck/cluster_summary.h"

#include <algorithm>
#include <map>
#include <set>

#include "hwcheck/report_json.h"
#include "hwcheck/report_output.h"

namespace hai::hwcheck {
namespace {

std::string Join(const std::vector<std::string>& parts, const std::string& sep = ", ") {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// nodes in report order → the fact's value, absent when not reported.
CheckItem CompareFact(const std::string& fact, const std::vector<std::string>& node_order,
                      const std::map<std::string, std::string>& by_node) {
  const std::string id = "cluster." + fact;
  const std::string category = fact.rfind("versions.", 0) == 0 ? "versions" : "cluster";
  const std::string threshold = "same on every node";
  std::map<std::string, std::vector<std::string>> nodes_by_value;
  std::vector<std::string> missing, shown;
  for (const std::string& node : node_order) {
    auto it = by_node.find(node);
    if (it == by_node.end()) {
      missing.push_back(node);
      continue;
    }
    nodes_by_value[it->second].push_back(node);
    shown.push_back(node + "=" + it->second);
  }
  if (nodes_by_value.size() == 1) {
    const std::string& value = nodes_by_value.begin()->first;
    if (missing.empty()) return Pass(id, Level::kR1, category, threshold, value);
    return Warn(id, Level::kR1, category, threshold, value,
                "not reported by " + Join(missing) + "; the others agree on \"" + value + "\"");
  }
  // The value most nodes have (ties: the first in sorted order); every other node is odd.
  auto majority = std::max_element(
      nodes_by_value.begin(), nodes_by_value.end(),
      [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
  const bool clear_majority =
      std::count_if(nodes_by_value.begin(), nodes_by_value.end(),
                    [&](const auto& e) { return e.second.size() == majority->second.size(); }) == 1;
  std::string reason;
  if (clear_majority) {
    std::vector<std::string> odd;
    for (const auto& [value, nodes] : nodes_by_value) {
      if (value == majority->first) continue;
      for (const std::string& n : nodes) odd.push_back(n + " has \"" + value + "\"");
    }
    reason = Join(odd, "; ") + " where " + Join(majority->second) + " " +
             (majority->second.size() == 1 ? "has" : "have") + " \"" + majority->first + "\"";
  } else {
    std::vector<std::string> groups;
    for (const auto& [value, nodes] : nodes_by_value)
      groups.push_back(Join(nodes) + " \"" + value + "\"");
    reason = "nodes disagree with no majority: " + Join(groups, "; ");
  }
  if (!missing.empty()) reason += "; not reported by " + Join(missing);
  return Fail(id, Level::kR1, category, threshold, Join(shown), reason);
}

CheckItem NodeVerdict(const NodeReport& n) {
  const Summary s = Summarize(n.report.findings.items);
  const std::string id = "cluster.node." + n.report.node;
  const std::string value = "PASS " + std::to_string(s.pass) + ", WARN " + std::to_string(s.warn) +
                            ", FAIL " + std::to_string(s.fail) + ", SKIP " + std::to_string(s.skip);
  CheckItem item = Pass(id, n.report.level, "cluster", "worst result of the node's report", value);
  item.status = s.worst;
  if (s.worst == Verdict::kPass) return item;
  if (s.worst == Verdict::kSkip) {
    item.reason = n.source + ": every check was skipped";
    return item;
  }
  std::vector<std::string> worst_ids;
  for (const CheckItem& i : n.report.findings.items)
    if (i.status == s.worst && worst_ids.size() < 5) worst_ids.push_back(i.id);
  const int total = s.worst == Verdict::kFail ? s.fail : s.warn;
  item.reason = n.source + ": " + std::string(VerdictName(s.worst)) + " in " + Join(worst_ids) +
                (total > 5 ? " and " + std::to_string(total - 5) + " more" : "");
  return item;
}

}  // namespace

Result<Report> SummarizeCluster(const std::vector<NodeReport>& nodes) {
  if (nodes.size() < 2)
    return Status::InvalidArgument("cluster: give two or more reports (got " +
                                   std::to_string(nodes.size()) + ")");
  std::map<std::string, std::string> source_of_node;
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, std::string>> facts;  // fact → node → value
  Report out;
  out.node = "cluster";
  out.profile = "";
  for (const NodeReport& n : nodes) {
    auto [it, fresh] = source_of_node.emplace(n.report.node, n.source);
    if (!fresh)
      return Status::InvalidArgument("cluster: " + it->second + " and " + n.source +
                                     " are both reports of node \"" + n.report.node + "\"");
    order.push_back(n.report.node);
    for (const auto& [name, value] : n.report.findings.facts) facts[name][n.report.node] = value;
    if (static_cast<int>(n.report.level) > static_cast<int>(out.level)) out.level = n.report.level;
    for (const AssetRecord& a : n.report.findings.assets) out.findings.assets.push_back(a);
  }
  for (const auto& [fact, by_node] : facts) out.findings.Add(CompareFact(fact, order, by_node));
  for (const NodeReport& n : nodes) out.findings.Add(NodeVerdict(n));
  return out;
}

int RunClusterCommand(const std::vector<std::string>& paths, const std::string& json_path,
                      const std::string& html_path, std::ostream& out, std::ostream& err) {
  for (const auto& [flag, path] : {std::pair{"--json", json_path}, {"--html", html_path}}) {
    if (path.empty()) continue;
    if (Status st = CheckWritablePath(flag, path); !st.ok()) {
      err << "hai-hwcheck cluster: " << st.message() << "\n";
      return kExitUsage;
    }
  }
  std::vector<NodeReport> nodes;
  const std::string started = NowRfc3339();
  for (const std::string& path : paths) {
    auto report = LoadReportJson(path);
    if (!report.ok()) {
      err << "hai-hwcheck cluster: " << report.status().message() << "\n";
      return kExitUsage;
    }
    nodes.push_back({path, std::move(*report)});
  }
  auto summary = SummarizeCluster(nodes);
  if (!summary.ok()) {
    err << "hai-hwcheck " << summary.status().message() << "\n";
    return kExitUsage;
  }
  summary->started = started;
  summary->finished = NowRfc3339();
  out << RenderSummaryTable(*summary);
  if (Status st = WriteReportFiles(*summary, json_path, html_path); !st.ok()) {
    err << "hai-hwcheck cluster: " << st.message() << "\n";
    return ExitCodeFor(Verdict::kFail);
  }
  return ExitCodeFor(Summarize(summary->findings.items).worst);
}

}  // namespace hai::hwcheck
