// hai-gateway as it runs (the cluster: gateway_cluster_test.h): serving,
// keys and tenants, failover, canary weights. Answers are compared with the
// engine's own, byte for byte.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>

#include "daemons/gateway/tests/gateway_cluster_test.h"
#include "lib/http/url.h"

namespace hai::gateway::testing {
namespace {

TEST_F(GatewayClusterTest, AnswersAndStreamsAreTheEnginesOwn) {
  const int64_t service = CreateService("ward-chat", ward_);
  Deploy(service, 1);
  ASSERT_TRUE(WaitReady(service, 1)) << Replicas(service);
  const std::string key = MakeKey(ward_dev_, ward_, {"inference"});
  ASSERT_TRUE(WaitServed(key, "ward-chat"));
  auto engine_url =
      http::ParseHttpUrl(Replicas(service)[0]["address"].get<std::string>(), "address");
  ASSERT_TRUE(engine_url.ok());
  http::Client engine(engine_url->host, engine_url->port, 120000);

  for (const std::string path : {"/v1/chat/completions", "/v1/completions"}) {
    std::string body = Chat("ward-chat");
    if (path == "/v1/completions")
      body = json{
          {"model", "ward-chat"},
          {"prompt", "The ward"},
          {"max_tokens", 8},
          {"temperature",
           0}}.dump();
    auto direct = engine.Send("POST", path, body);
    ASSERT_TRUE(direct.ok());
    ASSERT_EQ(direct->status, 200) << direct->body;
    auto via = gateway_->Post(key, path, body);
    ASSERT_EQ(via.status, 200) << via.body;
    EXPECT_EQ(Normalise(via.body), Normalise(direct->body)) << path;
    EXPECT_EQ(via.raw.Header("Content-Type"), direct->Header("Content-Type"));
  }

  std::string direct_stream;
  auto direct = engine.SendStreaming("POST", "/v1/chat/completions", Chat("ward-chat", true), {},
                                     [&](std::string_view data) {
                                       direct_stream += data;
                                       return true;
                                     });
  ASSERT_TRUE(direct.ok());
  auto via = gateway_->Stream(key, "/v1/chat/completions", Chat("ward-chat", true));
  ASSERT_EQ(via.status, 200);
  EXPECT_EQ(via.raw.Header("Content-Type"), direct->Header("Content-Type"));
  EXPECT_EQ(Normalise(via.body), Normalise(direct_stream));
  EXPECT_NE(via.body.find("data: [DONE]"), std::string::npos) << via.body;
  EXPECT_NE(Normalise(via.body).find("\"id\":\"*\""), std::string::npos) << "ids were compared";

  auto models = gateway_->Get(key, "/v1/models");
  ASSERT_EQ(models.status, 200) << models.body;
  ASSERT_EQ(models.json["data"].size(), 1u) << models.body;
  EXPECT_EQ(models.json["data"][0]["id"], "ward-chat");
}

TEST_F(GatewayClusterTest, KeysScopesAndTenants) {
  const int64_t ward_chat = CreateService("ward-chat", ward_);
  CreateService("lab-chat", lab_);  // no deployment: 503 for its own org, 404 for others
  Deploy(ward_chat, 1);
  ASSERT_TRUE(WaitReady(ward_chat, 1)) << Replicas(ward_chat);
  int64_t revocable = 0;
  const std::map<std::string, std::string> keys = {
      {"ward", MakeKey(ward_dev_, ward_, {"inference"}, std::nullopt, &revocable)},
      {"ward-both", MakeKey(ward_dev_, ward_, {"inference", "management"})},
      {"ward-manage", MakeKey(ward_dev_, ward_, {"management"})},
      {"ward-elsewhere",
       MakeKey(ward_dev_, ward_, {"inference"}, std::vector<std::string>{"other"})},
      {"ward-named",
       MakeKey(ward_dev_, ward_, {"inference"}, std::vector<std::string>{"ward-chat"})},
      {"lab", MakeKey(lab_dev_, lab_, {"inference"})},
      {"none", ""},
      {"forged", "sk-hai-" + std::string(43, 'A')}};
  ASSERT_TRUE(WaitServed(keys.at("ward"), "ward-chat"));
  struct Case {
    std::string key, model;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"ward", "ward-chat", 200, ""},
      {"ward-both", "ward-chat", 200, ""},
      {"ward-named", "ward-chat", 200, ""},
      {"ward-manage", "ward-chat", 403, "insufficient_scope"},
      {"ward-elsewhere", "ward-chat", 403, "model_not_allowed"},
      {"ward", "lab-chat", 404, "model_not_found"},
      {"ward", "no-such-model", 404, "model_not_found"},
      {"lab", "ward-chat", 404, "model_not_found"},
      {"lab", "lab-chat", 503, "no_ready_replica"},
      {"none", "ward-chat", 401, "missing_api_key"},
      {"forged", "ward-chat", 401, "invalid_api_key"},
  };
  for (const Case& c : cases) {
    auto r = gateway_->Post(keys.at(c.key), "/v1/chat/completions", Chat(c.model, false, 1));
    EXPECT_EQ(r.status, c.status) << c.key << " → " << c.model << ": " << r.body;
    if (c.code.empty()) continue;
    EXPECT_EQ(r.json["error"]["code"], c.code) << c.key << " → " << c.model << ": " << r.body;
    EXPECT_TRUE(r.json["error"]["type"].is_string()) << r.body;
    EXPECT_TRUE(r.json["error"]["message"].is_string()) << r.body;
  }
  EXPECT_EQ(gateway_->Get(keys.at("ward-manage"), "/v1/models").status, 403);
  EXPECT_EQ(gateway_->Get(keys.at("lab"), "/v1/models").json["data"][0]["id"], "lab-chat");
  EXPECT_EQ(gateway_->Get(keys.at("ward-elsewhere"), "/v1/models").json["data"].size(), 0u);

