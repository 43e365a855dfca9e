// The gateway's serving path in one process, over real HTTP (the rig:
// proxy_test_fixture.h): relaying, streaming, failover, keys.
#include "daemons/gateway/inference_proxy.h"

#include <gtest/gtest.h>

#include "daemons/gateway/proxy_test_fixture.h"
#include "daemons/gateway/replica_prober.h"

namespace hai::gateway {
namespace {

using namespace proxy_testing;

TEST_F(GatewayTest, AnswersPassThroughUnchanged) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  auto r = Post("sk-ward", kAsk);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, kAnswer);
  EXPECT_EQ(r.raw.Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.raw.Header("X-Hai-Deployment"), "1");
  EXPECT_EQ(r.raw.Header("X-Hai-Replica"), "100");
  EXPECT_EQ(replica.last_body, kAsk) << "the body is forwarded as it came";
  EXPECT_EQ(replica.last_request_id, r.raw.Header("X-Request-Id")) << "one request id in both logs";
  // Every OpenAI path goes the same way.
  EXPECT_EQ(Post("sk-ward", R"({"model":"ward-chat","input":"x"})", "/v1/embeddings").body,
            kAnswer);
}

TEST_F(GatewayTest, StreamsPassThroughByteForByteAsTheyCome) {
  Replica& replica = NewReplica();
  replica.hold_second_event = true;
  Serve({{replica.address()}});
  http::Client client("127.0.0.1", server_->port(), 10000);
  std::string received;
  auto r = client.SendStreaming("POST", "/v1/chat/completions", kAskStream,
                                {{"Authorization", "Bearer sk-ward"}}, [&](std::string_view data) {
                                  received += data;
                                  if (received == kEvents[0]) {
                                    // The replica holds its second event until we have seen the
                                    // first: through a gateway that buffered, it would wait in
                                    // vain.
                                    std::lock_guard lock(replica.mu);
                                    replica.first_event_seen = true;
                                    replica.cv.notify_all();
                                  }
                                  return true;
                                });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"), "text/event-stream");
  EXPECT_TRUE(replica.released) << "the first event must arrive before the stream ends";
  EXPECT_EQ(received, kEvents[0] + kEvents[1] + kEvents[2]);
}

TEST_F(GatewayTest, ACallerLeavingAStreamCutsTheReplicasConnection) {
  Replica& replica = NewReplica(Replica::Mode::kEndless);
  Serve({{replica.address()}});
  http::Client client("127.0.0.1", server_->port(), 10000);
  auto r = client.SendStreaming("POST", "/v1/chat/completions", kAskStream,
                                {{"Authorization", "Bearer sk-ward"}},
                                [](std::string_view) { return false; });
  EXPECT_FALSE(r.ok());
  for (int i = 0; i < 200 && !replica.saw_reader_leave; ++i) std::this_thread::sleep_for(25ms);
  EXPECT_TRUE(replica.saw_reader_leave);
}

TEST_F(GatewayTest, ABrokenStreamEndsWithAnErrorEvent) {
  Replica& broken = NewReplica(Replica::Mode::kBreakMidStream);
  Serve({{broken.address()}});
  http::Client client("127.0.0.1", server_->port(), 10000);
  std::string received;
  auto r = client.SendStreaming("POST", "/v1/chat/completions", kAskStream,
                                {{"Authorization", "Bearer sk-ward"}}, [&](std::string_view data) {
                                  received += data;
                                  return true;
                                });
  ASSERT_TRUE(r.ok()) << "the caller's stream itself ends properly";
  const std::string cut = "data: {\"id\":\"c1\",\"cho";
  ASSERT_EQ(received.rfind(kEvents[0] + cut + "\n\ndata: ", 0), 0u) << received;
  auto event = json::parse(received.substr(kEvents[0].size() + cut.size() + 8), nullptr, false);
  ASSERT_TRUE(event.is_object()) << received;
  EXPECT_EQ(event["error"]["code"], "upstream_stream_broken");
  EXPECT_EQ(event["error"]["type"], "server_error");
  EXPECT_NE(event["error"]["message"].get<std::string>().find("midway"), std::string::npos);
  EXPECT_EQ(received.substr(received.size() - 2), "\n\n");
  EXPECT_TRUE(routes_.Replicas()[0]->ejected());
}

TEST_F(GatewayTest, ConnectionErrorsAndServerErrorsGoToAnotherReplica) {
  Replica& good = NewReplica();
  Replica& failing = NewReplica(Replica::Mode::kFail500);
  const std::string dead = "http://127.0.0.1:" + std::to_string(DeadPort());
  Serve({{dead, failing.address(), good.address()}});
  // Which replica a request tries first is chosen at random among the idle
  // ones: go on until both bad ones have been met (bounded).
  auto ejected = [&] {
    int n = 0;
    for (const auto& r : routes_.Replicas()) n += r->ejected();
    return n;
  };
  int requests = 0;
  for (; requests < 20 || (ejected() < 2 && requests < 500); ++requests) {
    auto r = Post("sk-ward", requests % 2 ? kAskStream : kAsk);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(good.hits, requests);
  EXPECT_EQ(failing.hits, 1) << "a failing replica is ejected, not tried again and again";
  for (const auto& r : routes_.Replicas())
    EXPECT_EQ(r->ejected(), r->address() != good.address()) << r->address();
  EXPECT_GE(metrics_.retries->Value({{"service", "ward-chat"}}), 2);
  EXPECT_EQ(metrics_.ejections->Value({{"service", "ward-chat"}}), 2);
}

TEST_F(GatewayTest, WhenEveryReplicaFailsTheLastAnswerOrA503IsPassedOn) {
  Replica& failing = NewReplica(Replica::Mode::kFail500);
  Serve({{failing.address()}});
  auto r = Post("sk-ward", kAsk);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.error["message"], "engine fell over");
  Serve({{"http://127.0.0.1:" + std::to_string(DeadPort())}});
  ExpectError(Post("sk-ward", kAsk), 503, "replicas_unavailable");
  Serve({});
  ExpectError(Post("sk-ward", kAsk), 503, "no_ready_replica");
}

