#include "netconf/netlink/dcb_message.h"

#include <libmnl/libmnl.h>
#include <linux/dcbnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>

namespace hai::netconf::dcb {
namespace {

// Room for the header, ifname, ETS, PFC and nest headers; APP entries on top.
constexpr size_t kFixedRoom = 512;
constexpr size_t kAppRoom = MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(dcb_app));

// Starts a DCB request in `buf` (sized by the caller) and adds DCB_ATTR_IFNAME.
nlmsghdr* StartMessage(Bytes& buf, uint16_t type, uint8_t cmd, const std::string& ifname,
                       uint32_t seq) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh->nlmsg_seq = seq;
  auto* d = static_cast<dcbmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(dcbmsg)));
  d->dcb_family = AF_UNSPEC;
  d->cmd = cmd;
  mnl_attr_put_strz(nlh, DCB_ATTR_IFNAME, ifname.c_str());
  return nlh;
}

Bytes Finish(Bytes buf, const nlmsghdr* nlh) {
  buf.resize(nlh->nlmsg_len);
  return buf;
}

void PutApps(nlmsghdr* nlh, const std::vector<DscpPrio>& apps) {
  nlattr* table = mnl_attr_nest_start(nlh, DCB_ATTR_IEEE_APP_TABLE);
  for (const auto& [dscp, prio] : apps) {
    dcb_app app{};
    app.selector = IEEE_8021QAZ_APP_SEL_DSCP;
    app.priority = prio;
    app.protocol = dscp;
    mnl_attr_put(nlh, DCB_ATTR_IEEE_APP, sizeof(app), &app);
  }
  mnl_attr_nest_end(nlh, table);
}

size_t RoomFor(size_t apps) { return kFixedRoom + apps * kAppRoom; }

// netlink attributes are 4-byte aligned inside a message; a caller's span
// need not be, so parsing works on an aligned copy.
std::vector<uint32_t> AlignedCopy(std::span<const uint8_t> message) {
  std::vector<uint32_t> copy((message.size() + 3) / 4, 0);
  if (!message.empty()) std::memcpy(copy.data(), message.data(), message.size());
  return copy;
}

// Checks that `message` holds exactly one well-formed netlink message of `type`
// with a dcbmsg of `cmd`; returns its header (pointing into `storage`).
Result<const nlmsghdr*> OpenReply(const std::string& ifname, std::span<const uint8_t> message,
                                  const std::vector<uint32_t>& storage, uint16_t type,
                                  uint8_t cmd) {
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(storage.data());
  const int len = static_cast<int>(message.size());
  if (!mnl_nlmsg_ok(nlh, len) || nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(dcbmsg))) {
    return Status::Internal(ifname + ": truncated DCB netlink reply");
  }
  if (nlh->nlmsg_type == NLMSG_ERROR) {
    return StatusFromErrorMessage(ifname, "DCB reply", message);
  }
  const auto* d = static_cast<const dcbmsg*>(mnl_nlmsg_get_payload(nlh));
  if (nlh->nlmsg_type != type || d->cmd != cmd) {
    return Status::Internal(ifname + ": unexpected DCB netlink reply (type " +
                            std::to_string(nlh->nlmsg_type) + ", cmd " + std::to_string(d->cmd) +
                            ")");
  }
  return nlh;
}

using AttrTable = std::array<const nlattr*, DCB_ATTR_MAX + 1>;
using IeeeTable = std::array<const nlattr*, DCB_ATTR_IEEE_MAX + 1>;

template <typename Table>
int CollectAttr(const nlattr* attr, void* data) {
  auto& table = *static_cast<Table*>(data);
  const uint16_t type = mnl_attr_get_type(attr);
  if (type < table.size()) table[type] = attr;
  return MNL_CB_OK;
}

void ReadEts(const nlattr* attr, IeeeReadback& out) {
  ieee_ets ets{};
  std::memcpy(&ets, mnl_attr_get_payload(attr), sizeof(ets));
  for (size_t i = 0; i < IEEE_8021QAZ_MAX_TCS; ++i) {
    out.config.prio_tc[i] = ets.prio_tc[i];
    out.config.tc_tsa[i] = ets.tc_tsa[i];
    out.config.tc_bw[i] = ets.tc_tx_bw[i];
  }
  out.has_ets = true;
}

