#include "netconf/netlink/dcb_message.h"

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/dcbnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

namespace hai::netconf::dcb {
namespace {

// A config like the Ascend default plan's host side: PFC on priority 4,
// priorities 4 → TC 1, two ETS TCs, DSCP 33 → 4 and 26 → 3.
DcbConfig SampleConfig() {
  DcbConfig c;
  c.prio_tc = {0, 0, 0, 0, 1, 0, 0, 0};
  c.tc_tsa = {IEEE_8021QAZ_TSA_ETS, IEEE_8021QAZ_TSA_ETS, 0, 0, 0, 0, 0, 0};
  c.tc_bw = {40, 60, 0, 0, 0, 0, 0, 0};
  c.pfc_enabled = 1 << 4;
  c.dscp_prio = {{26, 3}, {33, 4}};
  return c;
}

// The message in `bytes`, checked to be exactly one well-formed netlink message.
const nlmsghdr* Header(const Bytes& bytes) {
  const auto* nlh = reinterpret_cast<const nlmsghdr*>(bytes.data());
  EXPECT_TRUE(mnl_nlmsg_ok(nlh, static_cast<int>(bytes.size())));
  EXPECT_EQ(nlh->nlmsg_len, bytes.size());
  return nlh;
}

const dcbmsg* Dcb(const nlmsghdr* nlh) {
  return static_cast<const dcbmsg*>(mnl_nlmsg_get_payload(nlh));
}

// Top-level or nested attributes by type; a repeated type fails the test.
using Attrs = std::map<uint16_t, const nlattr*>;
int Collect(const nlattr* attr, void* data) {
  auto& attrs = *static_cast<Attrs*>(data);
  EXPECT_TRUE(attrs.emplace(mnl_attr_get_type(attr), attr).second) << mnl_attr_get_type(attr);
  return MNL_CB_OK;
}
Attrs TopAttrs(const nlmsghdr* nlh) {
  Attrs attrs;
  EXPECT_EQ(mnl_attr_parse(nlh, sizeof(dcbmsg), Collect, &attrs), MNL_CB_OK);
  return attrs;
}
Attrs Nested(const nlattr* nest) {
  Attrs attrs;
  EXPECT_EQ(mnl_attr_parse_nested(nest, Collect, &attrs), MNL_CB_OK);
  return attrs;
}

int CollectApp(const nlattr* attr, void* data) {
  EXPECT_EQ(mnl_attr_get_type(attr), DCB_ATTR_IEEE_APP);
  EXPECT_EQ(mnl_attr_get_payload_len(attr), sizeof(dcb_app));
  dcb_app app;
  std::memcpy(&app, mnl_attr_get_payload(attr), sizeof(app));
  static_cast<std::vector<dcb_app>*>(data)->push_back(app);
  return MNL_CB_OK;
}
std::vector<dcb_app> Apps(const nlattr* table) {
  std::vector<dcb_app> apps;
  EXPECT_EQ(mnl_attr_parse_nested(table, CollectApp, &apps), MNL_CB_OK);
  return apps;
}

TEST(DcbMessageTest, IeeeSetCarriesIfnameEtsPfcAndDscpApps) {
  const Bytes bytes = BuildIeeeSet("eth7", SampleConfig(), 4242);
  const nlmsghdr* nlh = Header(bytes);
  EXPECT_EQ(nlh->nlmsg_type, RTM_SETDCB);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(nlh->nlmsg_seq, 4242u);
  EXPECT_EQ(Dcb(nlh)->dcb_family, AF_UNSPEC);
  EXPECT_EQ(Dcb(nlh)->cmd, DCB_CMD_IEEE_SET);

  Attrs top = TopAttrs(nlh);
  ASSERT_EQ(top.size(), 2u);
  ASSERT_TRUE(top.count(DCB_ATTR_IFNAME));
  EXPECT_STREQ(mnl_attr_get_str(top[DCB_ATTR_IFNAME]), "eth7");
  ASSERT_TRUE(top.count(DCB_ATTR_IEEE));
  Attrs ieee = Nested(top[DCB_ATTR_IEEE]);
  ASSERT_EQ(ieee.size(), 3u);

  ASSERT_TRUE(ieee.count(DCB_ATTR_IEEE_ETS));
  ASSERT_EQ(mnl_attr_get_payload_len(ieee[DCB_ATTR_IEEE_ETS]), sizeof(ieee_ets));
  ieee_ets ets;
  std::memcpy(&ets, mnl_attr_get_payload(ieee[DCB_ATTR_IEEE_ETS]), sizeof(ets));
  EXPECT_EQ(ets.willing, 0);
  const uint8_t prio_tc[8] = {0, 0, 0, 0, 1, 0, 0, 0};
  const uint8_t tsa[8] = {2, 2, 0, 0, 0, 0, 0, 0};
  const uint8_t bw[8] = {40, 60, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(ets.prio_tc[i], prio_tc[i]) << "prio " << i;
    EXPECT_EQ(ets.tc_tsa[i], tsa[i]) << "tc " << i;
    EXPECT_EQ(ets.tc_tx_bw[i], bw[i]) << "tc " << i;
    EXPECT_EQ(ets.tc_rx_bw[i], bw[i]) << "tc " << i;
    EXPECT_EQ(ets.tc_reco_bw[i], 0) << "tc " << i;
  }

  ASSERT_TRUE(ieee.count(DCB_ATTR_IEEE_PFC));
  ASSERT_EQ(mnl_attr_get_payload_len(ieee[DCB_ATTR_IEEE_PFC]), sizeof(ieee_pfc));
  ieee_pfc pfc;
  std::memcpy(&pfc, mnl_attr_get_payload(ieee[DCB_ATTR_IEEE_PFC]), sizeof(pfc));
  EXPECT_EQ(pfc.pfc_cap, 8);
  EXPECT_EQ(pfc.pfc_en, 0x10);
  EXPECT_EQ(pfc.mbc, 0);
  EXPECT_EQ(pfc.delay, 0);

  ASSERT_TRUE(ieee.count(DCB_ATTR_IEEE_APP_TABLE));
  const std::vector<dcb_app> apps = Apps(ieee[DCB_ATTR_IEEE_APP_TABLE]);
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].selector, IEEE_8021QAZ_APP_SEL_DSCP);
  EXPECT_EQ(apps[0].protocol, 26);
  EXPECT_EQ(apps[0].priority, 3);
  EXPECT_EQ(apps[1].selector, 5);
  EXPECT_EQ(apps[1].protocol, 33);
  EXPECT_EQ(apps[1].priority, 4);
}

