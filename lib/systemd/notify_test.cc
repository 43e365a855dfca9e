#include "lib/systemd/notify.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "lib/systemd/signals.h"

namespace hai::systemd {
namespace {

// A real datagram socket stands in for systemd's notify socket.
TEST(NotifyTest, SendsReadyToTheNotifySocket) {
  std::string path = "/tmp/hai-notify-test-" + std::to_string(getpid());
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
  unlink(path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  setenv("NOTIFY_SOCKET", path.c_str(), 1);
  NotifyReady();
  NotifyStatus("loading");
  char buf[256] = {};
  ASSERT_GT(recv(fd, buf, sizeof(buf) - 1, 0), 0);
  EXPECT_EQ(std::string(buf), "READY=1");
  char buf2[256] = {};
  ASSERT_GT(recv(fd, buf2, sizeof(buf2) - 1, 0), 0);
  EXPECT_EQ(std::string(buf2), "STATUS=loading");
  unsetenv("NOTIFY_SOCKET");
  close(fd);
  unlink(path.c_str());
}

TEST(NotifyTest, NoWatchdogWithoutSystemd) {
  unsetenv("WATCHDOG_USEC");
  EXPECT_FALSE(WatchdogPingInterval().has_value());
}

TEST(SignalWaiterTest, ReturnsOnSigterm) {
  SignalWaiter waiter;
  int ticks = 0;
  std::thread sender([] { kill(getpid(), SIGTERM); });
  int sig = waiter.Wait(std::chrono::milliseconds(50), [&] { ++ticks; });
  sender.join();
  EXPECT_EQ(sig, SIGTERM);
  EXPECT_GE(ticks, 1);
}

TEST(ReadyFileTest, HoldsThePortAndNoTemporaryIsLeft) {
  char dir_template[] = "/tmp/hai-ready-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/ready.json";
  WriteReadyFile(path, 8123);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "{\"port\":8123}\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove_all(dir_template);
}

}  // namespace
}  // namespace hai::systemd
