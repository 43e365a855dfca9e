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
    for (int offset : {0, 2, 10, 11, 12, 100}) all = all && Free(base + offset);
    if (all) return base;
  }
  return 0;
}

// Kills and reaps haictl however the test ends, so that a failed assertion
// cannot leave a process tree holding ctest's pipes until the timeout.
struct Reaper {
  pid_t pid;
  ~Reaper() {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

TEST(HaictlUpTest, PrintsOneReadyLineAndStopsCleanly) {
  std::string data = (std::filesystem::temp_directory_path() /
                      ("hai-up-test-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(data);
  int base = FreeBase();
  ASSERT_NE(base, 0) << "no free port range";
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    std::string bin = std::string(HAI_TEST_BIN_DIR) + "/haictl";
    std::string port = std::to_string(base);
    execl(bin.c_str(), "haictl", "up", "--data", data.c_str(), "--base-port", port.c_str(),
          "--log-level", "warning", nullptr);
    _exit(127);
  }
  Reaper reaper{pid};
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  auto ready = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(ready.is_discarded()) << "not JSON: " << line;
  EXPECT_EQ(ready["ready"], true);
  EXPECT_EQ(ready["portal"], "http://127.0.0.1:" + std::to_string(base));
  EXPECT_EQ(ready["admin_user"], "admin");
  ASSERT_TRUE(ready["admin_password"].is_string()) << line;
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
  auto nodes = client.Send("GET", "/api/v1/nodes?status=Ready", "",
                           {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(nodes.ok());
  EXPECT_EQ(nlohmann::json::parse(nodes->body)["total"], 3) << nodes->body;
  auto accels = client.Send("GET", "/api/v1/accelerators", "", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(accels.ok());
  auto accel_list = nlohmann::json::parse(accels->body);
  std::set<std::string> vendors;
  for (const auto& a : accel_list["items"]) vendors.insert(a["vendor"].get<std::string>());
  EXPECT_EQ(vendors, (std::set<std::string>{"ascend", "hygon", "metax"}));
  if (std::filesystem::exists(std::string(HAI_TEST_BIN_DIR) + "/../share/hai/web/index.html")) {
    auto page = client.Send("GET", "/");
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->status, 200) << "the web UI is served at /";
  }

  // The demo model answers on the engine port, OpenAI-style.
  std::string engine_url = ready["engine"];
  EXPECT_EQ(engine_url, "http://127.0.0.1:" + std::to_string(base + 100));
  http::Client engine("127.0.0.1", base + 100, 60000);
  auto chat = engine.Send("POST", "/v1/chat/completions",
                          nlohmann::json{{"model", ready["model"]},
                                         {"messages", {{{"role", "user"}, {"content", "你好"}}}},
                                         {"max_tokens", 4}}
                              .dump());
  ASSERT_TRUE(chat.ok());
  EXPECT_EQ(chat->status, 200) << chat->body;
  auto answer = nlohmann::json::parse(chat->body, nullptr, false);
  ASSERT_FALSE(answer.is_discarded());
  EXPECT_EQ(answer["usage"]["completion_tokens"], 4) << chat->body;

  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      reaper.pid = 0;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(WIFEXITED(status)) << "haictl did not stop on SIGTERM";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string rest;
  while (read(out[0], &c, 1) == 1) rest += c;
  EXPECT_EQ(rest, "") << "exactly one line on stdout";
  close(out[0]);
  EXPECT_FALSE(client.Send("GET", "/healthz").ok()) << "the portal must be stopped too";
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace hai::ctl
