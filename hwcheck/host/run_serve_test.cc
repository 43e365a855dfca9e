#include <gtest/gtest.h>
#include <signal.h>

#include <future>

#include "hwcheck/host/peer_control.h"
#include "hwcheck/host/serve_test_util.h"
#include "hwcheck/host/tcp_socket.h"

namespace hai::hwcheck {
namespace {

using host::testing::TempDir;

void MarkerHandler(int) {}

// A port that was free a moment ago (RunServe takes ADDR:PORT; it cannot
// report a kernel-chosen port back).
int RecentlyFreePort() {
  Result<host::Socket> probe = host::ListenTcp("127.0.0.1", 0, 1);
  return probe.ok() ? host::LocalPort(probe->fd()) : 0;
}

TEST(RunServe, StopsOnSigtermAndRestoresTheHandler) {
  TempDir dir;
  struct sigaction marker {
  }, before{}, after{};
  marker.sa_handler = MarkerHandler;
  sigemptyset(&marker.sa_mask);
  ASSERT_EQ(sigaction(SIGTERM, &marker, &before), 0);

  ServeOptions options;
  const int port = RecentlyFreePort();
  ASSERT_GT(port, 0);
  options.listen = "127.0.0.1:" + std::to_string(port);
  options.token_file = dir.Write("token", "t0ken\n");
  std::future<int> served = std::async(std::launch::async, [&] { return RunServe(options); });

  bool up = false;
  for (int i = 0; i < 250 && !up; ++i) {  // until the listener answers (its handlers are set)
    up = host::ConnectTcp("127.0.0.1", port, std::chrono::milliseconds(200)).ok();
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(up) << "serve did not start listening";
  kill(getpid(), SIGTERM);
  ASSERT_EQ(served.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(served.get(), 0);

  ASSERT_EQ(sigaction(SIGTERM, &before, &after), 0);
  EXPECT_EQ(after.sa_handler, &MarkerHandler);  // RunServe put ours back
}

}  // namespace
}  // namespace hai::hwcheck