TEST_F(GatewayTest, EjectedReplicasReturnAfterAGoodProbe) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}, {"http://127.0.0.1:" + std::to_string(DeadPort())}});
  ReplicaProber prober(&routes_, &metrics_, &clock_, 1000, 8000);
  for (const auto& r : routes_.Replicas()) r->Eject(clock_.NowMs(), 1000, 8000);
  replica.healthy = false;
  clock_.AdvanceMs(1000);
  prober.ProbeDue();
  for (const auto& r : routes_.Replicas()) EXPECT_TRUE(r->ejected());
  replica.healthy = true;
  clock_.AdvanceMs(1999);
  prober.ProbeDue();
  for (const auto& r : routes_.Replicas()) EXPECT_TRUE(r->ejected()) << "the wait doubled";
  clock_.AdvanceMs(1);
  prober.ProbeDue();
  for (const auto& r : routes_.Replicas())
    EXPECT_EQ(r->ejected(), r->address() != replica.address()) << r->address();
  EXPECT_EQ(metrics_.probes->Value({{"result", "ok"}}), 1);
}

TEST_F(GatewayTest, KeysScopesAndOrganisations) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  ExpectError(Post("", kAsk), 401, "missing_api_key");
  ExpectError(Post("sk-nobody", kAsk), 401, "invalid_api_key");
  ExpectError(Post("sk-manage", kAsk), 403, "insufficient_scope");
  ExpectError(Post("sk-only-notes", kAsk), 403, "model_not_allowed");
  ExpectError(Post("sk-lab", kAsk), 404, "model_not_found");  // another organisation's model
  EXPECT_EQ(Post("sk-ward", kAsk).status, 200);
  EXPECT_EQ(Post("sk-lab", R"({"model":"lab-chat"})").status, 503) << "its own: no replica yet";
  EXPECT_EQ(replica.hits, 1);
  {
    std::lock_guard lock(keys_.mu);
    keys_.keys["sk-ward"].valid = false;
    keys_.keys["sk-ward"].reason = "revoked";
  }
  clock_.AdvanceMs(3000);
  ExpectError(Post("sk-ward", kAsk), 401, "api_key_revoked");
}

TEST_F(GatewayTest, BadRequestsInOpenAisShape) {
  Replica& replica = NewReplica();
  Serve({{replica.address()}});
  ExpectError(Post("sk-ward", "{\"model\": "), 400, "invalid_json");
  ExpectError(Post("sk-ward", "[1]"), 400, "invalid_type");
  ExpectError(Post("sk-ward", R"({"messages":[]})"), 400, "missing_required_parameter");
  ExpectError(Post("sk-ward", R"({"model":7})"), 400, "invalid_type");
  ExpectError(Post("sk-ward", R"({"model":"no-such-model"})"), 404, "model_not_found");
  ExpectError(Post("sk-ward", R"({"model":"ward-chat","pad":")" + std::string(5000, 'x') + "\"}"),
              413, "payload_too_large");
  ExpectError(Post("sk-ward", kAsk, "/v1/images/generations"), 404, "not_found");
  http::Client client("127.0.0.1", server_->port(), 10000);
  auto wrong_method = client.Send("GET", "/v1/chat/completions");
  ASSERT_TRUE(wrong_method.ok());
  EXPECT_EQ(wrong_method->status, 405);
  EXPECT_EQ(json::parse(wrong_method->body)["error"]["type"], "invalid_request_error");
  EXPECT_EQ(replica.hits, 0) << "nothing bad reaches a replica";
}

TEST_F(GatewayTest, ModelsListsWhatTheKeyMayCall) {
  Serve({});
  http::Client client("127.0.0.1", server_->port(), 10000);
  auto list = [&](const std::string& key) {
    auto r = client.Send("GET", "/v1/models", "", {{"Authorization", "Bearer " + key}});
    std::set<std::string> names;
    if (!r.ok() || r->status != 200) {
      ADD_FAILURE() << (r.ok() ? r->body : r.status().ToString());
      return names;
    }
    const json answer = json::parse(r->body);
    for (const auto& m : answer["data"]) names.insert(m["id"].get<std::string>());
    return names;
  };
  EXPECT_EQ(list("sk-ward"), (std::set<std::string>{"notes", "ward-chat"}));
  EXPECT_EQ(list("sk-only-notes"), (std::set<std::string>{"notes"}));
  EXPECT_EQ(list("sk-lab"), (std::set<std::string>{"lab-chat"}));
  auto r = client.Send("GET", "/v1/models", "", {{"Authorization", "Bearer sk-manage"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 403);
  auto metrics = client.Send("GET", "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_EQ(metrics->body.find("sk-"), std::string::npos) << "no key in any label";
}

}  // namespace
}  // namespace hai::gateway
