// hai-scheduler serving model weights to agents on other nodes: a real
// scheduler process on loopback, a real checkpoint made by hai-model,
// recorded in the database as the portal records an import.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "daemons/scheduler/tests/model_rows_testing.h"
#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/http/client.h"
#include "lib/proc/child.h"
#include "lib/store/migrations.h"

namespace hai::scheduler {
namespace {

using testing::HashFolder;
using testing::ReadBytes;
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string kBin = HAI_TEST_BIN_DIR;

bool WaitFor(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

class ModelFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string((std::filesystem::temp_directory_path() /
                            ("hai-model-files-test-" + std::to_string(getpid())))
                               .string());
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_ + "/models");
    token_ = new std::string(RandomToken(32));
    ASSERT_TRUE(WriteSecretFile(*dir_ + "/cluster-token", *token_).ok());
    const std::string model = *dir_ + "/models/tiny";
    proc::Child init =
        proc::Child::Spawn({{kBin + "/hai-model", "init", "--out",    model, "--arch",  "qwen2",
                             "--layers",          "2",    "--hidden", "64",  "--heads", "4",
                             "--kv-heads",        "2",    "--vocab",  "512", "--seed",  "7",
                             "--max-position",    "160"}})
            .value();
    std::optional<int> status;
    ASSERT_TRUE(WaitFor([&] { return (status = init.Poll()).has_value(); }, 60));
    ASSERT_EQ(*status, 0);
    // A nested file whose name needs encoding in a URL.
    std::filesystem::create_directories(model + "/extra dir");
    std::ofstream(model + "/extra dir/notes 100%.txt") << "made for the test\n";
    files_ = new std::vector<cluster::ModelFileEntry>(HashFolder(model));

    const std::string cfg = *dir_ + "/hai.toml";
    std::ofstream(cfg) << "[log]\nlevel = \"warning\"\n[scheduler]\nport = 0\ndata_dir = \""
                       << *dir_ << "\"\n";
    scheduler_ = new proc::Child(proc::Child::Spawn({{kBin + "/hai-scheduler", "--config", cfg,
                                                      "--ready-file", *dir_ + "/ready.json"}})
                                     .value());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(*dir_ + "/ready.json"); }, 30));
    port_ = nlohmann::json::parse(ReadBytes(*dir_ + "/ready.json"))["port"];
    auto db = store::Database::Open(*dir_ + "/hai.db", store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(testing::InsertModel(db->get(), 1, "tiny", "models/tiny", *files_).ok());
    // Known to the registry, weights not on the appliance (a catalogue card).
    ASSERT_TRUE(testing::InsertModel(db->get(), 2, "card-only", "", {}).ok());
    // Listed in the registry, but the file is now a link out of the folder,
    // and another has changed size since the import.
    std::filesystem::create_directories(*dir_ + "/models/odd");
    std::ofstream(*dir_ + "/models/odd/grown.bin") << "0123456789";
    std::filesystem::create_symlink(*dir_ + "/hai.db", *dir_ + "/models/odd/link.bin");
    ASSERT_TRUE(testing::InsertModel(db->get(), 3, "odd", "models/odd",
                                     {{"grown.bin", 4, Sha256Hex("0123")},
                                      {"link.bin", 10, Sha256Hex("0123456789")}})
                    .ok());
  }
  static void TearDownTestSuite() {
    delete scheduler_;
    if (!::testing::UnitTest::GetInstance()->Failed()) std::filesystem::remove_all(*dir_);
    delete files_;
    delete token_;
    delete dir_;
  }

  Result<http::ClientResponse> Get(const std::string& path, bool with_token = true) {
    http::Client c("127.0.0.1", port_, 20000);
    Headers h;
    if (with_token) h.emplace_back("Authorization", "Bearer " + *token_);
    return c.Send("GET", path, "", h);
  }
  static std::string ErrorCode(const http::ClientResponse& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  }

  static std::string* dir_;
  static std::string* token_;
  static std::vector<cluster::ModelFileEntry>* files_;
  static proc::Child* scheduler_;
  static int port_;
};

std::string* ModelFilesTest::dir_ = nullptr;
std::string* ModelFilesTest::token_ = nullptr;
std::vector<cluster::ModelFileEntry>* ModelFilesTest::files_ = nullptr;
proc::Child* ModelFilesTest::scheduler_ = nullptr;
int ModelFilesTest::port_ = 0;