TEST(DcbMessageTest, IeeeDelCarriesOnlyTheStaleApps) {
  const Bytes bytes = BuildIeeeDelApps("ens1f0", {{10, 1}}, 7);
  const nlmsghdr* nlh = Header(bytes);
  EXPECT_EQ(nlh->nlmsg_type, RTM_SETDCB);
  EXPECT_EQ(Dcb(nlh)->cmd, DCB_CMD_IEEE_DEL);
  Attrs top = TopAttrs(nlh);
  EXPECT_STREQ(mnl_attr_get_str(top[DCB_ATTR_IFNAME]), "ens1f0");
  Attrs ieee = Nested(top[DCB_ATTR_IEEE]);
  ASSERT_EQ(ieee.size(), 1u);
  const std::vector<dcb_app> apps = Apps(ieee[DCB_ATTR_IEEE_APP_TABLE]);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].selector, 5);
  EXPECT_EQ(apps[0].protocol, 10);
  EXPECT_EQ(apps[0].priority, 1);
}

TEST(DcbMessageTest, StaleAppsAreThoseThePlanNoLongerWants) {
  // DSCP 26 moved from priority 3 to 4; DSCP 10 is gone; 33 → 4 stays.
  EXPECT_EQ(StaleDscpApps({{33, 4}, {10, 1}, {26, 3}, {26, 4}}, {{26, 4}, {33, 4}}),
            (std::vector<DscpPrio>{{10, 1}, {26, 3}}));
  EXPECT_TRUE(StaleDscpApps({{33, 4}}, {{33, 4}, {26, 3}}).empty());
  EXPECT_EQ(StaleDscpApps({{33, 4}}, {}), (std::vector<DscpPrio>{{33, 4}}));
}

