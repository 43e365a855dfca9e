#include "daemons/agent/port_pool.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

namespace hai::agent {
namespace {

// A listening socket on a free port the kernel picks: something else's port.
int ListenAnywhere(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(fd, 1);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

TEST(PortPoolTest, SkipsPortsInUseAndHandsEachOutOnce) {
  int taken = 0;
  int fd = ListenAnywhere(&taken);
  ASSERT_GT(taken, 0);
  EXPECT_FALSE(PortPool::Bindable(taken));
  // A range around the taken port (the neighbours may be taken too: the pool
  // checks, so whatever it hands out is free and distinct).
  int first = std::max(1024, taken - 2), last = std::min(65535, taken + 2);
  PortPool pool(first, last);
  std::set<int> got;
  for (;;) {
    auto port = pool.Acquire();
    if (!port.ok()) {
      EXPECT_EQ(port.status().code(), Code::kResourceExhausted);
      break;
    }
    EXPECT_NE(*port, taken);
    EXPECT_TRUE(got.insert(*port).second) << "handed out twice: " << *port;
  }
  EXPECT_LE(got.size(), static_cast<size_t>(last - first));
  close(fd);
  // Released ports come back.
  if (!got.empty()) {
    pool.Release(*got.begin());
    EXPECT_EQ(pool.Acquire().value(), *got.begin());
  }
}

}  // namespace
}  // namespace hai::agent
