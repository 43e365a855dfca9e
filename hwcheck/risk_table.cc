#include "hwcheck/risk_table.h"

#include <array>

namespace hai::hwcheck {
namespace {

// Which changes a rule applies to.
enum class When {
  kFail,       // the check is FAIL now (got worse to FAIL)
  kWarn,       // the check is WARN now
  kWorseOrUp,  // got worse, or its counter grew
  kDown,       // its performance number dropped
  kFact,       // a fact changed
  kSerial,     // a serial changed
  kAnyWorse,   // got worse (any status)
};

struct Rule {
  std::string_view prefix;  // id prefix; "" matches every id
  When when;
  Risk risk;
  std::string_view en;
  std::string_view zh;
};

// reference/appliance-hw.md §8 "Risk mapping" (SeparateNPU / HBM double-bit ⇒
// high, recurring RestartNPU ⇒ medium, single-bit growth / optical drift ⇒
// low), §1.5 (ascend-dmi HBM check, replace on EMERGENCY_WARN), §6 (fault
// levels). First match wins; the last rows catch everything else.
constexpr std::array kRules = {
    // --- high: the part is failing; replace it.
    Rule{"npu.ecc_double.", When::kWorseOrUp, Risk::kHigh,
         "HBM double-bit ECC errors: isolate the NPU, run the ascend-dmi HBM check and replace the "
         "module if it reports EMERGENCY_WARN.",
         "HBM 出现多比特 ECC 错误：隔离该 NPU，运行 ascend-dmi HBM 检查，若报 EMERGENCY_WARN "
         "则更换模组。"},
    Rule{"npu.health.", When::kFail, Risk::kHigh,
         "NPU in Alarm/Critical: take it out of service, collect msnpureport logs and replace the "
         "card if a reset does not clear the fault.",
         "NPU 处于告警/严重状态：停止使用该卡，收集 msnpureport 日志，复位无效则更换。"},
    Rule{"host.smart.", When::kFail, Risk::kHigh,
         "SMART health failed: copy the data off and replace the disk.",
         "SMART 健康检查失败：迁移数据并更换硬盘。"},
    Rule{"host.edac.ue", When::kWorseOrUp, Risk::kHigh,
         "Uncorrectable host memory errors: replace the DIMM the EDAC counters point at.",
         "主机内存出现不可纠正错误：按 EDAC 计数定位并更换内存条。"},
    Rule{"bmc.fan.", When::kFail, Risk::kHigh, "Fan failed: replace the fan module.",
         "风扇故障：更换风扇模块。"},
    Rule{"bmc.psu.", When::kFail, Risk::kHigh,
         "Power supply failed: replace the PSU and check redundancy is restored.",
         "电源故障：更换电源模块并确认冗余恢复。"},
    // --- medium: degrading; plan maintenance.
    Rule{"npu.health.", When::kAnyWorse, Risk::kMedium,
         "NPU warning or recurring error codes: reset the NPU in a maintenance window and watch "
         "whether the codes come back.",
         "NPU 告警或错误码反复出现：在维护窗口复位 NPU，并观察错误码是否复现。"},
    Rule{"npu_nic.link_flaps.", When::kWorseOrUp, Risk::kMedium,
         "RoCE link flaps: reseat or replace the optical module and cable, check the switch port.",
         "RoCE 链路闪断：重新插拔或更换光模块与线缆，检查交换机端口。"},
    Rule{"npu_nic.cw_uncorrect.", When::kWorseOrUp, Risk::kMedium,
         "Uncorrectable FEC code words: clean or replace the optics and cable on this port.",
         "出现不可纠正的 FEC 码字：清洁或更换该端口的光模块与线缆。"},
    Rule{"npu_nic.ber.", When::kWorseOrUp, Risk::kMedium,
         "Bit error rate rose: clean or replace the optics and cable on this port.",
         "误码率上升：清洁或更换该端口的光模块与线缆。"},
    Rule{"npu_nic.fec.", When::kAnyWorse, Risk::kMedium,
         "FEC mode is not RS: restore RS-FEC on the port and on the switch.",
         "FEC 模式不是 RS：在端口与交换机上恢复 RS-FEC。"},
    Rule{"roce.errors.", When::kWorseOrUp, Risk::kMedium,
         "RoCE error counters grew under load: check PFC/ECN configuration (hai-netconf verify) "
         "and the link quality.",
         "负载下 RoCE 错误计数增长：检查 PFC/ECN 配置（hai-netconf verify）和链路质量。"},
    Rule{"bmc.temperature.", When::kAnyWorse, Risk::kMedium,
         "Temperature above its threshold: check airflow, fans and the room cooling.",
         "温度超过阈值：检查风道、风扇和机房制冷。"},
    Rule{"bmc.sel_critical", When::kWorseOrUp, Risk::kMedium,
         "New Critical events in the BMC log: read them and act on the part they name.",
         "BMC 日志出现新的严重事件：查看并处理所指部件。"},
    Rule{"host.smart_realloc.", When::kWorseOrUp, Risk::kMedium,
         "Reallocated sectors grew: plan to replace the disk.", "重映射扇区增加：计划更换硬盘。"},
    Rule{"host.smart_pending.", When::kWorseOrUp, Risk::kMedium,
         "Pending sectors grew: plan to replace the disk.", "待映射扇区增加：计划更换硬盘。"},
    Rule{"", When::kDown, Risk::kMedium,
         "Bandwidth or compute fell more than 10 % below acceptance: rerun at r3/r4, check "
         "topology, link speed and thermal throttling.",
         "带宽或算力比验收基线下降超过 10%：重跑 r3/r4，检查拓扑、链路速率和降频。"},
    // --- low: record and watch.
    Rule{"npu.ecc_single.", When::kWorseOrUp, Risk::kLow,
         "Single-bit ECC errors grew: keep watching the trend at each inspection.",
         "单比特 ECC 错误增长：每次巡检持续跟踪趋势。"},
    Rule{"host.edac.ce", When::kWorseOrUp, Risk::kLow,
         "Correctable host memory errors grew: watch the trend, replace the DIMM if it keeps "
         "rising.",
         "主机内存可纠正错误增长：跟踪趋势，持续上升则更换内存条。"},
    Rule{"npu_nic.optical.", When::kAnyWorse, Risk::kLow,
         "Optical power drifted: clean the connectors and watch; replace the module if it leaves "
         "its thresholds.",
         "光功率漂移：清洁连接器并观察，超出阈值则更换光模块。"},
    Rule{"", When::kFact, Risk::kLow,
         "A version or setting changed since acceptance: confirm it was a planned change and "
         "record it.",
         "版本或配置与验收时不同：确认是否为计划内变更并记录。"},
    Rule{"", When::kSerial, Risk::kLow,
         "A serial number changed: confirm the part was replaced on purpose and update the asset "
         "ledger.",
         "序列号发生变化：确认部件为计划内更换并更新资产台账。"},
    Rule{"", When::kFail, Risk::kMedium,
         "A check that did not fail at acceptance fails now: see its reason and evidence.",
         "验收时未失败的检查现在失败：查看原因与证据。"},
    Rule{"", When::kWorseOrUp, Risk::kLow,
         "A check is worse than at acceptance: see its reason and watch it.",
         "检查结果比验收时差：查看原因并持续关注。"},
};

bool Matches(std::string_view id, std::string_view prefix) {
  return id.substr(0, prefix.size()) == prefix;
}

bool Applies(When when, Change change, Verdict status) {
  const bool worse = change == Change::kWorse;
  switch (when) {
    case When::kFail:
      return worse && status == Verdict::kFail;
    case When::kWarn:
      return worse && status == Verdict::kWarn;
    case When::kAnyWorse:
      return worse;
    case When::kWorseOrUp:
      return worse || change == Change::kNumberUp;
    case When::kDown:
      return change == Change::kNumberDown;
    case When::kFact:
      return change == Change::kFactChanged;
    case When::kSerial:
      return change == Change::kSerialChanged;
  }
  return false;
}

constexpr std::array<std::string_view, 8> kGrowthCounters = {
    "npu.ecc_single.",     "npu.ecc_double.", "npu.ecc_isolated_pages.", "host.smart_realloc.",
    "host.smart_pending.", "host.edac.",      "npu_nic.link_flaps.",     "npu_nic.cw_uncorrect."};

constexpr std::array<std::string_view, 8> kPerformance = {"npu.h2d_bw.",
                                                          "npu.d2d_bw.",
                                                          "npu.fp16_tflops.",
                                                          "npu.allreduce.busbw",
                                                          "cluster.allreduce.busbw",
                                                          "roce.pair.",
                                                          "rdma.pair.",
                                                          "tcp.pair."};

}  // namespace

std::string_view RiskName(Risk r) {
  switch (r) {
    case Risk::kHigh:
      return "high";
    case Risk::kMedium:
      return "medium";
    case Risk::kLow:
      return "low";
  }
  return "low";
}

std::optional<Risk> ParseRisk(std::string_view name) {
  if (name == "high") return Risk::kHigh;
  if (name == "medium") return Risk::kMedium;
  if (name == "low") return Risk::kLow;
  return std::nullopt;
}

RiskEntry ClassifyAnomaly(std::string_view id, Change change, Verdict status) {
  for (const Rule& rule : kRules) {
    if (Matches(id, rule.prefix) && Applies(rule.when, change, status))
      return {rule.risk, rule.en, rule.zh};
  }
  // kNumberUp/kWorse always meet the kWorseOrUp catch-all; kept for the compiler.
  return {Risk::kLow, kRules.back().en, kRules.back().zh};
}

bool IsGrowthCounter(std::string_view id) {
  for (std::string_view p : kGrowthCounters)
    if (Matches(id, p)) return true;
  return id == "bmc.sel_critical" || Matches(id, "roce.errors.") || Matches(id, "npu_nic.ber.");
}

bool IsPerformanceNumber(std::string_view id) {
  for (std::string_view p : kPerformance)
    if (Matches(id, p)) return true;
  return false;
}

}  // namespace hai::hwcheck
