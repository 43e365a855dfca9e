#include "hwcheck/check_command.h"

#include <filesystem>

#include "hwcheck/baseline.h"
#include "hwcheck/check_inputs.h"
#include "hwcheck/evidence.h"
#include "hwcheck/inspection.h"
#include "hwcheck/ledger.h"
#include "hwcheck/profile.h"
#include "hwcheck/report_output.h"
#include "hwcheck/tool_runner.h"

namespace hai::hwcheck {
namespace {

namespace fs = std::filesystem;

// Everything a run needs that comes from the command line, checked before any
// tool runs (a bad flag found after an hour of r3 tests helps nobody).
struct Inputs {
  HwProfile profile;
  std::optional<Baseline> baseline;
  std::vector<Peer> peers;
  std::string root;
  std::string bmc_url;
  std::string evidence_dir;
};

Status UsageIf(bool bad, const std::string& message) {
  return bad ? Status::InvalidArgument(message) : Status::Ok();
}

Result<Inputs> CheckInputs(const CliOptions& o, const CheckDeps& deps) {
  Inputs in;
  HAI_ASSIGN_OR_RETURN(in.profile, LoadHwProfile(o.profile));
  if (!o.baseline.empty()) {
    auto baseline = LoadBaseline(o.baseline);
    if (!baseline.ok())
      return Status::InvalidArgument("--baseline: " + baseline.status().message());
    in.baseline = std::move(*baseline);
  }
  HAI_ASSIGN_OR_RETURN(in.peers, ParsePeers(o.peers, o.peer_npu_ips));
  HAI_RETURN_IF_ERROR(
      UsageIf(o.bmc.empty() && !o.bmc_password_file.empty(), "--bmc-password-file needs --bmc"));
  HAI_RETURN_IF_ERROR(UsageIf(o.bmc.empty() && (!o.bmc_ca.empty() || o.bmc_insecure),
                              "--bmc-ca and --bmc-insecure need --bmc"));
  HAI_RETURN_IF_ERROR(UsageIf(!o.bmc_ca.empty() && o.bmc_insecure,
                              "--bmc-ca and --bmc-insecure do not go together"));
  std::error_code ec;
  HAI_RETURN_IF_ERROR(UsageIf(!o.bmc_ca.empty() && !fs::is_regular_file(o.bmc_ca, ec),
                              "--bmc-ca " + o.bmc_ca + ": no such file"));
  HAI_RETURN_IF_ERROR(UsageIf(!o.hostfile.empty() && !fs::is_regular_file(o.hostfile, ec),
                              "--hostfile " + o.hostfile + ": no such file"));
  if (!o.bmc.empty()) {
    HAI_ASSIGN_OR_RETURN(in.bmc_url, BmcUrlWithPasswordFile(o.bmc, o.bmc_password_file));
    if (deps.validate_bmc_url) {
      Status st = deps.validate_bmc_url(in.bmc_url);
      // The message may quote the URL: never with the password in it.
      if (!st.ok()) return Status::InvalidArgument("--bmc: " + st.message());
    }
  }
  if (!o.root.empty()) {
    fs::path root = fs::canonical(o.root, ec);
    if (ec || !fs::is_directory(root, ec))
      return Status::InvalidArgument("--root " + o.root + ": not a directory");
    in.root = root == "/" ? std::string() : root.string();
  }
  if (!o.json.empty()) HAI_RETURN_IF_ERROR(CheckWritablePath("--json", o.json));
  if (!o.html.empty()) HAI_RETURN_IF_ERROR(CheckWritablePath("--html", o.html));
  if (!o.ledger.empty()) HAI_RETURN_IF_ERROR(CheckWritablePath("--ledger", o.ledger));
  in.evidence_dir = o.evidence_dir.empty() ? DefaultEvidenceDir(o.json, o.html) : o.evidence_dir;
  fs::create_directories(in.evidence_dir, ec);
  if (ec || !fs::is_directory(in.evidence_dir, ec))
    return Status::InvalidArgument("--evidence-dir " + in.evidence_dir + ": cannot create it");
  return in;
}

void PrintInspection(const Inspection& in, std::ostream& out) {
  out << "\nInspection against " << in.baseline << ": " << in.anomalies.size() << " anomalies\n";
  for (const Anomaly& a : in.anomalies)
    out << "  [" << RiskName(a.risk) << "] " << a.id << ": " << a.reason << "\n      -> "
        << a.remediation << "\n";
}

}  // namespace

int RunCheckCommand(const CliOptions& o, const CheckDeps& deps, std::ostream& out,
                    std::ostream& err) {
  auto inputs = CheckInputs(o, deps);
  if (!inputs.ok()) {
    err << "hai-hwcheck: " << inputs.status().message() << "\n";
    return kExitUsage;
  }
  EvidenceStore evidence(inputs->evidence_dir);
  ToolRunner tools(*deps.runner, evidence);
  CheckContext ctx;
  ctx.level = o.level;
  ctx.node = o.node.empty() ? deps.hostname : o.node;
  ctx.profile = &inputs->profile;
  ctx.baseline = inputs->baseline ? &*inputs->baseline : nullptr;
  ctx.tools = &tools;
  ctx.root = inputs->root;
  ctx.hccn_tool = o.hccn_tool;
  ctx.ascend_dir = o.ascend_dir;
  ctx.peers = inputs->peers;
  ctx.hostfile = o.hostfile;
  ctx.token_file = o.token_file;
  ctx.bandwidth_duration = std::chrono::seconds(o.duration_s);
  ctx.bmc_url = inputs->bmc_url;
  ctx.bmc_ca_file = o.bmc_ca;
  ctx.bmc_insecure = o.bmc_insecure;

  RunResult run = RunSuites(ctx, deps.suites(ctx));
  Report report;
  report.node = ctx.node;
  report.level = o.level;
  report.profile = o.profile.empty() ? "built-in default" : o.profile;
  report.started = Rfc3339(run.started_ms);
  report.finished = Rfc3339(run.finished_ms);
  report.findings = std::move(run.findings);
  report.evidence_dir = inputs->evidence_dir;
  if (ctx.baseline) report.inspection = Inspect(report.findings, *ctx.baseline);

  out << RenderSummaryTable(report);
  if (report.inspection) PrintInspection(*report.inspection, out);
  int code = ExitCodeFor(Summarize(report.findings.items).worst);
  if (!o.ledger.empty()) {
    auto ledger = WriteLedger(o.ledger, report.findings.assets);
    if (!ledger.ok()) {
      err << "hai-hwcheck: --ledger: " << ledger.status().message() << "\n";
      code = ExitCodeFor(Verdict::kFail);
    } else if (ledger->has_previous) {
      out << "\nAsset ledger changes since " << o.ledger << ":\n"
          << (ledger->diff.empty() ? std::string("  (none)\n")
                                   : RenderLedgerDiffText(ledger->diff));
      report.ledger_diff = ledger->diff;
    }
  }
  if (Status st = WriteReportFiles(report, o.json, o.html); !st.ok()) {
    err << "hai-hwcheck: " << st.message() << "\n";
    code = ExitCodeFor(Verdict::kFail);
  }
  return code;
}

}  // namespace hai::hwcheck
