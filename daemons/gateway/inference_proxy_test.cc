// The gateway's serving path in one process, over real HTTP: the proxy
// behind lib/http's server, in front of small real HTTP servers that stand in
// for engine replicas with answers fixed byte for byte (the real engines are
// in tests/gateway_api_test.cc), and keys held in memory behind the
// KeyValidator seam.
#include "daemons/gateway/inference_proxy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemons/gateway/gateway_routes.h"
#include "daemons/gateway/replica_prober.h"
#include "lib/http/client.h"
#include "lib/http/server.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Bytes an engine might send, spacing and order included: the gateway must
// pass them on exactly.
const std::string kAnswer = R"({"id":"chatcmpl-1", "object":"chat.completion","choices":[]} )";
const std::vector<std::string> kEvents = {
    "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"He\"}}]}\n\n",
    "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"llo\"}}]}\n\n",
    "data: [DONE]\n\n"};

// An engine replica: POST /v1/chat/completions and /v1/embeddings, GET /health.
class Replica {
 public:
  enum class Mode { kNormal, kFail500, kBreakMidStream, kEndless };

  explicit Replica(Mode mode = Mode::kNormal) : mode_(mode) {
    for (const char* path : {"/v1/chat/completions", "/v1/embeddings"})
      router_.Add("POST", path, [this](http::Request& req) { return Chat(req); });
    router_.Add("GET", "/health", [this](http::Request&) {
      return http::Response::Json(healthy ? 200 : 503, {{"status", healthy ? "ok" : "loading"}});
    });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~Replica() { server_->Stop(); }
  std::string address() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  std::atomic<int> hits{0};
  std::atomic<bool> healthy{true};
  std::atomic<bool> saw_reader_leave{false};
  std::string last_body;  // written before the answer, read after it
  std::string last_request_id;
  // kNormal streams: the second event waits until the test has seen the
  // first; `released` says whether it did (rather than the wait running out).
  std::mutex mu;
  std::condition_variable cv;
  bool first_event_seen = false;
  std::atomic<bool> released{false};
  bool hold_second_event = false;  // set before the first request

 private:
  http::Response Chat(http::Request& req) {
    ++hits;
    last_body = req.body;
    last_request_id = req.Header("x-request-id");
    const bool stream = json::parse(req.body, nullptr, false).value("stream", false);
    if (mode_ == Mode::kFail500)
      return http::Response::Json(500, {{"error", {{"message", "engine fell over"}}}});
    if (!stream) return http::Response::Text(200, kAnswer, "application/json; charset=utf-8");
    return http::Response::Stream("text/event-stream", [this](const http::StreamWrite& write) {
      if (mode_ == Mode::kEndless) {
        for (int i = 0; i < 400; ++i) {
          if (!write(kEvents[0])) {
            saw_reader_leave = true;
            return false;
          }
          std::this_thread::sleep_for(25ms);
        }
        return true;
      }
      if (!write(kEvents[0])) return false;
      if (mode_ == Mode::kBreakMidStream) {
        write("data: {\"id\":\"c1\",\"cho");
        return false;  // the connection closes without the final chunk
      }
      if (hold_second_event) {
        std::unique_lock lock(mu);
        released = cv.wait_for(lock, 10s, [this] { return first_event_seen; });
      }
      for (size_t i = 1; i < kEvents.size(); ++i)
        if (!write(kEvents[i])) return false;
      return true;
    });
  }

  Mode mode_;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
};

class KeysInMemory final : public KeyValidator {
 public:
  Result<KeyInfo> Validate(const std::string& secret) override {
    std::lock_guard lock(mu);
    auto it = keys.find(secret);
    if (it == keys.end()) return KeyInfo{false, "unknown"};
    return it->second;
  }
  std::mutex mu;
  std::map<std::string, KeyInfo> keys;
};

KeyInfo Key(int64_t org, std::vector<std::string> scopes,
            std::optional<std::vector<std::string>> allowed = std::nullopt) {
  KeyInfo k;
  k.valid = true;
  k.key_id = 1;
  k.org_id = org;
  k.scopes = std::move(scopes);
  k.allowed_services = std::move(allowed);
  return k;
}

// A port nothing listens on: connections to it are refused.
int DeadPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_.keys["sk-ward"] = Key(7, {"inference"});
    keys_.keys["sk-manage"] = Key(7, {"management"});
    keys_.keys["sk-only-notes"] = Key(7, {"inference"}, std::vector<std::string>{"notes"});
    keys_.keys["sk-lab"] = Key(8, {"inference"});
    AddGatewayRoutes(&router_, &proxy_, &routes_, &registry_);
    server_ = std::make_unique<http::Server>(GatewayServerOptions("127.0.0.1", 0, 16, 4096),
                                             &router_, &registry_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override { server_->Stop(); }

  Replica& NewReplica(Replica::Mode mode = Replica::Mode::kNormal) {
    replicas_.push_back(std::make_unique<Replica>(mode));
    return *replicas_.back();
  }

  // Service "ward-chat" (org 7) with one deployment per list of addresses,
  // weights 100; "notes" (org 7) and "lab-chat" (org 8) without replicas.
  void Serve(const std::vector<std::vector<std::string>>& deployments) {
    cluster::RoutingTable t;
    t.version = ++version_;
    cluster::RouteService chat{1, "ward-chat", 7, "text-generation", {}};
    int64_t replica_id = 100;
    for (size_t i = 0; i < deployments.size(); ++i) {
      cluster::RouteDeployment d{static_cast<int64_t>(i + 1), 100, "active", {}};
      for (const std::string& address : deployments[i])
        d.replicas.push_back({replica_id++, address, "node-1"});
      chat.deployments.push_back(d);
    }
    t.services = {
        chat, {2, "notes", 7, "text-generation", {}}, {3, "lab-chat", 8, "text-generation", {}}};
    routes_.Update(t);
  }

  struct Reply {
    int status = 0;
    std::string body;
    json error;
    http::ClientResponse raw;
  };
  Reply Post(const std::string& key, const std::string& body,
             const std::string& path = "/v1/chat/completions") {
    http::Client client("127.0.0.1", server_->port(), 10000);
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    auto r = client.Send("POST", path, body, headers);
    if (!r.ok()) return {};
    auto j = json::parse(r->body, nullptr, false);
    return {r->status, r->body, j.is_object() && j.contains("error") ? j["error"] : json(), *r};
  }
  // The error has OpenAI's shape and the given status and code.
  void ExpectError(const Reply& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    ASSERT_TRUE(r.error.is_object()) << r.body;
    EXPECT_EQ(r.error["code"], code) << r.body;
    EXPECT_TRUE(r.error["message"].is_string()) << r.body;
    EXPECT_TRUE(r.error["type"].is_string()) << r.body;
    EXPECT_TRUE(r.error.contains("param")) << r.body;
  }

  const std::string kAsk = R"({"model":"ward-chat","messages":[{"role":"user","content":"hi"}]})";
  const std::string kAskStream =
      R"({"model":"ward-chat","stream":true,"messages":[{"role":"user","content":"hi"}]})";

  // Before the pool: its kept-alive connections close before the replicas stop.
  std::vector<std::unique_ptr<Replica>> replicas_;
  KeysInMemory keys_;
  FakeClock clock_{1'000'000};
  KeyCache key_cache_{&keys_, &clock_, {3000, 1000}};
  RouteMap routes_;
  Picker picker_{std::make_unique<LeastOutstandingScorer>(), 7};
  ClientPool upstreams_{10000, 1000, 8};
  metrics::Registry registry_;
  GatewayMetrics metrics_{&registry_};
  InferenceProxy proxy_{
      ProxyDeps{&key_cache_, &routes_, &picker_, &upstreams_, &metrics_, &clock_, {2, 1000, 8000}}};
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  int64_t version_ = 0;
};

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