void ReadPfc(const nlattr* attr, IeeeReadback& out) {
  ieee_pfc pfc{};
  std::memcpy(&pfc, mnl_attr_get_payload(attr), sizeof(pfc));
  out.config.pfc_enabled = pfc.pfc_en;
  for (size_t i = 0; i < IEEE_8021QAZ_MAX_TCS; ++i) {
    out.counters.requests[i] = pfc.requests[i];
    out.counters.indications[i] = pfc.indications[i];
  }
  out.has_pfc = true;
}

int CollectApp(const nlattr* attr, void* data) {
  if (mnl_attr_get_type(attr) != DCB_ATTR_IEEE_APP) return MNL_CB_OK;
  if (mnl_attr_get_payload_len(attr) < sizeof(dcb_app)) return MNL_CB_OK;
  dcb_app app{};
  std::memcpy(&app, mnl_attr_get_payload(attr), sizeof(app));
  if (app.selector == IEEE_8021QAZ_APP_SEL_DSCP) {
    static_cast<std::vector<DscpPrio>*>(data)->emplace_back(static_cast<uint8_t>(app.protocol),
                                                            app.priority);
  }
  return MNL_CB_OK;
}

void ReadApps(const nlattr* table, IeeeReadback& out) {
  mnl_attr_parse_nested(table, CollectApp, &out.config.dscp_prio);
  std::sort(out.config.dscp_prio.begin(), out.config.dscp_prio.end());
}

std::string ErrnoText(int err) {
  char buf[128];
  return strerror_r(err, buf, sizeof(buf));  // the GNU variant returns the text
}

}  // namespace

Bytes BuildIeeeSet(const std::string& ifname, const DcbConfig& config, uint32_t seq) {
  Bytes buf(RoomFor(config.dscp_prio.size()), 0);
  nlmsghdr* nlh = StartMessage(buf, RTM_SETDCB, DCB_CMD_IEEE_SET, ifname, seq);
  nlattr* ieee = mnl_attr_nest_start(nlh, DCB_ATTR_IEEE);

  ieee_ets ets{};
  ets.willing = 0;
  for (size_t i = 0; i < IEEE_8021QAZ_MAX_TCS; ++i) {
    ets.tc_tx_bw[i] = config.tc_bw[i];
    ets.tc_rx_bw[i] = config.tc_bw[i];
    ets.tc_tsa[i] = config.tc_tsa[i];
    ets.prio_tc[i] = config.prio_tc[i];
  }
  mnl_attr_put(nlh, DCB_ATTR_IEEE_ETS, sizeof(ets), &ets);

  ieee_pfc pfc{};
  pfc.pfc_cap = IEEE_8021QAZ_MAX_TCS;
  pfc.pfc_en = config.pfc_enabled;
  mnl_attr_put(nlh, DCB_ATTR_IEEE_PFC, sizeof(pfc), &pfc);

  PutApps(nlh, config.dscp_prio);
  mnl_attr_nest_end(nlh, ieee);
  return Finish(std::move(buf), nlh);
}

Bytes BuildIeeeDelApps(const std::string& ifname, const std::vector<DscpPrio>& apps, uint32_t seq) {
  Bytes buf(RoomFor(apps.size()), 0);
  nlmsghdr* nlh = StartMessage(buf, RTM_SETDCB, DCB_CMD_IEEE_DEL, ifname, seq);
  nlattr* ieee = mnl_attr_nest_start(nlh, DCB_ATTR_IEEE);
  PutApps(nlh, apps);
  mnl_attr_nest_end(nlh, ieee);
  return Finish(std::move(buf), nlh);
}

std::vector<DscpPrio> StaleDscpApps(std::vector<DscpPrio> present, std::vector<DscpPrio> wanted) {
  std::sort(present.begin(), present.end());
  std::sort(wanted.begin(), wanted.end());
  std::vector<DscpPrio> stale;
  std::set_difference(present.begin(), present.end(), wanted.begin(), wanted.end(),
                      std::back_inserter(stale));
  return stale;
}

Bytes BuildIeeeGet(const std::string& ifname, uint32_t seq) {
  Bytes buf(RoomFor(0), 0);
  nlmsghdr* nlh = StartMessage(buf, RTM_GETDCB, DCB_CMD_IEEE_GET, ifname, seq);
  return Finish(std::move(buf), nlh);
}