TEST(DcbMessageTest, IeeeGetIsJustTheInterface) {
  const Bytes bytes = BuildIeeeGet("eth0", 9);
  const nlmsghdr* nlh = Header(bytes);
  EXPECT_EQ(nlh->nlmsg_type, RTM_GETDCB);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  EXPECT_EQ(Dcb(nlh)->cmd, DCB_CMD_IEEE_GET);
  Attrs top = TopAttrs(nlh);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_STREQ(mnl_attr_get_str(top[DCB_ATTR_IFNAME]), "eth0");
}

// Writes netlink bytes by hand (host byte order, 4-byte attribute padding)
// so that the parser is checked against the wire layout, not the builder.
class Writer {
 public:
  size_t Pos() const { return b_.size(); }
  void U8(uint8_t v) { b_.push_back(v); }
  void U16(uint16_t v) { Raw(&v, 2); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void Zeros(size_t n) { b_.insert(b_.end(), n, 0); }
  void Pad() { Zeros((4 - b_.size() % 4) % 4); }
  // Starts an attribute header; End() fills in its length (before padding).
  size_t Attr(uint16_t type) {
    const size_t at = Pos();
    U16(0);
    U16(type);
    return at;
  }
  void End(size_t at) {
    const uint16_t len = static_cast<uint16_t>(Pos() - at);
    std::memcpy(&b_[at], &len, 2);
    Pad();
  }
  // nlmsghdr: len (patched by Done), type, flags, seq, pid.
  void Header(uint16_t type, uint32_t seq) {
    U32(0);
    U16(type);
    U16(0);
    U32(seq);
    U32(1234);
  }
  Bytes Done() {
    const uint32_t len = static_cast<uint32_t>(b_.size());
    std::memcpy(&b_[0], &len, 4);
    return b_;
  }

 private:
  void Raw(const void* p, size_t n) {
    const auto* c = static_cast<const uint8_t*>(p);
    b_.insert(b_.end(), c, c + n);
  }
  Bytes b_;
};

void App(Writer& w, uint8_t selector, uint8_t prio, uint16_t protocol) {
  const size_t a = w.Attr(1);  // DCB_ATTR_IEEE_APP
  w.U8(selector);
  w.U8(prio);
  w.U16(protocol);
  w.End(a);
}

// The wire numbers written below, tied to the UAPI header.
static_assert(RTM_GETDCB == 78 && DCB_CMD_IEEE_GET == 21 && DCB_ATTR_IFNAME == 1 &&
              DCB_ATTR_IEEE == 13 && DCB_ATTR_DCBX == 14 && DCB_ATTR_IEEE_ETS == 1 &&
              DCB_ATTR_IEEE_PFC == 2 && DCB_ATTR_IEEE_APP_TABLE == 3 && DCB_ATTR_IEEE_APP == 1);
static_assert(sizeof(ieee_ets) == 59 && sizeof(ieee_pfc) == 136 && sizeof(dcb_app) == 4);

// A reply as dcbnl_ieee_fill lays it out: ifname, IEEE nest (ETS, PFC,
// APP table), then DCBX mode.
Bytes SyntheticGetReply() {
  Writer w;
  w.Header(78, 5);  // RTM_GETDCB
  w.U8(0);          // dcbmsg.dcb_family
  w.U8(21);         // dcbmsg.cmd = DCB_CMD_IEEE_GET
  w.U16(0);
  size_t a = w.Attr(1);  // DCB_ATTR_IFNAME
  for (char c : std::string("eth7")) w.U8(static_cast<uint8_t>(c));
  w.U8(0);
  w.End(a);
  const size_t ieee = w.Attr(13);  // DCB_ATTR_IEEE
  a = w.Attr(1);                   // DCB_ATTR_IEEE_ETS: 3 bytes + 7 arrays of 8
  w.U8(0);                         // willing
  w.U8(8);                         // ets_cap
  w.U8(0);                         // cbs
  const uint8_t bw[8] = {40, 60, 0, 0, 0, 0, 0, 0};
  for (uint8_t v : bw) w.U8(v);  // tc_tx_bw
  for (uint8_t v : bw) w.U8(v);  // tc_rx_bw
  const uint8_t tsa[8] = {2, 2, 0, 0, 0, 0, 0, 0};
  for (uint8_t v : tsa) w.U8(v);  // tc_tsa
  const uint8_t prio_tc[8] = {0, 0, 0, 0, 1, 0, 0, 0};
  for (uint8_t v : prio_tc) w.U8(v);  // prio_tc
  w.Zeros(24);                        // tc_reco_bw, tc_reco_tsa, reco_prio_tc
  w.End(a);
  a = w.Attr(2);  // DCB_ATTR_IEEE_PFC
  const size_t pfc_start = w.Pos();
  w.U8(8);     // pfc_cap
  w.U8(0x10);  // pfc_en
  w.U8(0);     // mbc
  w.U8(0);     // padding before the u16
  w.U16(0);    // delay
  w.Zeros(2);  // padding before the u64 arrays (offset 8)
  EXPECT_EQ(w.Pos() - pfc_start, 8u);
  for (uint64_t i = 0; i < 8; ++i) w.U64(i == 4 ? 123456789012ull : i);  // requests
  for (uint64_t i = 0; i < 8; ++i) w.U64(i == 4 ? 77 : 0);               // indications
  w.End(a);
  a = w.Attr(3);  // DCB_ATTR_IEEE_APP_TABLE, deliberately unsorted
  App(w, 5, 4, 33);
  App(w, 1, 3, 0x8906);  // an ethertype entry (FCoE): not a DSCP mapping
  App(w, 5, 3, 26);
  App(w, 5, 0, 10);
  w.End(a);
  w.End(ieee);
  a = w.Attr(14);  // DCB_ATTR_DCBX
  w.U8(0x08);
  w.End(a);
  return w.Done();
}

TEST(DcbMessageTest, ParsesAGetReplyBuiltByHand) {
  const Bytes reply = SyntheticGetReply();
  Result<IeeeReadback> got = ParseIeeeGetReply("eth7", reply);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->has_ets);
  EXPECT_TRUE(got->has_pfc);
  DcbConfig want = SampleConfig();
  want.dscp_prio = {{10, 0}, {26, 3}, {33, 4}};
  EXPECT_EQ(got->config.prio_tc, want.prio_tc);
  EXPECT_EQ(got->config.tc_tsa, want.tc_tsa);
  EXPECT_EQ(got->config.tc_bw, want.tc_bw);
  EXPECT_EQ(got->config.pfc_enabled, 0x10);
  EXPECT_EQ(got->config.dscp_prio, want.dscp_prio);
  EXPECT_EQ(got->config, want);
  EXPECT_EQ(got->counters.requests[4], 123456789012ull);
  EXPECT_EQ(got->counters.requests[7], 7u);
  EXPECT_EQ(got->counters.indications[4], 77u);
  EXPECT_EQ(got->counters.indications[0], 0u);
}

