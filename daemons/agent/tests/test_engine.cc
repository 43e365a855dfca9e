// hai-test-engine: a small real program for the agent's runner tests. It
// listens where the profile says, answers /health (200 while --health-file
// exists, when one is given), writes a few lines on stdout and stderr, and
// can exit, ignore SIGTERM or start a child in its process group on request.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "lib/http/server.h"

int main(int argc, char** argv) {
  using namespace hai;
  CLI::App cli{"hai-test-engine: a stand-in engine for hai-agent's tests"};
  std::string host = "127.0.0.1", health_file;
  int port = 0, exit_after_ms = -1, exit_code = 0, ignore_term = 0, child = 0, lines = 3;
  cli.add_option("--host", host);
  cli.add_option("--port", port)->required();
  cli.add_option("--health-file", health_file, "healthy only while this file exists");
  cli.add_option("--exit-after-ms", exit_after_ms, "exit on its own after this long");
  cli.add_option("--exit-code", exit_code, "the code it exits with then");
  cli.add_option("--ignore-term", ignore_term, "1: ignore SIGTERM (only SIGKILL stops it)");
  cli.add_option("--child", child, "1: start a child process in its process group");
  cli.add_option("--lines", lines, "lines to print at start");
  CLI11_PARSE(cli, argc, argv);

  if (ignore_term) signal(SIGTERM, SIG_IGN);
  if (child) {
    pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sleep", "sleep", "600", static_cast<char*>(nullptr));
      _exit(127);
    }
    std::printf("child %d\n", pid);
  }
  char cwd[4096] = {};
  if (!getcwd(cwd, sizeof(cwd) - 1)) cwd[0] = '\0';
  const char* wait_policy = std::getenv("OMP_WAIT_POLICY");
  std::printf("cwd %s\n", cwd);
  std::printf("OMP_WAIT_POLICY=%s\n", wait_policy ? wait_policy : "(unset)");
  for (int i = 0; i < lines; ++i) {
    std::printf("stdout line %d\n", i);
    std::fprintf(stderr, "stderr line %d\n", i);
  }
  std::fflush(stdout);

  http::Router router;
  router.Add("GET", "/health", [health_file](http::Request&) {
    bool ok = health_file.empty() || std::filesystem::exists(health_file);
    return http::Response::Json(ok ? 200 : 503, {{"healthy", ok}});
  });
  router.Add("GET", "/say", [](http::Request& req) {
    // A line into the log on request: the follow tests write through it.
    std::printf("said %s\n", req.Query("text").value_or("").c_str());
    std::fflush(stdout);
    return http::Response::Json(200, {{"ok", true}});
  });
  metrics::Registry registry;
  http::ServerOptions opts;
  opts.host = host;
  opts.port = port;
  opts.threads = 2;
  http::Server server(opts, &router, &registry);
  if (Status st = server.Start(); !st.ok()) {
    std::fprintf(stderr, "cannot listen: %s\n", st.message().c_str());
    return 2;
  }
  std::printf("listening on %s:%d\n", host.c_str(), server.port());
  std::fflush(stdout);
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (exit_after_ms >= 0 &&
        std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(exit_after_ms)) {
      std::printf("exiting with %d\n", exit_code);
      std::fflush(stdout);
      std::_Exit(exit_code);
    }
  }
}
