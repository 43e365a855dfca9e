#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "lib/accel/command_runner.h"
#include "netconf/host_network.h"

namespace hai::netconf {

// One thing verify found different from the plan.
struct DiffLine {
  std::string item;      // "npu.3.pfc", "host.ens1f0.dcb", "file./etc/hccn.conf.address_3"
  std::string expected;
  std::string actual;
  bool operator==(const DiffLine&) const = default;
};

// What apply did and verify found. Empty `failures` and `diffs` = success.
struct Report {
  std::vector<std::string> actions;   // changes made, in order
  std::vector<std::string> failures;  // apply steps that failed
  std::vector<std::string> notes;     // tolerated: unsupported optional knobs, ext-build commands
  std::vector<DiffLine> diffs;

  void Diff(std::string item, std::string expected, std::string actual) {
    diffs.push_back({std::move(item), std::move(expected), std::move(actual)});
  }
};

// Where apply and verify reach the node. Tests point every root at
// temporary trees and hand in test doubles.
struct Environment {
  accel::CommandRunner* runner = nullptr;  // hccn_tool, systemctl
  HostNetwork* host = nullptr;             // host NICs
  std::string root;                        // "" = /; /etc files go under it
  std::string sysfs_root = "/sys";
  std::string configfs_root = "/sys/kernel/config";
  std::string hccn_tool;
  std::chrono::milliseconds timeout{30000};
};

}  // namespace hai::netconf