TEST_F(ModelFilesTest, ManifestListsEveryFileWithItsDigest) {
  auto r = Get("/internal/v1/models/1/manifest");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, 200) << r->body;
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["model_id"], 1);
  ASSERT_EQ(j["files"].size(), files_->size());
  int64_t total = 0;
  std::string lines;
  for (size_t i = 0; i < files_->size(); ++i) {
    const cluster::ModelFileEntry& f = (*files_)[i];
    EXPECT_EQ(j["files"][i]["path"], f.path);
    EXPECT_EQ(j["files"][i]["bytes"], f.bytes);
    EXPECT_EQ(j["files"][i]["sha256"], f.sha256);
    total += f.bytes;
    lines += f.path + "\t" + std::to_string(f.bytes) + "\t" + f.sha256 + "\n";
  }
  EXPECT_EQ(j["bytes"], total);
  // Sorted by path already, so the lines are in the digest's order.
  EXPECT_EQ(j["digest"], Sha256Hex(lines));
  // The checkpoint hai-model wrote is all there.
  bool has_config = false, has_weights = false;
  for (const auto& f : *files_) {
    has_config |= f.path == "config.json";
    has_weights |= f.path.find(".safetensors") != std::string::npos;
  }
  EXPECT_TRUE(has_config && has_weights);
}

TEST_F(ModelFilesTest, FilesArriveWholeWithTheirLength) {
  for (const cluster::ModelFileEntry& f : *files_) {
    // Space and '%' encoded as a client must.
    std::string url;
    for (char c : f.path) url += c == ' ' ? "%20" : c == '%' ? "%25" : std::string(1, c);
    auto r = Get("/internal/v1/models/1/files/" + url);
    ASSERT_TRUE(r.ok()) << f.path << ": " << r.status().ToString();
    ASSERT_EQ(r->status, 200) << f.path << ": " << r->body;
    EXPECT_EQ(r->Header("Content-Length"), std::to_string(f.bytes)) << f.path;
    EXPECT_EQ(r->Header("Content-Type"), "application/octet-stream");
    EXPECT_EQ(r->body, ReadBytes(*dir_ + "/models/tiny/" + f.path)) << f.path;
    EXPECT_EQ(Sha256Hex(r->body), f.sha256) << f.path;
  }
}

TEST_F(ModelFilesTest, UnknownModelsAndModelsWithoutWeightsAre404) {
  for (const char* path :
       {"/internal/v1/models/99/manifest", "/internal/v1/models/2/manifest",
        "/internal/v1/models/abc/manifest", "/internal/v1/models/0/manifest",
        "/internal/v1/models/99/files/config.json", "/internal/v1/models/2/files/config.json"}) {
    auto r = Get(path);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 404) << path << ": " << r->body;
    EXPECT_EQ(ErrorCode(*r), "not_found") << path;
  }
}

TEST_F(ModelFilesTest, OnlyListedFilesInsideTheFolderAreServed) {
  const std::string secret = ReadBytes(*dir_ + "/cluster-token");
  // On disk inside the folder, but not in the manifest.
  std::ofstream(*dir_ + "/models/tiny/unlisted.bin") << "not part of the model";
  struct Case {
    std::string path;
    int status;
  };
  const Case cases[] = {
      {"/internal/v1/models/1/files/../../cluster-token", 400},
      {"/internal/v1/models/1/files/%2e%2e/%2e%2e/cluster-token", 400},
      {"/internal/v1/models/1/files/config.json/../../../cluster-token", 400},
      {"/internal/v1/models/1/files//etc/passwd", 400},
      {"/internal/v1/models/1/files/%2Fetc%2Fpasswd", 400},
      {"/internal/v1/models/1/files/unlisted.bin", 404},
      {"/internal/v1/models/1/files/cluster-token", 404},
      // Listed, but a symbolic link: refused, never followed.
      {"/internal/v1/models/3/files/link.bin", 409},
      // Listed, but no longer the size the registry recorded.
      {"/internal/v1/models/3/files/grown.bin", 409},
  };
  for (const Case& c : cases) {
    auto r = Get(c.path);
    ASSERT_TRUE(r.ok()) << c.path;
    EXPECT_EQ(r->status, c.status) << c.path << ": " << r->body;
    EXPECT_EQ(r->Header("Content-Type"), "application/json") << c.path;
    EXPECT_EQ(r->body.find(secret), std::string::npos) << c.path;
    EXPECT_EQ(r->body.find("SQLite format"), std::string::npos) << c.path;
  }
}

TEST_F(ModelFilesTest, TheClusterTokenIsRequired) {
  for (const char* path :
       {"/internal/v1/models/1/manifest", "/internal/v1/models/1/files/config.json"}) {
    auto none = Get(path, false);
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none->status, 401) << path;
    EXPECT_EQ(ErrorCode(*none), "unauthenticated");
    http::Client c("127.0.0.1", port_, 20000);
    auto wrong = c.Send("GET", path, "", {{"Authorization", "Bearer " + RandomToken(32)}});
    ASSERT_TRUE(wrong.ok());
    EXPECT_EQ(wrong->status, 401) << path;
    EXPECT_EQ(wrong->body.find("model_type"), std::string::npos);
  }
}

}  // namespace
}  // namespace hai::scheduler
