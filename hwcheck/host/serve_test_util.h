#pragma once

// Test-only: a PeerServer on its own thread, and token files in a temp dir.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "hwcheck/host/peer_server.h"
#include "lib/base/test_temp_dir.h"

namespace hai::hwcheck::host::testing {

// A temporary directory removed at the end of the test.
using TempDir = ::hai::test::TempDir;

// Runs a PeerServer on a thread; `enter` runs first on that thread (a netns
// switch), then Listen(). Stops and joins on destruction.
class ServerThread {
 public:
  ServerThread(ServeOptions options, std::string token, std::function<bool()> enter = nullptr)
      : server_(std::move(options), std::move(token)) {
    std::promise<Status> listening;
    auto ready = listening.get_future();
    thread_ = std::thread([this, enter, &listening] {
      if (enter && !enter()) {
        listening.set_value(Status::Internal("could not enter the namespace"));
        return;
      }
      Status st = server_.Listen();
      const bool ok = st.ok();
      listening.set_value(std::move(st));
      if (ok) server_.Serve();
    });
    status_ = ready.get();
  }
  ~ServerThread() {
    server_.Stop();
    thread_.join();
  }
  const Status& status() const { return status_; }
  int port() const { return server_.port(); }

 private:
  PeerServer server_;
  std::thread thread_;
  Status status_;
};

}  // namespace hai::hwcheck::host::testing
