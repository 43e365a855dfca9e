// The serving path's test rig, shared by the proxy's tests: the proxy
// behind lib/http's server, in front of small real HTTP servers that stand in
// for engine replicas with answers fixed byte for byte (the real engines are
// in tests/gateway_api_test.cc), keys held in memory behind the KeyValidator
// seam, and call records collected in memory behind the CallRecordSink seam.
#pragma once

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
#include "daemons/gateway/inference_proxy.h"
#include "lib/http/client.h"
#include "lib/http/server.h"

namespace hai::gateway::proxy_testing {

using namespace std::chrono_literals;
using nlohmann::json;

// Bytes an engine might send, spacing and order included: the gateway must
// pass them on exactly.
inline const std::string kAnswer =
    R"({"id":"chatcmpl-1", "object":"chat.completion","choices":[]} )";
inline const std::vector<std::string> kEvents = {
    "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"He\"}}]}\n\n",
    "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"llo\"}}]}\n\n",
    "data: [DONE]\n\n"};
// What an engine that reports usage answers instead (usage last, with
// OpenAI's nested details), and the event it ends a stream with when asked
// for stream_options.include_usage.
inline const std::string kAnswerWithUsage =
    R"({"id":"chatcmpl-2","object":"chat.completion","choices":[{"index":0,)"
    R"("message":{"role":"assistant","content":"Hello there"}}],)"
    R"("usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14,)"
    R"("prompt_tokens_details":{"cached_tokens":0}}})";
inline const std::string kUsageEvent =
    "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
    "\"completion_tokens\":2,\"total_tokens\":11}}\n\n";
// The cluster token the portal's playground relay presents.
inline const std::string kClusterToken = "cluster-token-for-proxy-tests-0123456789";

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
  bool hold_second_event = false;          // set before the first request
  std::atomic<bool> reports_usage{false};  // non-streamed answers: kAnswerWithUsage

 private:
  http::Response Chat(http::Request& req) {
    ++hits;
    last_body = req.body;
    last_request_id = req.Header("x-request-id");
    const json ask = json::parse(req.body, nullptr, false);
    const bool stream = ask.value("stream", false);
    // As hai-engine: the usage event only when the caller asked for it.
    const bool usage_event = stream && ask.contains("stream_options") &&
                             ask["stream_options"].value("include_usage", false);
    if (mode_ == Mode::kFail500)
      return http::Response::Json(500, {{"error", {{"message", "engine fell over"}}}});
    if (!stream)
      return http::Response::Text(200, reports_usage ? kAnswerWithUsage : kAnswer,
                                  "application/json; charset=utf-8");
    return http::Response::Stream(
        "text/event-stream", [this, usage_event](const http::StreamWrite& write) {
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
          for (size_t i = 1; i < kEvents.size(); ++i) {
            if (i + 1 == kEvents.size() && usage_event && !write(kUsageEvent)) return false;
            if (!write(kEvents[i])) return false;
          }
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

inline KeyInfo Key(int64_t org, std::vector<std::string> scopes,
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
inline int DeadPort() {
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

// Call records as the proxy hands them over.
class RecordsInMemory final : public CallRecordSink {
 public:
  void Add(CallRecord record) override {
    std::lock_guard lock(mu_);
    records_.push_back(std::move(record));
    cv_.notify_all();
  }
  // Every record so far, once there are at least `n` (bounded wait).
  std::vector<CallRecord> Wait(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return records_.size() >= n; });
    return records_;
  }
  // The record of one request (the X-Request-Id its answer carried).
  std::optional<CallRecord> Of(const std::string& request_id) {
    std::unique_lock lock(mu_);
    std::optional<CallRecord> found;
    cv_.wait_for(lock, 10s, [&] {
      for (const CallRecord& r : records_)
        if (r.request_id == request_id) found = r;
      return found.has_value();
    });
    return found;
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return records_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CallRecord> records_;
};

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_.keys["sk-ward"] = Key(7, {"inference"});
    keys_.keys["sk-manage"] = Key(7, {"management"});
    keys_.keys["sk-only-notes"] = Key(7, {"inference"}, std::vector<std::string>{"notes"});
    keys_.keys["sk-lab"] = Key(8, {"inference"});
    int64_t id = 0;
    for (auto& [secret, key] : keys_.keys) {
      key.key_id = ++id;
      key.user_id = key.org_id * 10;
    }
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
             const std::string& path = "/v1/chat/completions",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Client client("127.0.0.1", server_->port(), 10000);
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
  CallerIdentity callers_{&key_cache_, kClusterToken, &metrics_};
  RateLimiter limiter_{&clock_};
  RecordsInMemory records_;
  InferenceProxy proxy_{ProxyDeps{&callers_,
                                  &routes_,
                                  &picker_,
                                  &upstreams_,
                                  &metrics_,
                                  &limiter_,
                                  &records_,
                                  &clock_,
                                  {2, 1000, 8000}}};
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  int64_t version_ = 0;
};

}  // namespace hai::gateway::proxy_testing
