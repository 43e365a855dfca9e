#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "hwcheck/report.h"
#include "lib/base/status.h"

namespace hai::hwcheck {

// `hai-hwcheck cluster a.json b.json …`: the nodes' reports side by side.
// One item per fact any node reported, "cluster.<fact>" (so
// "cluster.versions.driver"): PASS when every node has the same value, FAIL
// naming the node(s) that differ from the others, WARN when a node did not
// report it. Then "cluster.node.<node>": that node's worst result.
// Errors (fewer than two reports, a node name twice) name the files.
struct NodeReport {
  std::string source;  // file path, for messages
  Report report;
};
Result<Report> SummarizeCluster(const std::vector<NodeReport>& nodes);

// The whole subcommand: load, summarise, print, write; returns the exit status.
int RunClusterCommand(const std::vector<std::string>& paths, const std::string& json_path,
                      const std::string& html_path, std::ostream& out, std::ostream& err);

}  // namespace hai::hwcheck
