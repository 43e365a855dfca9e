#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "hwcheck/host/cluster_token.h"
#include "hwcheck/host/peer_connection.h"
#include "hwcheck/host/peer_control.h"
#include "hwcheck/host/proc_text.h"
#include "hwcheck/host/serve_protocol.h"
#include "hwcheck/host/serve_test_util.h"
#include "hwcheck/suites.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck {
namespace {

using host::testing::ServerThread;
using host::testing::TempDir;

constexpr const char* kToken = "cluster-token-for-tests";

// The serve protocol over loopback, on a port the kernel picks.
class PeerServerTest : public ::testing::Test {
 protected:
  PeerServerTest() {
    options_.listen = "127.0.0.1:0";
    options_.max_test_seconds = 2;
    options_.hccn_tool = dir_.path() + "/no-such-dir/hccn_tool";
    token_file_ = dir_.Write("token", std::string("  ") + kToken + "\n");
  }
  Peer PeerAt(int port) const { return Peer{"n2", "127.0.0.1", port, {}}; }

  TempDir dir_;
  ServeOptions options_;
  std::string token_file_;
};

TEST_F(PeerServerTest, BandwidthIsMeasuredAtTheReceiver) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok()) << server.status().message();
  Result<TcpBandwidth> bw =
      MeasureTcpBandwidth(PeerAt(server.port()), token_file_, std::chrono::seconds(1), 2);
  ASSERT_TRUE(bw.ok()) << bw.status().message();
  EXPECT_GT(bw->bytes, 0u);
  EXPECT_GT(bw->gbps, 0);
  EXPECT_GT(bw->seconds, 0);
  EXPECT_EQ(bw->streams, 2);
}

TEST_F(PeerServerTest, WrongTokenIsRefusedWithAnError) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  std::string wrong = dir_.Write("wrong", "not-the-token\n");
  Result<TcpBandwidth> bw =
      MeasureTcpBandwidth(PeerAt(server.port()), wrong, std::chrono::seconds(1), 1);
  ASSERT_FALSE(bw.ok());
  EXPECT_EQ(bw.status().code(), Code::kUnauthenticated);
  EXPECT_NE(bw.status().message().find("refused the cluster token"), std::string::npos)
      << bw.status().message();
}

TEST_F(PeerServerTest, AProofForAnotherNonceIsRefused) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  Result<host::Socket> sock =
      host::ConnectTcp("127.0.0.1", server.port(), std::chrono::milliseconds(2000));
  ASSERT_TRUE(sock.ok());
  host::SetIoTimeout(sock->fd(), std::chrono::milliseconds(5000));
  Result<std::string> hello = host::ReadLine(sock->fd());
  ASSERT_TRUE(hello.ok());
  EXPECT_TRUE(hello->starts_with("HAI-HWCHECK 1 "));
  // A replayed proof (right token, some other nonce) must not pass.
  Result<std::string> answer =
      host::Ask(sock->fd(), PeerAt(server.port()), "AUTH " + host::TokenProof(kToken, "00ff"));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), Code::kUnauthenticated);
}

TEST_F(PeerServerTest, SecondsAndStreamsAreBounded) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  Peer peer = PeerAt(server.port());
  Result<host::Socket> sock =
      host::OpenAuthenticated(peer, kToken, std::chrono::milliseconds(5000));
  ASSERT_TRUE(sock.ok()) << sock.status().message();
  Result<std::string> granted = host::Ask(sock->fd(), peer, "BW 3600 64");
  ASSERT_TRUE(granted.ok()) << granted.status().message();
  std::vector<std::string_view> words = accel::SplitAny(*granted, " ");
  ASSERT_EQ(words.size(), 4u) << *granted;
  EXPECT_EQ(words[2], "2");  // max_test_seconds
  EXPECT_EQ(words[3], std::to_string(host::kMaxStreams));
}

TEST_F(PeerServerTest, UnknownRequestIsAnError) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  Peer peer = PeerAt(server.port());
  Result<host::Socket> sock = host::OpenAuthenticated(peer, kToken, std::chrono::seconds(5));
  ASSERT_TRUE(sock.ok());
  Result<std::string> answer = host::Ask(sock->fd(), peer, "SHELL rm -rf /");
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.status().message().find("unknown request"), std::string::npos);
}

TEST_F(PeerServerTest, RoceWithoutHccnToolSaysNotFound) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  Status st = StartPeerRoceServer(PeerAt(server.port()), token_file_, 0, std::chrono::seconds(1));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("hccn_tool not found"), std::string::npos) << st.message();
}

TEST_F(PeerServerTest, RdmaRefusesADeviceNameThatIsNotOne) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  for (const std::string& device :
       std::vector<std::string>{"mlx5_0;reboot", "../x", std::string(40, 'a')}) {
    Status st = StartPeerRdmaServer(PeerAt(server.port()), token_file_, device,
                                    std::chrono::seconds(1));
    ASSERT_FALSE(st.ok()) << device;
    EXPECT_NE(st.message().find("RDMA device name"), std::string::npos) << st.message();
  }
}

