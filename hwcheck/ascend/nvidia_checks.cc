// RunNvidiaChecks: NVIDIA GPUs through nvidia-smi (lib/accel's query and
// parser) and, at r4, host RDMA NICs with perftest's ib_write_bw
// (reference/appliance-hw.md §2.3):
//   ib_write_bw -d <dev> -s 1048576 -D <sec> --report_gbits <peer address>
// against a server the peer starts on the same device name.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "hwcheck/ascend/judge.h"
#include "hwcheck/ascend/perftest_result.h"
#include "hwcheck/ascend/suite_seams.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/suites.h"
#include "lib/accel/nvidia_adapter.h"

namespace hai::hwcheck::ascend {
namespace {

constexpr const char* kCategory = "gpu";
constexpr std::chrono::seconds kNvidiaSmiTimeout{30};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// gpu.health.<i>: the GPU answered nvidia-smi, is the profile's model and has
// its rated memory (nvidia-smi has no health verdict of its own).
CheckItem Health(const CheckContext& ctx, const accel::NvidiaGpuRow& row) {
  const HwProfile& p = *ctx.profile;
  std::string id = "gpu.health." + std::to_string(row.index);
  std::string model = row.name.starts_with("NVIDIA ") ? row.name.substr(7) : row.name;
  std::string value = model + ", " + std::to_string(row.memory_total_mib) + " MiB";
  std::string threshold = "answers; model " + (p.device_model.empty() ? "any" : p.device_model);
  std::vector<std::string> problems;
  if (!p.device_model.empty() && Lower(model).find(Lower(p.device_model)) == std::string::npos)
    problems.push_back("model " + model + " is not " + p.device_model);
  if (p.device_memory_mib > 0) {
    auto floor = static_cast<int64_t>(p.hbm_min_fraction * p.device_memory_mib);
    threshold += ", memory >= " + std::to_string(floor) + " MiB";
    if (row.memory_total_mib < floor)
      problems.push_back("memory " + std::to_string(row.memory_total_mib) + " MiB below " +
                         std::to_string(floor) + " MiB");
  }
  if (problems.empty()) return Pass(id, Level::kR1, kCategory, threshold, value);
  std::string reason = "GPU " + std::to_string(row.index) + ": ";
  for (size_t i = 0; i < problems.size(); ++i) reason += (i ? "; " : "") + problems[i];
  return Fail(id, Level::kR1, kCategory, threshold, value, reason + ".");
}

CheckItem Ecc(const accel::NvidiaGpuRow& row) {
  std::string id = "gpu.ecc." + std::to_string(row.index);
  if (row.ecc_uncorrected < 0)
    return Skip(id, Level::kR1, kCategory, "nvidia-smi reports no volatile ECC count (N/A).");
  std::string value = std::to_string(row.ecc_uncorrected) + " uncorrected";
  CheckItem item =
      row.ecc_uncorrected == 0
          ? Pass(id, Level::kR1, kCategory, "== 0", value)
          : Fail(id, Level::kR1, kCategory, "== 0", value,
                 "GPU " + std::to_string(row.index) + " has " + value + " volatile ECC errors.");
  item.number = static_cast<double>(row.ecc_uncorrected);
  return item;
}

void AddGpuChecks(const CheckContext& ctx, Findings* out) {
  ToolRun run =
      ctx.tools->Run({"nvidia-smi", "--query-gpu=" + std::string(accel::kNvidiaQueryFields),
                      "--format=csv,noheader,nounits"},
                     kNvidiaSmiTimeout);
  if (!run.ok()) return out->Add(ToolProblem("gpu.count", Level::kR1, kCategory, run));
  Result<std::vector<accel::NvidiaGpuRow>> rows = accel::ParseNvidiaSmiCsv(run.text());
  if (!rows.ok())
    return out->Add(WithEvidence(
        Fail("gpu.count", Level::kR1, kCategory, "", "", rows.status().message()), run));
  int found = static_cast<int>(rows->size());
  int expected = ctx.profile->device_count;
  CheckItem count =
      expected <= 0 ? Pass("gpu.count", Level::kR1, kCategory, "recorded", std::to_string(found))
      : found == expected
          ? Pass("gpu.count", Level::kR1, kCategory, "== " + std::to_string(expected),
                 std::to_string(found))
          : Fail("gpu.count", Level::kR1, kCategory, "== " + std::to_string(expected),
                 std::to_string(found),
                 "nvidia-smi lists " + std::to_string(found) + " GPUs, the profile expects " +
                     std::to_string(expected) + ".");
  count.number = found;
  out->Add(WithEvidence(std::move(count), run));
  for (const accel::NvidiaGpuRow& row : *rows) {
    out->Add(WithEvidence(Health(ctx, row), run));
    out->Add(WithEvidence(Ecc(row), run));
  }
}

std::vector<std::string> RdmaDevices(const CheckContext& ctx) {
  std::vector<std::string> devices;
  std::error_code ec;
  std::filesystem::directory_iterator it(ctx.Path("/sys/class/infiniband"), ec), end;
  for (int n = 0; !ec && it != end && n < 256; it.increment(ec), ++n)
    devices.push_back(it->path().filename().string());
  std::sort(devices.begin(), devices.end());
  return devices;
}

CheckItem RdmaPair(const CheckContext& ctx, const std::string& device, const Peer& peer,
                   const RdmaServerStarter& start_server) {
  std::string id = "rdma.pair." + IdPart(device) + "." + IdPart(peer.name);
  Status started = start_server(peer, ctx.token_file, device, ctx.bandwidth_duration);
  if (!started.ok())
    return Skip(id, Level::kR4, "bandwidth",
                "Peer " + peer.name + " cannot start the ib_write_bw server: " + started.message());
  ToolRun run = ctx.tools->Run(
      {"ib_write_bw", "-d", device, "-s", "1048576", "-D",
       std::to_string(ctx.bandwidth_duration.count()), "--report_gbits", peer.address},
      ctx.bandwidth_duration + std::chrono::seconds(60));
  if (!run.ok()) return ToolProblem(id, Level::kR4, "bandwidth", run);
  Result<PerftestBandwidth> bw = ParsePerftestBandwidth(run.text());
  if (!bw.ok())
    return WithEvidence(Fail(id, Level::kR4, "bandwidth", "", "", bw.status().message()), run);
  CheckItem item =
      JudgeAtLeast(ctx, id, Level::kR4, "bandwidth", bw->average_gbps, "Gb/s",
                   {0, ctx.profile->baseline_bandwidth_fraction}, "RDMA bandwidth to " + peer.name);
  item.value += " (RDMA ib_write_bw)";
  return WithEvidence(std::move(item), run);
}

void AddRdmaChecks(const CheckContext& ctx, const RdmaServerStarter& start_server, Findings* out) {
  std::vector<std::string> devices = RdmaDevices(ctx);
  if (ctx.peers.empty())
    return out->Add(Skip("rdma.pair", Level::kR4, "bandwidth", "No --peer given for r4."));
  if (devices.empty())
    return out->Add(
        Skip("rdma.pair", Level::kR4, "bandwidth", "No RDMA device under /sys/class/infiniband."));
  for (const std::string& device : devices)
    for (const Peer& peer : ctx.peers) out->Add(RdmaPair(ctx, device, peer, start_server));
}

}  // namespace

void RunNvidiaChecksWith(const CheckContext& ctx, const RdmaServerStarter& start_server,
                         Findings* out) {
  if (!ctx.profile || ctx.profile->vendor != accel::Vendor::kNvidia || !ctx.tools) return;
  AddGpuChecks(ctx, out);
  if (ctx.AtLeast(Level::kR4)) AddRdmaChecks(ctx, start_server, out);
}

}  // namespace hai::hwcheck::ascend

namespace hai::hwcheck {

void RunNvidiaChecks(const CheckContext& ctx, Findings* out) {
  ascend::RunNvidiaChecksWith(ctx, StartPeerRdmaServer, out);
}

}  // namespace hai::hwcheck