TEST(DcbMessageTest, ParsesAReplyWithoutEtsOrPfc) {
  Writer w;
  w.Header(RTM_GETDCB, 1);
  w.U8(0);
  w.U8(DCB_CMD_IEEE_GET);
  w.U16(0);
  const size_t ieee = w.Attr(DCB_ATTR_IEEE);
  w.End(ieee);
  Result<IeeeReadback> got = ParseIeeeGetReply("eth7", w.Done());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->has_ets);
  EXPECT_FALSE(got->has_pfc);
  EXPECT_EQ(got->config, DcbConfig{});
}

TEST(DcbMessageTest, RejectsTruncatedOrForeignReplies) {
  Bytes reply = SyntheticGetReply();
  reply.resize(reply.size() - 8);  // nlmsg_len now claims more than there is
  EXPECT_EQ(ParseIeeeGetReply("eth7", reply).status().code(), Code::kInternal);
  EXPECT_EQ(ParseIeeeGetReply("eth7", Bytes{}).status().code(), Code::kInternal);

  Bytes set_reply = SyntheticGetReply();
  const uint16_t set_type = RTM_SETDCB;
  std::memcpy(&set_reply[4], &set_type, 2);  // nlmsg_type
  EXPECT_EQ(ParseIeeeGetReply("eth7", set_reply).status().code(), Code::kInternal);

  Bytes short_ets = SyntheticGetReply();
  // Shrink the ETS attribute's declared length below sizeof(ieee_ets): the
  // attribute header sits after nlmsghdr(16) + dcbmsg(4) + ifname(12) + nest(4).
  const size_t ets_at = 16 + 4 + 12 + 4;
  uint16_t len = 0;
  std::memcpy(&len, &short_ets[ets_at], 2);
  ASSERT_EQ(len, 4 + sizeof(ieee_ets));
  len = 4 + 10;
  std::memcpy(&short_ets[ets_at], &len, 2);
  EXPECT_EQ(ParseIeeeGetReply("eth7", short_ets).status().code(), Code::kInternal);
}

