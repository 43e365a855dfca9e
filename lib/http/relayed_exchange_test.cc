// RelayedExchange over real loopback sockets: a server whose answers are
// passed on piece by piece, read whole, cut by our caller leaving, or broken
// off by the other side.
#include "lib/http/relayed_exchange.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "lib/http/server.h"

namespace hai::http {
namespace {

using namespace std::chrono_literals;

bool WaitFor(const std::function<bool()>& done, int tries = 1000) {
  for (int i = 0; i < tries; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

// A loopback socket that listens but never accepts: connecting works (the
// kernel's backlog), and no answer ever comes.
int SilentListener(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd, 4) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return -1;
  *port = ntohs(addr.sin_port);
  return fd;
}

class RelayedExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("POST", "/three", [](Request& req) {
      return Response::Stream("text/event-stream", [body = req.body](const StreamWrite& write) {
        for (int i = 0; i < 3; ++i)
          if (!write("data: " + body + std::to_string(i) + "\n\n")) return false;
        return true;
      });
    });
    router_.Add("POST", "/refused", [](Request&) {
      return Response::Json(503, {{"error", {{"code", "busy"}, {"message", "queue full"}}}});
    });
    router_.Add("GET", "/endless", [this](Request&) {
      return Response::Stream("text/plain", [this](const StreamWrite& write) {
        // Bounded: 20 000 pieces at 1 ms is far longer than any test here waits.
        for (int i = 0; i < 20000; ++i) {
          if (!write("piece " + std::to_string(i) + "\n")) {
            producer_saw_gone_ = true;
            return false;
          }
          std::this_thread::sleep_for(1ms);
        }
        return true;
      });
    });
    // Two events, then the connection drops without the stream's end.
    router_.Add("POST", "/cut", [](Request&) {
      return Response::Stream("text/event-stream", [](const StreamWrite& write) {
        write("data: 1\n\n");
        write("data: 2\n\ndata: half");
        return false;
      });
    });
    server_ = std::make_unique<Server>(ServerOptions{}, &router_, &registry_);
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<Client>("127.0.0.1", server_->port(), 10000);
  }

  Router router_;
  metrics::Registry registry_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
  std::atomic<bool> producer_saw_gone_{false};
};

TEST_F(RelayedExchangeTest, PassesEveryPieceOnInOrderAfterTheHead) {
  RelayedExchange exchange(client_.get());
  auto head = exchange.Start({"POST", "/three", "x", "application/json", {}}, nullptr);
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Type"), "text/event-stream");
  std::string written, seen;
  auto end = exchange.Forward(
      [&](std::string_view piece) {
        written.append(piece);
        return true;
      },
      [&](const std::string& piece) { seen += piece; });
  EXPECT_EQ(end, RelayedExchange::End::kComplete);
  EXPECT_EQ(written, "data: x0\n\ndata: x1\n\ndata: x2\n\n");
  EXPECT_EQ(seen, written);
  EXPECT_TRUE(exchange.status().ok());
}

TEST_F(RelayedExchangeTest, AnErrorAnswerIsReadWhole) {
  RelayedExchange exchange(client_.get());
  auto head = exchange.Start({"POST", "/refused", "{}", "application/json", {}}, nullptr);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 503);
  auto body = exchange.ReadBody();
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find("queue full"), std::string::npos) << *body;
}

TEST_F(RelayedExchangeTest, AnAnswerOverTheLimitIsRefused) {
  RelayedExchange exchange(client_.get());
  ASSERT_TRUE(exchange.Start({"GET", "/endless", "", "", {}}, nullptr).ok());
  auto body = exchange.ReadBody(100);
  EXPECT_FALSE(body.ok());
  EXPECT_NE(body.status().message().find("over 100 bytes"), std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return producer_saw_gone_.load(); }))
      << "the other side's connection must be cut";
}

TEST_F(RelayedExchangeTest, OurCallerLeavingCutsTheOtherConnection) {
  RelayedExchange exchange(client_.get());
  ASSERT_TRUE(exchange.Start({"GET", "/endless", "", "", {}}, nullptr).ok());
  int writes = 0;
  auto end = exchange.Forward([&](std::string_view) { return ++writes < 3; });
  EXPECT_EQ(end, RelayedExchange::End::kCallerGone);
  EXPECT_TRUE(WaitFor([&] { return producer_saw_gone_.load(); }));
}

TEST_F(RelayedExchangeTest, AStreamBrokenMidwayEndsAsBrokenAfterWhatCame) {
  RelayedExchange exchange(client_.get());
  ASSERT_TRUE(exchange.Start({"POST", "/cut", "{}", "application/json", {}}, nullptr).ok());
  std::string written;
  auto end = exchange.Forward([&](std::string_view piece) {
    written.append(piece);
    return true;
  });
  EXPECT_EQ(end, RelayedExchange::End::kBroken);
  EXPECT_FALSE(exchange.status().ok());
  EXPECT_EQ(written.rfind("data: 1\n\n", 0), 0u) << written;
}

TEST_F(RelayedExchangeTest, NoServerMeansNoHead) {
  const int port = server_->port();
  server_.reset();
  Client gone("127.0.0.1", port, 2000);
  RelayedExchange exchange(&gone);
  auto head = exchange.Start({"POST", "/three", "{}", "application/json", {}}, nullptr);
  EXPECT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), Code::kUnavailable);
}

TEST_F(RelayedExchangeTest, OurCallerLeavingBeforeTheHeadStopsTheWait) {
  int port = 0;
  const int fd = SilentListener(&port);
  ASSERT_GE(fd, 0);
  Client silent("127.0.0.1", port, 60000);
  RelayedExchange exchange(&silent);
  std::atomic<int> asked{0};
  auto head = exchange.Start({"POST", "/x", "{}", "application/json", {}},
                             [&] { return ++asked >= 2; });
  EXPECT_FALSE(head.ok());
  EXPECT_GE(asked.load(), 2);
  ::close(fd);
}

}  // namespace
}  // namespace hai::http