TEST_F(PeerServerTest, RdmaStartsPerftestFromThePath) {
  // A stand-in ib_write_bw first on PATH records the argv the peer runs.
  std::string record = dir_.path() + "/rdma-argv.txt";
  std::string tool = dir_.Write("ib_write_bw", "#!/bin/sh\necho \"$@\" > " + record + ".tmp && mv " +
                                                   record + ".tmp " + record + "\n");
  chmod(tool.c_str(), 0755);
  const char* old_path = getenv("PATH");
  std::string saved = old_path ? old_path : "";
  setenv("PATH", (dir_.path() + ":" + saved).c_str(), 1);
  {
    ServerThread server(options_, kToken);
    ASSERT_TRUE(server.status().ok());
    Status st = StartPeerRdmaServer(PeerAt(server.port()), token_file_, "mlx5_0",
                                    std::chrono::seconds(10));
    EXPECT_TRUE(st.ok()) << st.message();
  }
  setenv("PATH", saved.c_str(), 1);
  std::optional<std::string> argv = host::ReadSmallFile(record);
  ASSERT_TRUE(argv.has_value());
  EXPECT_EQ(*argv, "-d mlx5_0 -s 1048576 -D 2 --report_gbits\n");
}

TEST_F(PeerServerTest, RoceStartsTheFixedCommand) {
  // A stand-in hccn_tool that records its argv, to see exactly what the peer runs.
  std::string record = dir_.path() + "/argv.txt";
  options_.hccn_tool =
      dir_.Write("hccn_tool", "#!/bin/sh\necho \"$@\" > " + record + ".tmp && mv " + record +
                                  ".tmp " + record + "\n");
  chmod(options_.hccn_tool.c_str(), 0755);
  {
    ServerThread server(options_, kToken);
    ASSERT_TRUE(server.status().ok());
    ASSERT_TRUE(
        StartPeerRoceServer(PeerAt(server.port()), token_file_, 3, std::chrono::seconds(10)).ok());
  }  // the server joins the tool's thread before it is gone
  std::optional<std::string> argv = host::ReadSmallFile(record);
  ASSERT_TRUE(argv.has_value());
  // -D is bounded by max_test_seconds (2), not the 10 asked for.
  EXPECT_EQ(*argv, "-i 3 -roce_test ib_write_bw -s 1048576 -D 2 -report_gbits\n");
}

TEST_F(PeerServerTest, UnreachablePeerIsAnError) {
  // Bind a port and close it again: nothing listens there any more.
  int port = 0;
  {
    ServerThread server(options_, kToken);
    port = server.port();
  }
  Result<TcpBandwidth> bw =
      MeasureTcpBandwidth(PeerAt(port), token_file_, std::chrono::seconds(1), 1);
  ASSERT_FALSE(bw.ok());
  EXPECT_NE(bw.status().message().find("unreachable"), std::string::npos) << bw.status().message();
}

TEST_F(PeerServerTest, ServeWithoutTokenExitsOne) {
  options_.token_file = dir_.path() + "/missing.token";
  EXPECT_EQ(RunServe(options_), 1);
  options_.token_file = dir_.Write("empty.token", " \n");
  EXPECT_EQ(RunServe(options_), 1);
}

TEST_F(PeerServerTest, TcpChecksOnePassPerPeerAndFailForBadOnes) {
  ServerThread server(options_, kToken);
  ASSERT_TRUE(server.status().ok());
  HwProfile profile;
  EvidenceStore evidence("");
  CheckContext ctx;
  ctx.level = Level::kR4;
  ctx.profile = &profile;
  ctx.token_file = token_file_;
  ctx.bandwidth_duration = std::chrono::seconds(1);
  ctx.peers = {PeerAt(server.port()), Peer{"n3", "127.0.0.1", 1, {}}};
  Findings f;
  RunTcpBandwidthChecks(ctx, &f);
  ASSERT_EQ(f.items.size(), 2u);
  const CheckItem& good = f.items[0];
  EXPECT_EQ(good.id, "tcp.pair.n2");
  EXPECT_EQ(good.category, "bandwidth");
  EXPECT_EQ(good.level, Level::kR4);
  EXPECT_EQ(good.status, Verdict::kPass) << good.reason;
  EXPECT_EQ(good.threshold, "recorded (no baseline)");
  EXPECT_NE(good.value.find("Gb/s (TCP, 4 streams"), std::string::npos) << good.value;
  ASSERT_TRUE(good.number.has_value());
  EXPECT_GT(*good.number, 0);
  EXPECT_EQ(f.items[1].id, "tcp.pair.n3");
  EXPECT_EQ(f.items[1].status, Verdict::kFail);
  EXPECT_FALSE(f.items[1].reason.empty());

  // A floor no loopback reaches turns the same measurement into a FAIL.
  profile.tcp_min_gbps = 1e6;
  ctx.peers.resize(1);
  Findings slow;
  RunTcpBandwidthChecks(ctx, &slow);
  EXPECT_EQ(slow.items[0].status, Verdict::kFail);
  EXPECT_EQ(slow.items[0].threshold, ">= 1000000 Gb/s");
}

TEST_F(PeerServerTest, TcpChecksWithoutPeersOrBelowR4) {
  CheckContext ctx;
  ctx.level = Level::kR4;
  Findings f;
  RunTcpBandwidthChecks(ctx, &f);
  ASSERT_EQ(f.items.size(), 1u);
  EXPECT_EQ(f.items[0].id, "tcp.pair");
  EXPECT_EQ(f.items[0].status, Verdict::kSkip);
  EXPECT_EQ(f.items[0].reason, "no --peer given");
  ctx.level = Level::kR3;
  Findings none;
  RunTcpBandwidthChecks(ctx, &none);
  EXPECT_TRUE(none.items.empty());
}

}  // namespace
}  // namespace hai::hwcheck
