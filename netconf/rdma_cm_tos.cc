#include "netconf/rdma_cm_tos.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "lib/accel/tool_text.h"
#include "netconf/file_text.h"

namespace hai::netconf {
namespace {

constexpr char kRoceV2[] = "RoCE v2";

std::string PortDir(const Environment& env, const HostNic& nic) {
  return env.configfs_root + "/rdma_cm/" + nic.hca + "/ports/" + std::to_string(nic.hca_port);
}

}  // namespace

void ApplyRdmaCmTos(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                    Report* report) {
  for (const HostNic& nic : node.nics) {
    if (nic.hca.empty()) continue;
    const std::string item = "host." + nic.name + ".rdma_cm";
    const std::string top = env.configfs_root + "/rdma_cm";
    if (!PathExists(top)) {
      report->failures.push_back(item + ": " + top +
                                 " missing (mount configfs and load rdma_cm: modprobe rdma_cm)");
      continue;
    }
    const std::string hca_dir = top + "/" + nic.hca;
    if (mkdir(hca_dir.c_str(), 0755) != 0 && errno != EEXIST) {
      report->failures.push_back(item + ": mkdir " + hca_dir + ": " + strerror(errno));
      continue;
    }
    const std::string port = PortDir(env, nic);
    if (!PathExists(port)) {
      report->failures.push_back(item + ": " + port + " missing (is " + nic.hca +
                                 " an RDMA device with port " + std::to_string(nic.hca_port) + "?)");
      continue;
    }
    for (auto [file, value] : {std::pair{std::string("default_roce_mode"), std::string(kRoceV2)},
                               {"default_roce_tos", std::to_string(plan.RoceTos())}}) {
      Status st = WriteAttribute(port + "/" + file, value);
      if (st.ok()) report->actions.push_back(item + ": " + file + " = " + value);
      else report->failures.push_back(item + ": " + st.message());
    }
  }
}

void VerifyRdmaCmTos(const FabricPlan& plan, const NodePlan& node, const Environment& env,
                     Report* report) {
  for (const HostNic& nic : node.nics) {
    if (nic.hca.empty()) continue;
    const std::string port = PortDir(env, nic);
    for (auto [file, value] : {std::pair{std::string("default_roce_mode"), std::string(kRoceV2)},
                               {"default_roce_tos", std::to_string(plan.RoceTos())}}) {
      auto text = ReadText(port + "/" + file);
      std::string actual = text.ok() ? std::string(accel::TrimText(*text)) : "absent";
      if (actual != value)
        report->Diff("configfs.rdma_cm." + nic.hca + ".ports." + std::to_string(nic.hca_port) +
                         "." + file,
                     value, actual);
    }
  }
}

}  // namespace hai::netconf
