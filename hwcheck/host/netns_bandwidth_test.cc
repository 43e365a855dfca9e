#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <future>

#include "hwcheck/host/peer_control.h"
#include "hwcheck/host/serve_test_util.h"

namespace hai::hwcheck {
namespace {

using host::testing::ServerThread;
using host::testing::TempDir;

constexpr const char* kToken = "netns-test-token";

// Moves the calling thread (only it: setns affects one thread) into the
// named network namespace.
bool EnterNetns(const std::string& name) {
  int fd = open(("/var/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = setns(fd, CLONE_NEWNET) == 0;
  close(fd);
  return ok;
}

int Sh(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

// Two network namespaces joined by a veth pair, 10.201.<x>.1/30 ↔ .2/30,
// created for the test and deleted after it.
class NetnsBandwidthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to create network namespaces";
    if (Sh("command -v ip") != 0) GTEST_SKIP() << "needs iproute2's ip";
    const std::string pid = std::to_string(getpid());
    ns_a_ = "hai-bw-" + pid + "-a";
    ns_b_ = "hai-bw-" + pid + "-b";
    const std::string veth_a = "hbw" + pid + "a", veth_b = "hbw" + pid + "b";
    subnet_ = "10.201." + std::to_string(getpid() % 250) + ".";
    const std::string steps[] = {
        "ip netns add " + ns_a_,
        "ip netns add " + ns_b_,
        "ip link add " + veth_a + " netns " + ns_a_ + " type veth peer name " + veth_b + " netns " +
            ns_b_,
        "ip -n " + ns_a_ + " addr add " + subnet_ + "1/30 dev " + veth_a,
        "ip -n " + ns_b_ + " addr add " + subnet_ + "2/30 dev " + veth_b,
        "ip -n " + ns_a_ + " link set " + veth_a + " up",
        "ip -n " + ns_b_ + " link set " + veth_b + " up",
    };
    created_ = true;
    for (const std::string& step : steps) ASSERT_EQ(Sh(step), 0) << step;
  }
  void TearDown() override {
    if (!created_) return;
    // Deleting a namespace deletes its end of the veth, and with it the pair.
    Sh("ip netns del " + ns_a_);
    Sh("ip netns del " + ns_b_);
  }

  std::string ns_a_, ns_b_, subnet_;
  bool created_ = false;
};

TEST_F(NetnsBandwidthTest, TcpBandwidthBetweenTwoNamespaces) {
  TempDir dir;
  const std::string token_file = dir.Write("token", std::string(kToken) + "\n");
  const std::string wrong_file = dir.Write("wrong", "another-cluster\n");
  ServeOptions options;
  options.listen = subnet_ + "1:0";
  options.max_test_seconds = 5;
  ServerThread server(options, kToken, [this] { return EnterNetns(ns_a_); });
  ASSERT_TRUE(server.status().ok()) << server.status().message();
  const Peer peer{"ns-a", subnet_ + "1", server.port(), {}};

  // The client from a thread inside the other namespace.
  auto from_b = [this](std::function<Result<TcpBandwidth>()> body) {
    return std::async(std::launch::async,
                      [this, body]() -> Result<TcpBandwidth> {
                        if (!EnterNetns(ns_b_)) return Status::Internal("cannot enter " + ns_b_);
                        return body();
                      })
        .get();
  };
  Result<TcpBandwidth> bw =
      from_b([&] { return MeasureTcpBandwidth(peer, token_file, std::chrono::seconds(1), 4); });
  ASSERT_TRUE(bw.ok()) << bw.status().message();
  EXPECT_GT(bw->bytes, 0u);
  EXPECT_GT(bw->gbps, 0);
  EXPECT_EQ(bw->streams, 4);
  std::printf("[ measured ] %.2f Gb/s over veth, %llu bytes in %.3f s, 4 streams\n", bw->gbps,
              static_cast<unsigned long long>(bw->bytes), bw->seconds);

  Result<TcpBandwidth> refused =
      from_b([&] { return MeasureTcpBandwidth(peer, wrong_file, std::chrono::seconds(1), 4); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kUnauthenticated) << refused.status().message();

  // The listener is not reachable from this thread's (the host's) namespace.
  Result<TcpBandwidth> outside = MeasureTcpBandwidth(peer, token_file, std::chrono::seconds(1), 1);
  EXPECT_FALSE(outside.ok());
}

}  // namespace
}  // namespace hai::hwcheck