  auto bad = gateway_->Post(keys.at("ward"), "/v1/chat/completions", "{\"model\":");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["code"], "invalid_json");
  auto big =
      gateway_->Post(keys.at("ward"), "/v1/chat/completions",
                     json{{"model", "ward-chat"}, {"prompt", std::string(70000, 'x')}}.dump());
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.json["error"]["type"], "invalid_request_error");

  // Revoked through the portal: refused within the cache's time (polled).
  ASSERT_EQ(
      portal_->Send("DELETE", "/api/v1/api-keys/" + std::to_string(revocable), ward_dev_).status,
      204);
  EXPECT_TRUE(WaitFor(
      [&] {
        return gateway_->Post(keys.at("ward"), "/v1/chat/completions", Chat("ward-chat", false, 1))
                   .status == 401;
      },
      100));
  EXPECT_EQ(gateway_->Post(keys.at("ward"), "/v1/chat/completions", Chat("ward-chat", false, 1))
                .json["error"]["code"],
            "api_key_revoked");
}

TEST_F(GatewayClusterTest, KillingOneOfTwoEnginesFailsNoRequest) {
  const int64_t service = CreateService("ward-chat", ward_);
  Deploy(service, 2);
  ASSERT_TRUE(WaitReady(service, 2)) << Replicas(service);
  const std::string key = MakeKey(ward_dev_, ward_, {"inference"});
  ASSERT_TRUE(WaitServed(key, "ward-chat", 1, 2)) << "both replicas take requests";
  const int victim = Replicas(service)[0]["pid"].get<int>();
  ASSERT_GT(victim, 0);

  // Two callers send requests one after another; once some have been
  // answered, one engine is killed with SIGKILL, and the callers go on until
  // each has had kAfterKill more answers (bounded overall by kMaxPerThread).
  constexpr int kAfterKill = 40;
  constexpr int kMaxPerThread = 2000;
  std::atomic<int> done{0};
  std::atomic<bool> killed{false};
  std::mutex mu;
  std::vector<std::string> failures;
  int after_kill = 0;
  double slowest_ms = 0;
  auto caller = [&] {
    int mine_after_kill = 0;
    for (int i = 0; i < kMaxPerThread && mine_after_kill < kAfterKill; ++i) {
      const bool was_killed = killed;
      const auto start = std::chrono::steady_clock::now();
      auto r = gateway_->Post(key, "/v1/chat/completions", Chat("ward-chat", false, 16));
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      std::lock_guard lock(mu);
      if (was_killed) {
        ++mine_after_kill;
        ++after_kill;
        slowest_ms = std::max(slowest_ms, ms);
      }
      if (r.status != 200) failures.push_back(std::to_string(r.status) + " " + r.body);
      ++done;
    }
  };
  std::thread a(caller), b(caller);
  for (int i = 0; i < 60000 && done < 8; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  killed = true;
  a.join();
  b.join();
  EXPECT_EQ(after_kill, 2 * kAfterKill);
  EXPECT_TRUE(failures.empty()) << failures.size()
                                << " failed, first: " << (failures.empty() ? "" : failures[0]);
  // The dead replica was met and failed over from (not only dropped from
  // the routing table later).
  auto metrics = gateway_->Get("", "/metrics");
  EXPECT_NE(metrics.body.find("hai_gateway_replica_ejections_total{service=\"ward-chat\"}"),
            std::string::npos)
      << metrics.body;
  // The interruption a caller saw: the slowest request after the kill.
  RecordProperty("slowest_request_after_kill_ms", std::to_string(static_cast<int>(slowest_ms)));
  std::printf("requests after the kill: %d, slowest: %.1f ms\n", after_kill, slowest_ms);
}

TEST_F(GatewayClusterTest, CanaryWeightsSplitTrafficAndWeightZeroTakesADeploymentOut) {
  const int64_t service = CreateService("ward-chat", ward_);
  const int64_t stable = Deploy(service, 1);
  const int64_t canary = Deploy(service, 1);
  ASSERT_TRUE(WaitReady(service, 2)) << Replicas(service);
  const std::string key = MakeKey(ward_dev_, ward_, {"inference"});
  ASSERT_TRUE(WaitServed(key, "ward-chat", 2, 2));
  auto count = [&](int n) {
    std::map<int64_t, int> by_deployment;
    for (int i = 0; i < n; ++i) {
      auto r = gateway_->Post(key, "/v1/chat/completions", Chat("ward-chat", false, 1));
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status == 200) by_deployment[std::stoll(r.raw.Header("X-Hai-Deployment"))]++;
    }
    return by_deployment;
  };
  // Equal weights (100 each): within five standard deviations of half.
  constexpr int kRequests = 60;
  auto split = count(kRequests);
  EXPECT_NEAR(split[canary], kRequests / 2.0, 5 * std::sqrt(kRequests * 0.25)) << split[canary];
  EXPECT_EQ(split[stable] + split[canary], kRequests);

  // A 90/10 canary: within five standard deviations of a tenth.
  SetWeight(service, stable, 90);
  SetWeight(service, canary, 10);
  constexpr int kCanaryRequests = 200;
  split = count(kCanaryRequests);
  EXPECT_NEAR(split[canary], kCanaryRequests * 0.1, 5 * std::sqrt(kCanaryRequests * 0.1 * 0.9))
      << split[canary];
  EXPECT_EQ(split[stable] + split[canary], kCanaryRequests);

  // Rollback: the canary's weight goes to 0 and its traffic stops.
  const auto rollback = std::chrono::steady_clock::now();
  SetWeight(service, canary, 0);
  std::printf("rollback reached the gateway after %.0f ms\n",
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - rollback)
                  .count());
  int in_a_row = 0;
  EXPECT_TRUE(WaitFor([&] {
    in_a_row = count(1)[stable] == 1 ? in_a_row + 1 : 0;
    return in_a_row >= 20;
  }));
  EXPECT_EQ(count(30)[stable], 30);
  // And the other way round: everything to the canary.
  SetWeight(service, canary, 100);
  SetWeight(service, stable, 0);
  in_a_row = 0;
  EXPECT_TRUE(WaitFor([&] {
    in_a_row = count(1)[canary] == 1 ? in_a_row + 1 : 0;
    return in_a_row >= 20;
  }));
  EXPECT_EQ(count(30)[canary], 30);
}

}  // namespace
}  // namespace hai::gateway::testing
