#include "netconf/netlink/netlink_host_network.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "lib/accel/command_runner.h"

// Drives the real backend against a veth pair in a network namespace the test
// creates (and deletes). Needs root and iproute2; skips with the reason
// otherwise.

namespace hai::netconf {

// Readable failure messages for route lists.
void PrintTo(const RouteSpec& r, std::ostream* os) {
  *os << "{" << r.destination << " via \"" << r.gateway << "\" metric " << r.metric << "}";
}

namespace {

using std::chrono::seconds;

class NetlinkHostNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces, netlink writes)";
    ns_ = "hai-nl-" + std::to_string(getpid());
    Result<accel::CommandOutput> add = runner_.Run({"ip", "netns", "add", ns_}, seconds(10));
    if (!add.ok()) GTEST_SKIP() << "iproute2 unusable: " << add.status().ToString();
    if (add->exit_code != 0) GTEST_SKIP() << "`ip netns add` failed: " << add->stderr_text;
    created_ = true;
    Ip({"link", "add", "v0", "type", "veth", "peer", "name", "v1"});
    Ip({"link", "set", "v1", "up"});  // carrier for v0 once it is up

    // Open the backend on a thread that lives in the namespace; the sockets
    // stay there, so this thread can use the object afterwards.
    Status thread_status;
    std::thread opener([&] {
      const std::string path = "/var/run/netns/" + ns_;
      const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
        thread_status = Status::Unavailable("cannot enter " + path);
      } else {
        auto made = MakeNetlinkHostNetworkOr();
        if (made.ok()) {
          net_ = std::move(made).value();
        } else {
          thread_status = made.status();
        }
      }
      if (fd >= 0) close(fd);
    });
    opener.join();
    ASSERT_TRUE(thread_status.ok()) << thread_status.ToString();
    ASSERT_NE(net_, nullptr);
  }

  void TearDown() override {
    net_.reset();
    if (created_) {
      Result<accel::CommandOutput> del = runner_.Run({"ip", "netns", "del", ns_}, seconds(10));
      EXPECT_TRUE(del.ok() && del->exit_code == 0) << "could not delete netns " << ns_;
    }
  }

  // `ip -n <ns> args…`; a failure fails the test. Returns stdout.
  std::string Ip(std::vector<std::string> args) {
    std::vector<std::string> argv = {"ip", "-n", ns_};
    argv.insert(argv.end(), args.begin(), args.end());
    Result<accel::CommandOutput> out = runner_.Run(argv, seconds(10));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return "";
    EXPECT_EQ(out->exit_code, 0) << accel::JoinArgv(argv) << ": " << out->stderr_text;
    return out->stdout_text;
  }

  nlohmann::json IpJson(std::vector<std::string> args) {
    args.insert(args.begin(), "-j");
    const std::string text = Ip(args);
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << text;
    return parsed;
  }

  LinkState Link(const std::string& name) {
    Result<LinkState> got = net_->GetLink(name);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? got.value() : LinkState{};
  }

  accel::SubprocessRunner runner_;
  std::string ns_;
  bool created_ = false;
  std::unique_ptr<HostNetwork> net_;
};

TEST_F(NetlinkHostNetworkTest, LinkUpAndMtuReadBackAndMatchIproute2) {
  LinkState before = Link("v0");
  EXPECT_TRUE(before.exists);
  EXPECT_FALSE(before.up);
  EXPECT_EQ(before.mtu, 1500);

  ASSERT_TRUE(net_->SetLinkUp("v0", true).ok());
  const Status mtu = net_->SetMtu("v0", 9000);
  ASSERT_TRUE(mtu.ok()) << mtu.ToString();
  LinkState after = Link("v0");
  EXPECT_EQ(after.name, "v0");
  EXPECT_TRUE(after.up);
  EXPECT_EQ(after.mtu, 9000);

  const nlohmann::json shown = IpJson({"link", "show", "v0"});
  ASSERT_TRUE(shown.is_array() && shown.size() == 1) << shown.dump();
  EXPECT_EQ(shown[0].value("mtu", 0), 9000);
  const auto flags = shown[0].value("flags", std::vector<std::string>{});
  EXPECT_NE(std::find(flags.begin(), flags.end(), "UP"), flags.end()) << shown.dump();

  ASSERT_TRUE(net_->SetLinkUp("v0", false).ok());
  EXPECT_FALSE(Link("v0").up);
  EXPECT_EQ(net_->SetMtu("v0", 20).code(), Code::kInvalidArgument);
}

TEST_F(NetlinkHostNetworkTest, AddressesAreIdempotentSortedAndSkipLinkLocal) {
  ASSERT_TRUE(net_->SetLinkUp("v0", true).ok());  // brings an fe80:: address
  for (int round = 0; round < 2; ++round) {
    Status v4 = net_->AddAddress("v0", "10.77.0.1/24");
    Status v6 = net_->AddAddress("v0", "fd00:77:0::1/64");  // non-canonical on purpose
    EXPECT_TRUE(v4.ok()) << "round " << round << ": " << v4.ToString();
    EXPECT_TRUE(v6.ok()) << "round " << round << ": " << v6.ToString();
  }
  EXPECT_EQ(Link("v0").addresses, (std::vector<std::string>{"10.77.0.1/24", "fd00:77::1/64"}));

  const nlohmann::json shown = IpJson({"addr", "show", "dev", "v0"});
  std::vector<std::string> listed;
  for (const auto& info : shown.at(0).at("addr_info")) {
    listed.push_back(info.value("local", "") + "/" + std::to_string(info.value("prefixlen", 0)));
  }
  EXPECT_NE(std::find(listed.begin(), listed.end(), "10.77.0.1/24"), listed.end());
  EXPECT_NE(std::find(listed.begin(), listed.end(), "fd00:77::1/64"), listed.end());

  ASSERT_TRUE(net_->RemoveAddress("v0", "10.77.0.1/24").ok());
  EXPECT_EQ(Link("v0").addresses, (std::vector<std::string>{"fd00:77::1/64"}));
  const Status again = net_->RemoveAddress("v0", "10.77.0.1/24");
  EXPECT_TRUE(again.ok()) << again.ToString();

  EXPECT_EQ(net_->AddAddress("v0", "10.77.0.1").code(), Code::kInvalidArgument);
  EXPECT_EQ(net_->AddAddress("v0", "10.77.0.300/24").code(), Code::kInvalidArgument);
  EXPECT_EQ(net_->AddAddress("nope0", "10.77.0.1/24").code(), Code::kNotFound);
}

