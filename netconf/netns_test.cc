// apply + verify of a plan's host NIC section through the real netlink
// backend, on a veth pair inside a network namespace this test creates (and
// deletes). Root only; skipped otherwise.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include "netconf/apply.h"
#include "netconf/netlink/netlink_host_network.h"
#include "netconf/test_support.h"

namespace hai::netconf {
namespace {


int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

class NetnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    if (Sh("command -v ip >/dev/null 2>&1") != 0) GTEST_SKIP() << "iproute2 (ip) not installed";
    // One namespace per test process: ctest runs this fixture's tests side by side.
    ns_ = "hai-netconf-" + std::to_string(getpid());
    Sh(std::string("ip netns del ") + ns_ + " 2>/dev/null");
    ASSERT_EQ(Sh(std::string("ip netns add ") + ns_), 0);
    created_ = true;
    ASSERT_EQ(Sh(std::string("ip -n ") + ns_ + " link add ve0 type veth peer name ve1"), 0);
  }
  void TearDown() override {
    if (created_) Sh(std::string("ip netns del ") + ns_);
  }
  std::string ns_;
  // Runs `f` on a thread that entered the namespace; the backend made there
  // keeps its sockets in that namespace.
  template <typename F>
  void InNamespace(F f) {
    std::thread t([&] {
      int fd = open((std::string("/run/netns/") + ns_).c_str(), O_RDONLY | O_CLOEXEC);
      ASSERT_GE(fd, 0);
      ASSERT_EQ(setns(fd, CLONE_NEWNET), 0);
      close(fd);
      f();
    });
    t.join();
  }
  bool created_ = false;
};

constexpr char kPlan[] = R"(
[roce]
dscp = 33
priority = 4
[[node]]
name = "n1"
[[node.nic]]
name = "ve0"
mtu = 9000
addresses = ["10.77.0.1/24"]
routes = [{ destination = "10.78.0.0/16", gateway = "10.77.0.254" }]
dcb = DCB
ecn = "off"
)";

Report ApplyIn(const std::string& text, const std::string& sysfs, bool verify_only) {
  auto plan = ParseFabricPlan(text, "netns.toml");
  if (!plan.ok()) throw std::runtime_error(plan.status().message());
  auto host = MakeNetlinkHostNetworkOr();
  if (!host.ok()) throw std::runtime_error(host.status().message());
  Environment env;
  env.host = host->get();
  env.sysfs_root = sysfs;
  return verify_only ? VerifyNode(*plan, plan->nodes[0], env) : ApplyNode(*plan, plan->nodes[0], env);
}

std::string Plan(bool dcb) {
  std::string text = kPlan;
  return text.replace(text.find("DCB"), 3, dcb ? "true" : "false");
}

TEST_F(NetnsTest, HostNicApplyVerifyOnVeth) {
  testing::TempDir dir;
  Report applied, verified;
  InNamespace([&] {
    applied = ApplyIn(Plan(false), dir.path(), false);
    verified = ApplyIn(Plan(false), dir.path(), true);
  });
  EXPECT_TRUE(applied.failures.empty()) << applied.failures[0];
  EXPECT_TRUE(applied.diffs.empty()) << applied.diffs[0].item << ": " << applied.diffs[0].actual;
  EXPECT_TRUE(verified.diffs.empty());
  EXPECT_EQ(Sh(std::string("ip -n ") + ns_ + " addr show ve0 | grep -q 'inet 10.77.0.1/24'"), 0);
  EXPECT_EQ(Sh(std::string("ip -n ") + ns_ + " link show ve0 | grep -q 'mtu 9000'"), 0);
  EXPECT_EQ(Sh(std::string("ip -n ") + ns_ + " route show 10.78.0.0/16 | grep -q 'via 10.77.0.254'"), 0);
}

TEST_F(NetnsTest, VethHasNoDcb) {
  testing::TempDir dir;
  Report applied;
  InNamespace([&] { applied = ApplyIn(Plan(true), dir.path(), false); });
  ASSERT_EQ(applied.failures.size(), 1u);
  EXPECT_NE(applied.failures[0].find("not supported by this device"), std::string::npos)
      << applied.failures[0];
  ASSERT_EQ(applied.diffs.size(), 1u);
  EXPECT_EQ(applied.diffs[0].item, "host.ve0.dcb");
}

}  // namespace
}  // namespace hai::netconf
