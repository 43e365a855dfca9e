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

// A port the kernel just handed out, hence free a moment ago.
int FreePort() {
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

TEST(HaictlUpTest, PrintsOneReadyLineAndStopsCleanly) {
  std::string data = (std::filesystem::temp_directory_path() /
                      ("hai-up-test-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(data);
  int base = FreePort();
  if (base > 64000) base = 40000 + base % 20000;
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
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  auto ready = nlohmann::json::parse(line, nullptr, false);
  ASSERT_FALSE(ready.is_discarded()) << "not JSON: " << line;
  EXPECT_EQ(ready["ready"], true);
  EXPECT_EQ(ready["portal"], "http://127.0.0.1:" + std::to_string(base));
  EXPECT_EQ(ready["admin_user"], "admin");
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

  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
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
