// `haictl up` as a person runs it: a real process tree, the ready line on
// stdout, a healthy portal, and a clean stop on SIGTERM.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "lib/http/client.h"

namespace hai::ctl {
namespace {

bool Free(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return free;
}

// A base below the kernel's ephemeral range (32768 and up), so that the
// other tests' port-0 servers and clients cannot take our ports while the
// appliance starts; every port `haictl up` uses is checked.
int FreeBase() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    int base = 20000 + static_cast<int>((getpid() * 131 + attempt * 997) % 12000);
    bool all = true;
    for (int offset : {0, 1, 2, 10, 11, 12, 100, 101, 120, 121, 140, 141})
      all = all && Free(base + offset);
    if (all) return base;
  }
  return 0;
}


// One `haictl up` process: its ready line, and a clean stop. Killed and
// reaped however the test ends, so that a failed assertion cannot leave a
// process tree holding ctest's pipes until the timeout.
class Up {
 public:
  Up(const std::string& data, int base) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      std::string bin = std::string(HAI_TEST_BIN_DIR) + "/haictl";
      std::string port = std::to_string(base);
      execl(bin.c_str(), "haictl", "up", "--data", data.c_str(), "--base-port", port.c_str(),
            "--log-level", "warning", nullptr);
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
    char c;
    while (read(out_, &c, 1) == 1 && c != '\n') line_ += c;
  }
  ~Up() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
  }
  const std::string& line() const { return line_; }

  // SIGTERM; the exit status, or -1 when it did not stop in 10 s.
  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  // What it wrote to stdout after the ready line, once stopped.
  std::string Rest() {
    std::string rest;
    char c;
    while (read(out_, &c, 1) == 1) rest += c;
    return rest;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string line_;
};

