// hccl_test all-reduce (reference/appliance-hw.md §1.4, §8 r3/r4):
//   r3 intra-node: mpirun -n <N> <ascend_dir>/ascend-toolkit/latest/tools/hccl_test/bin/
//                  all_reduce_test -p <N> -b 8K -e 1G -f 2
//   r4 all nodes:  mpirun -f <hostfile> -n <ranks> … all_reduce_test -p <N> -b 8K -e 1G -f 2
// N is this node's NPU count; ranks is the sum of the hostfile's `host:slots`
// (a line without slots counts N). The `-f hostfile` form is MPICH's, which
// hccl_test is built against (§1.4); check_result is on by default (-c 1).
// busbw at the largest size = alg_bandwidth × 2(n−1)/n (§0.4).
#include <filesystem>
#include <fstream>
#include <optional>

#include "hwcheck/ascend/hccl_test_result.h"
#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/npu_check_steps.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "npu";
constexpr std::chrono::seconds kHcclTimeout{600};

// The ranks a hostfile asks for; nullopt when it cannot be read or is empty.
std::optional<int> HostfileRanks(const std::string& path, int per_node) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  int ranks = 0;
  std::string line;
  for (int lines = 0; lines < 10000 && std::getline(in, line); ++lines) {
    std::string_view l = accel::TrimText(line);
    if (l.empty() || l.front() == '#') continue;
    size_t colon = l.rfind(':');
    std::optional<double> slots = colon == std::string_view::npos
                                      ? std::nullopt
                                      : accel::ParseToolNumber(l.substr(colon + 1));
    ranks += slots ? static_cast<int>(*slots) : per_node;
  }
  if (ranks <= 0) return std::nullopt;
  return ranks;
}

void Judge(const CheckContext& ctx, const std::string& prefix, Level level, int ranks,
           const ToolRun& run, Findings* out) {
  const std::string check_id = prefix + ".check", bw_id = prefix + ".busbw";
  if (run.missing || !run.output.ok()) {
    out->Add(ToolProblem(check_id, level, kCategory, run));
    out->Add(ToolProblem(bw_id, level, kCategory, run));
    return;
  }
  std::string all = run.text() + "\n" + run.output->stderr_text;
  Result<HcclTestResult> result = ParseHcclTest(all);
  std::string threshold = "check_result success for every size";
  CheckItem check;
  if (!result.ok()) {
    check = Fail(check_id, level, kCategory, threshold, "",
                 run.ok() ? result.status().message() : run.problem);
  } else {
    int failed = 0, unchecked = 0;
    for (const HcclRow& row : result->rows) {
      if (row.check == "failed")
        ++failed;
      else if (row.check != "success")
        ++unchecked;
    }
    std::string value =
        std::to_string(result->rows.size()) + " sizes, " + std::to_string(failed) + " failed";
    if (!result->failures.empty())
      check = Fail(check_id, level, kCategory, threshold, value, result->failures.front());
    else if (failed > 0)
      check = Fail(check_id, level, kCategory, threshold, value,
                   std::to_string(failed) + " sizes failed the result check.");
    else if (!run.ok())
      check = Fail(check_id, level, kCategory, threshold, value, run.problem);
    else if (result->rows.empty())
      check =
          Fail(check_id, level, kCategory, threshold, value, "hccl_test printed no result row.");
    else if (unchecked > 0)
      check = Warn(check_id, level, kCategory, threshold, value,
                   std::to_string(unchecked) + " sizes were not verified (check_result NULL).");
    else
      check = Pass(check_id, level, kCategory, threshold, value);
  }
  out->Add(WithEvidence(std::move(check), run));

  const HcclRow* largest = result.ok() ? result->Largest() : nullptr;
  if (!largest) {
    out->Add(WithEvidence(
        Fail(bw_id, level, kCategory, "", "", "hccl_test gave no bandwidth to judge."), run));
    return;
  }
  double busbw = AllReduceBusBandwidth(largest->alg_bandwidth_gbs, ranks);
  const HwProfile& p = *ctx.profile;
  CheckItem bw = JudgeAtLeast(ctx, bw_id, level, kCategory, busbw, "GB/s",
                              {p.allreduce_min_busbw_gbps, p.baseline_bandwidth_fraction},
                              "All-reduce bus bandwidth");
  bw.value +=
      " busbw at " + std::to_string(largest->bytes) + " B over " + std::to_string(ranks) + " ranks";
  out->Add(WithEvidence(std::move(bw), run));
}

std::vector<std::string> TestArgs(const CheckContext& ctx, int per_node) {
  return {ctx.ascend_dir + "/ascend-toolkit/latest/tools/hccl_test/bin/all_reduce_test",
          "-p",
          std::to_string(per_node),
          "-b",
          "8K",
          "-e",
          "1G",
          "-f",
          "2"};
}

}  // namespace

void AddAllReduceChecks(const CheckContext& ctx, const NpuRoster& roster, Findings* out) {
  const int n = static_cast<int>(roster.chips.size());
  std::vector<std::string> test = TestArgs(ctx, n);
  std::error_code ec;
  if (!std::filesystem::exists(ctx.Path(test.front()), ec)) {
    std::string reason = test.front() + " not found";
    if (ctx.AtLeast(Level::kR3))
      for (const char* id : {"npu.allreduce.check", "npu.allreduce.busbw"})
        out->Add(Skip(id, Level::kR3, kCategory, reason));
    if (ctx.AtLeast(Level::kR4))
      for (const char* id : {"cluster.allreduce.check", "cluster.allreduce.busbw"})
        out->Add(Skip(id, Level::kR4, kCategory, reason));
    return;
  }
  if (ctx.AtLeast(Level::kR3)) {
    std::vector<std::string> argv = {"mpirun", "-n", std::to_string(n)};
    argv.insert(argv.end(), test.begin(), test.end());
    Judge(ctx, "npu.allreduce", Level::kR3, n, ctx.tools->Run(argv, kHcclTimeout), out);
  }
  if (!ctx.AtLeast(Level::kR4)) return;
  if (ctx.hostfile.empty()) {
    for (const char* id : {"cluster.allreduce.check", "cluster.allreduce.busbw"})
      out->Add(
          Skip(id, Level::kR4, kCategory, "No --hostfile given for the multi-node all-reduce."));
    return;
  }
  std::optional<int> ranks = HostfileRanks(ctx.hostfile, n);
  if (!ranks) {
    for (const char* id : {"cluster.allreduce.check", "cluster.allreduce.busbw"})
      out->Add(Fail(id, Level::kR4, kCategory, "", "",
                    "Hostfile " + ctx.hostfile + " is unreadable or lists no host."));
    return;
  }
  std::vector<std::string> argv = {"mpirun", "-f", ctx.hostfile, "-n", std::to_string(*ranks)};
  argv.insert(argv.end(), test.begin(), test.end());
  Judge(ctx, "cluster.allreduce", Level::kR4, *ranks, ctx.tools->Run(argv, kHcclTimeout), out);
}

}  // namespace hai::hwcheck::ascend
