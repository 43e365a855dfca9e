#pragma once

// Test-only: an 8-NPU 910B3 node whose tools answer from recorded fixtures.
// Healthy by default; tests swap single answers to make it sick.

#include <string>
#include <vector>

#include "hwcheck/ascend/ascend_test_support.h"
#include "hwcheck/context.h"
#include "lib/accel/fake_command_runner.h"

namespace hai::hwcheck::ascend::testing {

class FakeAscendNode {
 public:
  static constexpr int kNpus = 8;

  FakeAscendNode() : tools_(runner_, evidence_) {
    profile_.vendor = accel::Vendor::kAscend;
    profile_.name = "test-910b3";
    profile_.device_count = kNpus;
    profile_.device_model = "Ascend910B3";
    profile_.device_memory_mib = 65536;
    ctx_.node = "n1";
    ctx_.profile = &profile_;
    ctx_.tools = &tools_;
    ctx_.root = root_.path();
  }

  // The npu-smi, ascend-dmi and hccl_test answers of a healthy node.
  void AddHealthyNpuTools() {
    Npu({"info", "-m"}, Fixture("npu-smi-info-m.txt"));
    Npu({"info", "-l"}, Fixture("npu-smi-info-l.txt"));
    Npu({"info", "-t", "topo"}, AccelFixture("ascend/npu-smi-topo-910b.txt"));
    for (int i = 0; i < kNpus; ++i) {
      NpuQuery("health", i, AccelFixture("ascend/npu-smi-health-ok.txt"));
      NpuQuery("memory", i, AccelFixture("ascend/npu-smi-memory.txt"));
      NpuQuery("ecc", i, AccelFixture("ascend/npu-smi-ecc.txt"));
      NpuQuery("board", i, AccelFixture("ascend/npu-smi-board.txt"));
    }
    runner_.AddFile({"ascend-dmi", "--bw", "-t", "h2d", "-s", "536870912", "--et", "50", "-q"},
                    Fixture("ascend-dmi-bw-h2d.txt"));
    runner_.AddFile({"ascend-dmi", "--bw", "-t", "d2d", "-q"}, Fixture("ascend-dmi-bw-d2d.txt"));
    runner_.AddFile({"ascend-dmi", "-f", "-t", "fp16", "-q"}, Fixture("ascend-dmi-fp16.txt"));
    std::vector<std::string> intra = {"mpirun", "-n", "8"};
    for (const std::string& a : AllReduceArgs()) intra.push_back(a);
    runner_.AddFile(intra, Fixture("hccl-allreduce-8.txt"));
  }

  // The hccn_tool answers of eight healthy ports (TLS off everywhere).
  void AddHealthyHccnTools() {
    for (int i = 0; i < kNpus; ++i) {
      Hccn(i, "-link", "hccn-link-up.txt");
      Hccn(i, "-ip", "hccn-ip.txt");
      Hccn(i, "-speed", "hccn-speed.txt");
      Hccn(i, "-net_health", "hccn-net-health-success.txt");
      Hccn(i, "-fec", "hccn-fec-rs.txt");
      Hccn(i, "-optical", "hccn-optical.txt");
      Hccn(i, "-stat_extra", "hccn-stat-extra.txt");
      Hccn(i, "-stat", "hccn-stat.txt");
      Hccn(i, "-link_stat", "hccn-link-stat.txt");
      Hccn(i, "-tls", "hccn-tls-disable.txt");
    }
  }

  std::vector<std::string> AllReduceArgs() const {
    return {ctx_.ascend_dir + "/ascend-toolkit/latest/tools/hccl_test/bin/all_reduce_test",
            "-p",
            "8",
            "-b",
            "8K",
            "-e",
            "1G",
            "-f",
            "2"};
  }
  void Npu(std::vector<std::string> args, const std::string& path) {
    args.insert(args.begin(), "npu-smi");
    runner_.AddFile(args, path);
  }
  void NpuQuery(const std::string& type, int i, const std::string& path) {
    Npu({"info", "-t", type, "-i", std::to_string(i)}, path);
  }
  void Hccn(int i, const std::string& command, const std::string& fixture) {
    runner_.AddFile(HccnArgv(i, command), Fixture(fixture));
  }
  std::vector<std::string> HccnArgv(int i, const std::string& command) const {
    return {ctx_.hccn_tool, "-i", std::to_string(i), command, "-g"};
  }

  accel::FakeCommandRunner& runner() { return runner_; }
  HwProfile& profile() { return profile_; }
  CheckContext& ctx() { return ctx_; }
  const CheckContext& ctx() const { return ctx_; }
  const std::string& root() const { return root_.path(); }

 private:
  accel::FakeCommandRunner runner_;
  EvidenceStore evidence_{""};
  ToolRunner tools_;
  HwProfile profile_;
  TempRoot root_;
  CheckContext ctx_;
};

// Every item that is not a PASS, as "id STATUS", in order.
inline std::vector<std::string> NotPassing(const Findings& f) {
  std::vector<std::string> out;
  for (const CheckItem& item : f.items)
    if (item.status != Verdict::kPass)
      out.push_back(item.id + " " + std::string(VerdictName(item.status)));
  return out;
}

}  // namespace hai::hwcheck::ascend::testing
