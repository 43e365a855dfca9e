#include "lib/http/server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lib/http/client.h"
#include "lib/log/log.h"

namespace hai::http {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("POST", "/echo", [](Request& r) { return Response::Text(200, r.body, "text/plain"); });
    router_.Add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("x"); });
    AddStandardRoutes(&router_, &registry_, nullptr);
    ServerOptions opts;
    opts.max_body_bytes = 1024;
    server_ = std::make_unique<Server>(opts, &router_, &registry_);
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<Client>("127.0.0.1", server_->port());
  }
  ClientResponse Send(const std::string& method, const std::string& path,
                      const std::string& body = {},
                      const std::vector<std::pair<std::string, std::string>>& h = {}) {
    auto r = client_->Send(method, path, body, h);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ClientResponse{};
  }
  Router router_;
  metrics::Registry registry_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

TEST_F(ServerTest, EchoesRequestIds) {
  ClientResponse r = Send("POST", "/echo", "hi", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hi");
  EXPECT_EQ(r.Header("X-Request-Id"), "abc-123");
  ClientResponse fresh = Send("POST", "/echo", "hi", {{"X-Request-Id", "bad id<script>"}});
  EXPECT_NE(fresh.Header("X-Request-Id"), "bad id<script>");
  EXPECT_FALSE(fresh.Header("X-Request-Id").empty());
}

TEST_F(ServerTest, JsonErrorsForUnknownRoutesMethodsAndBigBodies) {
  ClientResponse nf = Send("GET", "/nope");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nlohmann::json::parse(nf.body)["error"]["code"], "not_found");
  ClientResponse wm = Send("GET", "/echo");
  EXPECT_EQ(wm.status, 405);
  ClientResponse big = Send("POST", "/echo", std::string(4096, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(nlohmann::json::parse(big.body)["error"]["code"], "payload_too_large");
}

TEST_F(ServerTest, HandlerExceptionIsJson500) {
  ClientResponse r = Send("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "internal");
}

TEST_F(ServerTest, MetricsCountByRoute) {
  Send("POST", "/echo", "1");
  Send("POST", "/echo", "2");
  ClientResponse m = Send("GET", "/metrics");
  EXPECT_NE(m.body.find("hai_http_requests_total{method=\"POST\",route=\"/echo\",status=\"200\"} 2"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("hai_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
}

TEST_F(ServerTest, RoutineProbesLogAtDebugOthersAtInfo) {
  std::mutex mu;
  std::vector<std::string> lines;
  log::Init("test", log::Level::kInfo, log::Sink::kStderr);
  log::SetCaptureForTest([&](const std::string& l) {
    std::lock_guard lock(mu);
    lines.push_back(l);
  });
  Send("GET", "/healthz");
  Send("GET", "/metrics");
  Send("POST", "/echo", "hi");
  Send("GET", "/internal/v1/nothing");  // a 404: failures stay visible
  auto seen = [&](const std::string& needle) {
    std::lock_guard lock(mu);
    for (const std::string& l : lines)
      if (l.find(needle) != std::string::npos) return true;
    return false;
  };
  // The access line is written after the answer is sent: wait for the last one.
  for (int i = 0; i < 500 && !seen("path=/internal/v1/nothing"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  log::SetCaptureForTest(nullptr);
  EXPECT_TRUE(seen("path=/echo"));
  EXPECT_TRUE(seen("path=/internal/v1/nothing"));
  EXPECT_FALSE(seen("path=/healthz"));
  EXPECT_FALSE(seen("path=/metrics"));
}

TEST(ServerLifecycleTest, StopRightAfterStartReturns) {
  // Stop() used to race the listening thread's start and then wait forever.
  Router router;
  metrics::Registry registry;
  for (int i = 0; i < 50; ++i) {
    Server server(ServerOptions{}, &router, &registry);
    ASSERT_TRUE(server.Start().ok());
    server.Stop();
  }
}

}  // namespace
}  // namespace hai::http