Result<IeeeReadback> ParseIeeeGetReply(const std::string& ifname,
                                       std::span<const uint8_t> message) {
  const std::vector<uint32_t> storage = AlignedCopy(message);
  HAI_ASSIGN_OR_RETURN(const nlmsghdr* nlh,
                       OpenReply(ifname, message, storage, RTM_GETDCB, DCB_CMD_IEEE_GET));
  AttrTable top{};
  if (mnl_attr_parse(nlh, sizeof(dcbmsg), CollectAttr<AttrTable>, &top) != MNL_CB_OK) {
    return Status::Internal(ifname + ": malformed DCB_CMD_IEEE_GET reply");
  }
  IeeeReadback out;
  const nlattr* ieee_attr = top[DCB_ATTR_IEEE];
  if (ieee_attr == nullptr) return out;  // nothing configured and nothing readable
  IeeeTable ieee{};
  if (mnl_attr_parse_nested(ieee_attr, CollectAttr<IeeeTable>, &ieee) != MNL_CB_OK) {
    return Status::Internal(ifname + ": malformed DCB_ATTR_IEEE in reply");
  }
  if (const nlattr* a = ieee[DCB_ATTR_IEEE_ETS]; a != nullptr) {
    if (mnl_attr_get_payload_len(a) < sizeof(ieee_ets)) {
      return Status::Internal(ifname + ": short DCB_ATTR_IEEE_ETS in reply");
    }
    ReadEts(a, out);
  }
  if (const nlattr* a = ieee[DCB_ATTR_IEEE_PFC]; a != nullptr) {
    if (mnl_attr_get_payload_len(a) < sizeof(ieee_pfc)) {
      return Status::Internal(ifname + ": short DCB_ATTR_IEEE_PFC in reply");
    }
    ReadPfc(a, out);
  }
  if (const nlattr* a = ieee[DCB_ATTR_IEEE_APP_TABLE]; a != nullptr) ReadApps(a, out);
  return out;
}

Status CheckIeeeSetReply(const std::string& ifname, std::string_view op,
                         std::span<const uint8_t> message) {
  const std::vector<uint32_t> storage = AlignedCopy(message);
  const auto* peek = reinterpret_cast<const nlmsghdr*>(storage.data());
  const uint8_t cmd = message.size() >= MNL_NLMSG_HDRLEN + sizeof(dcbmsg)
                          ? static_cast<const dcbmsg*>(mnl_nlmsg_get_payload(peek))->cmd
                          : 0;
  HAI_ASSIGN_OR_RETURN(const nlmsghdr* nlh, OpenReply(ifname, message, storage, RTM_SETDCB, cmd));
  if (cmd != DCB_CMD_IEEE_SET && cmd != DCB_CMD_IEEE_DEL) {
    return Status::Internal(ifname + ": unexpected DCB command " + std::to_string(cmd) +
                            " in reply to " + std::string(op));
  }
  AttrTable top{};
  if (mnl_attr_parse(nlh, sizeof(dcbmsg), CollectAttr<AttrTable>, &top) != MNL_CB_OK ||
      top[DCB_ATTR_IEEE] == nullptr || mnl_attr_get_payload_len(top[DCB_ATTR_IEEE]) != 1) {
    return Status::Internal(ifname + ": malformed reply to " + std::string(op));
  }
  const uint8_t code = mnl_attr_get_u8(top[DCB_ATTR_IEEE]);
  if (code == 0) return Status::Ok();
  return StatusFromErrno(ifname, op, 256 - code);  // the kernel stored (u8)-errno
}

Status StatusFromErrno(const std::string& ifname, std::string_view op, int err) {
  const std::string detail = " (" + std::string(op) + ": " + ErrnoText(err) + ")";
  switch (err) {
    case EOPNOTSUPP:
      return Status::FailedPrecondition(ifname + ": DCB not supported by this device" + detail);
    case ENODEV:
      return Status::NotFound(ifname + ": no such network interface" + detail);
    case EPERM:
    case EACCES:
      return Status::PermissionDenied(ifname + ": not permitted, needs CAP_NET_ADMIN" + detail);
    default:
      return Status::Unavailable(ifname + ": DCB request failed" + detail);
  }
}

Status StatusFromErrorMessage(const std::string& ifname, std::string_view op,
                              std::span<const uint8_t> message) {
  const std::vector<uint32_t> storage = AlignedCopy(message);
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(storage.data());
  const int len = static_cast<int>(message.size());
  if (!mnl_nlmsg_ok(nlh, len) || nlh->nlmsg_type != NLMSG_ERROR ||
      nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(nlmsgerr)) {
    return Status::Internal(ifname + ": malformed netlink error message for " + std::string(op));
  }
  const auto* e = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  if (e->error == 0) return Status::Ok();
  return StatusFromErrno(ifname, op, -e->error);
}

}  // namespace hai::netconf::dcb