TEST_F(NetlinkHostNetworkTest, ReplaceRouteKeepsExactlyOneRouteAndSkipsKernelRoutes) {
  ASSERT_TRUE(net_->SetLinkUp("v0", true).ok());
  ASSERT_TRUE(net_->AddAddress("v0", "10.77.0.1/24").ok());

  const RouteSpec first{"10.88.0.0/24", "10.77.0.254", 100};
  Status s = net_->ReplaceRoute("v0", first);
  ASSERT_TRUE(s.ok()) << s.ToString();
  // The kernel's own 10.77.0.0/24 prefix route is not ours to report.
  EXPECT_EQ(Link("v0").routes, std::vector<RouteSpec>{first});

  const RouteSpec second{"10.88.0.0/24", "10.77.0.254", 200};
  s = net_->ReplaceRoute("v0", second);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Link("v0").routes, std::vector<RouteSpec>{second});
  s = net_->ReplaceRoute("v0", second);  // again: nothing changes
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Link("v0").routes, std::vector<RouteSpec>{second});

  const nlohmann::json shown = IpJson({"route", "show", "10.88.0.0/24"});
  ASSERT_TRUE(shown.is_array() && shown.size() == 1) << shown.dump();
  EXPECT_EQ(shown[0].value("metric", 0), 200);
  EXPECT_EQ(shown[0].value("gateway", ""), "10.77.0.254");
  EXPECT_EQ(shown[0].value("protocol", ""), "static");

  // A default route, an on-link route, and one an operator added (proto boot).
  const RouteSpec def{"default", "10.77.0.254", 0};
  const RouteSpec onlink{"10.99.0.0/16", "", 5};
  ASSERT_TRUE(net_->ReplaceRoute("v0", def).ok());
  ASSERT_TRUE(net_->ReplaceRoute("v0", onlink).ok());
  Ip({"route", "add", "10.66.0.0/24", "via", "10.77.0.2", "dev", "v0"});
  EXPECT_EQ(Link("v0").routes,
            (std::vector<RouteSpec>{{"10.66.0.0/24", "10.77.0.2", 0}, second, onlink, def}));

  EXPECT_EQ(net_->ReplaceRoute("v0", {"10.1.0.0/16", "fd00::1", 0}).code(), Code::kInvalidArgument);
}

TEST_F(NetlinkHostNetworkTest, Ipv6RouteReadsBackWithTheKernelMetric) {
  ASSERT_TRUE(net_->SetLinkUp("v0", true).ok());
  ASSERT_TRUE(net_->AddAddress("v0", "fd00:77::1/64").ok());
  const Status s = net_->ReplaceRoute("v0", {"fd00:88::/64", "fd00:77::fe", 0});
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Link("v0").routes, (std::vector<RouteSpec>{{"fd00:88::/64", "fd00:77::fe", 1024}}));
  ASSERT_TRUE(net_->ReplaceRoute("v0", {"fd00:88::/64", "fd00:77::fe", 300}).ok());
  EXPECT_EQ(Link("v0").routes, (std::vector<RouteSpec>{{"fd00:88::/64", "fd00:77::fe", 300}}));
}

TEST_F(NetlinkHostNetworkTest, AbsentLinkIsNotAnError) {
  LinkState absent = Link("nope0");
  EXPECT_FALSE(absent.exists);
  EXPECT_EQ(absent.name, "nope0");
  EXPECT_EQ(net_->SetMtu("nope0", 9000).code(), Code::kNotFound);
  EXPECT_EQ(net_->SetLinkUp("nope0", true).code(), Code::kNotFound);
  EXPECT_EQ(net_->GetLink("this-name-is-too-long").status().code(), Code::kInvalidArgument);
}

TEST_F(NetlinkHostNetworkTest, DcbOnVethIsNotSupportedByThisDevice) {
  DcbConfig config;
  config.prio_tc = {0, 0, 0, 0, 1, 0, 0, 0};
  config.tc_tsa = {2, 2, 0, 0, 0, 0, 0, 0};
  config.tc_bw = {50, 50, 0, 0, 0, 0, 0, 0};
  config.pfc_enabled = 1 << 4;
  config.dscp_prio = {{33, 4}};

  const Result<DcbConfig> got = net_->GetDcb("v0");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(got.status().message().find("v0: DCB not supported by this device"), std::string::npos)
      << got.status().message();

  const Status set = net_->SetDcb("v0", config);
  EXPECT_EQ(set.code(), Code::kFailedPrecondition);
  EXPECT_NE(set.message().find("not supported by this device"), std::string::npos) << set.message();

  const Result<PfcCounters> counters = net_->GetPfcCounters("v0");
  EXPECT_EQ(counters.status().code(), Code::kFailedPrecondition);

  // A device that does not exist is a different answer (ENODEV).
  EXPECT_EQ(net_->GetDcb("nope0").status().code(), Code::kNotFound);
  config.dscp_prio = {{64, 4}};
  EXPECT_EQ(net_->SetDcb("v0", config).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace hai::netconf