nlohmann::json Get(http::Client& client, const std::string& path, const std::string& token) {
  auto r = client.Send("GET", path, "", {{"Authorization", "Bearer " + token}});
  if (!r.ok() || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

// The demo replica at `engine_url` answers a chat completion for `model`.
void ExpectChat(const std::string& engine_url, const std::string& model, int base) {
  ASSERT_EQ(engine_url.rfind("http://127.0.0.1:", 0), 0u) << engine_url;
  const int port = std::stoi(engine_url.substr(std::string("http://127.0.0.1:").size()));
  EXPECT_GE(port, base + 100);
  EXPECT_LT(port, base + 160);
  http::Client engine("127.0.0.1", port, 60000);
  auto chat = engine.Send("POST", "/v1/chat/completions",
                          nlohmann::json{{"model", model},
                                         {"messages", {{{"role", "user"}, {"content", "你好"}}}},
                                         {"max_tokens", 4}}
                              .dump());
  ASSERT_TRUE(chat.ok());
  EXPECT_EQ(chat->status, 200) << chat->body;
  auto answer = nlohmann::json::parse(chat->body, nullptr, false);
  ASSERT_FALSE(answer.is_discarded());
  EXPECT_EQ(answer["usage"]["completion_tokens"], 4) << chat->body;
}

nlohmann::json Post(http::Client& client, const std::string& path, const std::string& token,
                    const nlohmann::json& body) {
  auto r = client.Send("POST", path, body.dump(), {{"Authorization", "Bearer " + token}});
  if (!r.ok() || (r->status != 200 && r->status != 201)) {
    ADD_FAILURE() << path << ": " << (r.ok() ? r->body : r.status().ToString());
    return nullptr;
  }
  return nlohmann::json::parse(r->body, nullptr, false);
}

// A program's way in: an API key made through the portal's API (the admin
// joins the demo organisation to make one), then a chat completion through
// the gateway, routed to the demo service's replica.
void ExpectChatThroughGateway(http::Client& portal, const std::string& token,
                              const std::string& gateway_url, int base) {
  ASSERT_EQ(gateway_url, "http://127.0.0.1:" + std::to_string(base + 1));
  const auto orgs = Get(portal, "/api/v1/orgs?limit=500", token);
  int64_t demo_org = 0;
  for (const auto& o : orgs["items"])
    if (o["name"] == "demo") demo_org = o["id"].get<int64_t>();
  ASSERT_NE(demo_org, 0) << orgs;
  const int64_t admin_id = Get(portal, "/api/v1/auth/me", token)["user"]["id"].get<int64_t>();
  Post(portal, "/api/v1/orgs/" + std::to_string(demo_org) + "/members", token,
       {{"user_id", admin_id}, {"role", "org_admin"}});
  const auto key = Post(portal, "/api/v1/api-keys", token,
                        {{"org_id", demo_org}, {"name", "up test"}, {"scopes", {"inference"}}});
  ASSERT_TRUE(key.is_object() && key["key"].is_string()) << key;

  http::Client gateway("127.0.0.1", base + 1, 60000);
  const std::string ask = nlohmann::json{{"model", "demo"},
                                         {"messages", {{{"role", "user"}, {"content", "你好"}}}},
                                         {"max_tokens", 4}}
                              .dump();
  // The gateway learns of the replica from the scheduler's routing table.
  Result<http::ClientResponse> chat = Status::Unavailable("not asked yet");
  for (int i = 0; i < 100; ++i) {
    chat = gateway.Send("POST", "/v1/chat/completions", ask,
                        {{"Authorization", "Bearer " + key["key"].get<std::string>()}});
    if (chat.ok() && chat->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(chat.ok());
  ASSERT_EQ(chat->status, 200) << chat->body;
  auto answer = nlohmann::json::parse(chat->body, nullptr, false);
  EXPECT_EQ(answer["model"], "demo");
  EXPECT_EQ(answer["usage"]["completion_tokens"], 4) << chat->body;
  auto refused = gateway.Send("POST", "/v1/chat/completions", ask);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401);
}

// `haictl demo` as on an installed control node, against the portal on
// `base`: its stdout, or "" when it exited with another status than 0.
std::string RunDemoCommand(int base, const std::string& data) {
  const std::string command = std::string(HAI_TEST_BIN_DIR) +
                              "/haictl demo --portal http://127.0.0.1:" + std::to_string(base) +
                              " --data '" + data + "' --run-as '' --timeout 60";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[256];
  while (size_t n = fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
  return pclose(pipe) == 0 ? out : "";
}

TEST(HaictlUpTest, PrintsOneReadyLineAndStopsCleanly) {
  std::string data = (std::filesystem::temp_directory_path() /
                      ("hai-up-test-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(data);
  int base = FreeBase();
  ASSERT_NE(base, 0) << "no free port range";
  auto up = std::make_unique<Up>(data, base);
  auto ready = nlohmann::json::parse(up->line(), nullptr, false);
  ASSERT_FALSE(ready.is_discarded()) << "not JSON: " << up->line();
  EXPECT_EQ(ready["ready"], true);
  EXPECT_EQ(ready["portal"], "http://127.0.0.1:" + std::to_string(base));
  EXPECT_EQ(ready["admin_user"], "admin");
  ASSERT_TRUE(ready["admin_password"].is_string()) << up->line();
  std::string password = ready["admin_password"];
  EXPECT_EQ(password.size(), 16u);

  http::Client client("127.0.0.1", base);
  auto health = client.Send("GET", "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  auto login = client.Send("POST", "/api/v1/auth/login",
                           nlohmann::json{{"username", "admin"}, {"password", password}}.dump());
  ASSERT_TRUE(login.ok());
  ASSERT_EQ(login->status, 200);
  std::string token = nlohmann::json::parse(login->body)["token"];
  // The embedded cluster: three simulated nodes, through the portal's API.
  EXPECT_EQ(Get(client, "/api/v1/nodes?status=Ready", token)["total"], 3);
  std::set<std::string> vendors;
  const auto accelerators = Get(client, "/api/v1/accelerators", token);
  for (const auto& a : accelerators["items"])
    vendors.insert(a["vendor"].get<std::string>());
  EXPECT_EQ(vendors, (std::set<std::string>{"ascend", "hygon", "metax"}));
  if (std::filesystem::exists(std::string(HAI_TEST_BIN_DIR) + "/../share/hai/web/index.html")) {
    auto page = client.Send("GET", "/");
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->status, 200) << "the web UI is served at /";
  }
  // Both demo models are registered with their weights.
  std::set<std::string> available;
  const auto models = Get(client, "/api/v1/models?q=demo", token);
  for (const auto& m : models["items"])
    if (m["available"] == true) available.insert(m["name"].get<std::string>());
  EXPECT_EQ(available, (std::set<std::string>{"demo", "demo-embedding"}));

  // The demo model was deployed through the platform: a Ready replica of the
  // "demo" service on a simulated node answers OpenAI-style.
  ASSERT_TRUE(ready["engine"].is_string()) << up->line();
  EXPECT_EQ(ready["service"], "demo");
  auto services = Get(client, "/api/v1/services?q=demo", token);
  ASSERT_EQ(services["total"], 1) << services;
  EXPECT_EQ(services["items"][0]["ready"], 1) << services;
  ExpectChat(ready["engine"], ready["model"], base);
  ASSERT_TRUE(ready["gateway"].is_string()) << up->line();
  ExpectChatThroughGateway(client, token, ready["gateway"], base);

  EXPECT_EQ(up->Stop(), 0) << "haictl did not stop cleanly on SIGTERM";
  EXPECT_EQ(up->Rest(), "") << "exactly one line on stdout";
  EXPECT_FALSE(client.Send("GET", "/healthz").ok()) << "the portal must be stopped too";
  const std::string engine_url = ready["engine"];
  http::Client engine("127.0.0.1", std::stoi(engine_url.substr(engine_url.rfind(':') + 1)), 1000);
  EXPECT_FALSE(engine.Send("GET", "/health").ok()) << "the demo engine must be stopped too";
  http::Client gateway("127.0.0.1", base + 1, 1000);
  EXPECT_FALSE(gateway.Send("GET", "/healthz").ok()) << "the gateway must be stopped too";

  // A second start on the same data finds the demo service and serves it
  // again, without making another.
  up = std::make_unique<Up>(data, base);
  auto again = nlohmann::json::parse(up->line(), nullptr, false);
  ASSERT_FALSE(again.is_discarded()) << "not JSON: " << up->line();
  ASSERT_TRUE(again["engine"].is_string()) << up->line();
  ExpectChat(again["engine"], again["model"], base);
  token = nlohmann::json::parse(
      client.Send("POST", "/api/v1/auth/login",
                  nlohmann::json{{"username", "admin"}, {"password", password}}.dump())
          ->body)["token"];
  EXPECT_EQ(Get(client, "/api/v1/services", token)["total"], 1);

  // `haictl demo` finds the weights, the service and its Ready replica, and
  // makes nothing new.
  auto demo = nlohmann::json::parse(RunDemoCommand(base, data), nullptr, false);
  ASSERT_TRUE(demo.is_object()) << "haictl demo failed or printed no JSON";
  EXPECT_EQ(demo["ready"], true);
  EXPECT_EQ(demo["service"], "demo");
  EXPECT_EQ(demo["replica"], again["engine"]);
  EXPECT_EQ(Get(client, "/api/v1/services", token)["total"], 1);
  EXPECT_EQ(up->Stop(), 0);
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace hai::ctl
