#pragma once

// For the agent's tests: the control node's side of model weights, in
// process: a control-plane database holding models as the portal records
// them, and hai-scheduler's own model routes (daemons/scheduler/model_routes)
// on a real lib/http server on loopback, serving real files.

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "daemons/scheduler/model_routes.h"
#include "daemons/scheduler/tests/model_rows_testing.h"
#include "lib/base/random.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"
#include "lib/store/migrations.h"

namespace hai::agent::testing {

class ModelServer {
 public:
  // `data_dir` holds hai.db and models/<name>/.
  explicit ModelServer(std::string data_dir)
      : data_dir_(std::move(data_dir)), token_(RandomToken(32)) {
    std::filesystem::create_directories(data_dir_ + "/models");
    auto db = store::Database::Open(data_dir_ + "/hai.db", store::ControlPlaneMigrations());
    if (db.ok()) db_ = std::move(db).value();
    artifacts_ = std::make_unique<scheduler::ModelArtifacts>(db_.get(), data_dir_);
    scheduler::AddModelRoutes(&router_, artifacts_.get(), token_);
    http::AddStandardRoutes(&router_, &registry_, nullptr);
  }
  ~ModelServer() { Stop(); }

  Status Start() {
    if (!db_) return Status::Internal("cannot open " + data_dir_ + "/hai.db");
    http::ServerOptions options;
    options.port = port_;  // 0 the first time; the same port after a Stop()
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    HAI_RETURN_IF_ERROR(server_->Start());
    port_ = server_->port();
    return Status::Ok();
  }
  void Stop() {
    if (server_) server_->Stop();
    server_.reset();
  }

  // Writes the files under models/<name>/ and records them as model `id`.
  Status AddModel(int64_t id, const std::string& name,
                  const std::map<std::string, std::string>& files) {
    if (!db_) return Status::Internal("cannot open " + data_dir_ + "/hai.db");
    const std::string dir = Folder(name);
    for (const auto& [path, bytes] : files) {
      std::filesystem::create_directories(std::filesystem::path(dir + "/" + path).parent_path());
      std::ofstream(dir + "/" + path, std::ios::binary) << bytes;
    }
    return scheduler::testing::InsertModel(db_.get(), id, name, "models/" + name,
                                           scheduler::testing::HashFolder(dir));
  }
  std::string Folder(const std::string& name) const { return data_dir_ + "/models/" + name; }

  // File requests the server answered with 200 (finished or not), over
  // every Start() (each adds its own counter family to the registry).
  int64_t FilesServed() const {
    const std::string text = registry_.Render();
    const std::string key = "route=\"/internal/v1/models/{id}/files/{path...}\",status=\"200\"} ";
    int64_t total = 0;
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1))
      total += std::stoll(text.substr(at + key.size()));
    return total;
  }

  int port() const { return port_; }
  const std::string& token() const { return token_; }

 private:
  std::string data_dir_;
  std::string token_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<scheduler::ModelArtifacts> artifacts_;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
};

}  // namespace hai::agent::testing