Bytes ErrorMessage(int32_t error) {
  Writer w;
  w.Header(NLMSG_ERROR, 5);
  w.U32(static_cast<uint32_t>(error));  // nlmsgerr.error
  w.U32(0);                             // the echoed request header (16 bytes)
  w.U16(RTM_GETDCB);
  w.U16(NLM_F_REQUEST | NLM_F_ACK);
  w.U32(5);
  w.U32(0);
  return w.Done();
}

TEST(DcbMessageTest, EopnotsuppMeansDcbNotSupported) {
  const Status s = StatusFromErrorMessage("veth0", "DCB_CMD_IEEE_GET", ErrorMessage(-EOPNOTSUPP));
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("veth0: DCB not supported by this device"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("Operation not supported"), std::string::npos) << s.message();

  // The same error where a GET reply was expected.
  const Status in_reply = ParseIeeeGetReply("veth0", ErrorMessage(-EOPNOTSUPP)).status();
  EXPECT_EQ(in_reply.code(), Code::kFailedPrecondition);
  EXPECT_NE(in_reply.message().find("not supported by this device"), std::string::npos);
}

TEST(DcbMessageTest, OtherErrorsAndAcks) {
  EXPECT_TRUE(StatusFromErrorMessage("eth0", "GET", ErrorMessage(0)).ok());
  const Status nodev = StatusFromErrorMessage("eth9", "GET", ErrorMessage(-ENODEV));
  EXPECT_EQ(nodev.code(), Code::kNotFound);
  EXPECT_NE(nodev.message().find("eth9"), std::string::npos);
  EXPECT_EQ(StatusFromErrorMessage("eth0", "SET", ErrorMessage(-EPERM)).code(),
            Code::kPermissionDenied);
  const Status inval = StatusFromErrorMessage("eth0", "SET", ErrorMessage(-EINVAL));
  EXPECT_EQ(inval.code(), Code::kUnavailable);
  EXPECT_NE(inval.message().find("Invalid argument"), std::string::npos) << inval.message();
  Bytes cut = ErrorMessage(-EINVAL);
  cut.resize(18);
  EXPECT_EQ(StatusFromErrorMessage("eth0", "SET", cut).code(), Code::kInternal);
}

Bytes SetReply(uint8_t cmd, uint8_t result) {
  Writer w;
  w.Header(RTM_SETDCB, 3);
  w.U8(0);
  w.U8(cmd);
  w.U16(0);
  const size_t a = w.Attr(DCB_ATTR_IEEE);
  w.U8(result);
  w.End(a);
  return w.Done();
}

TEST(DcbMessageTest, SetReplyCarriesTheDriverResult) {
  EXPECT_TRUE(CheckIeeeSetReply("eth0", "DCB_CMD_IEEE_SET", SetReply(DCB_CMD_IEEE_SET, 0)).ok());
  EXPECT_TRUE(CheckIeeeSetReply("eth0", "DCB_CMD_IEEE_DEL", SetReply(DCB_CMD_IEEE_DEL, 0)).ok());
  const Status bad = CheckIeeeSetReply("eth0", "DCB_CMD_IEEE_SET",
                                       SetReply(DCB_CMD_IEEE_SET, static_cast<uint8_t>(-EINVAL)));
  EXPECT_EQ(bad.code(), Code::kUnavailable);
  EXPECT_NE(bad.message().find("Invalid argument"), std::string::npos) << bad.message();
  const Status unsupported = CheckIeeeSetReply(
      "eth0", "DCB_CMD_IEEE_SET", SetReply(DCB_CMD_IEEE_SET, static_cast<uint8_t>(-EOPNOTSUPP)));
  EXPECT_EQ(unsupported.code(), Code::kFailedPrecondition);
  EXPECT_EQ(CheckIeeeSetReply("eth0", "SET", SetReply(DCB_CMD_IEEE_GET, 0)).code(),
            Code::kInternal);
}

}  // namespace
}  // namespace hai::netconf::dcb
