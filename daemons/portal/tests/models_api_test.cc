// The model registry and plaza through a real hai-portal: the shipped
// catalogue, search and facets, visibility per organisation (sessions and
// API keys), imports of real `hai-model init` checkpoints from a folder and
// from a tar upload, refused imports that leave nothing behind, edits,
// removals and the audit trail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "daemons/portal/model_files.h"
#include "daemons/portal/model_tar_testing.h"
#include "daemons/portal/tests/portal_process.h"
#include "lib/proc/child.h"

namespace hai::portal::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string CatalogConfig() { return "catalog_dir = \"" + SourceDir() + "/profiles/catalog\"\n"; }

std::set<std::string> Names(const PortalProcess::Reply& r) {
  std::set<std::string> out;
  for (const json& m : r.body["items"]) out.insert(m["name"].get<std::string>());
  return out;
}

class ModelsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    portal_ = new PortalProcess(CatalogConfig());
    if (!portal_->ok()) return;
    admin_ = portal_->AdminToken();
    org_a_ = portal_->CreateOrg(admin_, "Cardiology");
    org_b_ = portal_->CreateOrg(admin_, "Radiology");
    portal_->CreateUser(admin_, "caller_a", org_a_, "caller");
    portal_->CreateUser(admin_, "developer_a", org_a_, "developer");
    portal_->CreateUser(admin_, "developer_b", org_b_, "developer");
    portal_->CreateUser(admin_, "loner");
    work_ = portal_->data_dir() + "/work";
    fs::create_directories(work_);
  }
  static void TearDownTestSuite() { delete portal_; }
  void SetUp() override { ASSERT_TRUE(portal_->ok()); }

  static std::string Token(const std::string& user) {
    return portal_->Login(user, PortalProcess::kPassword);
  }
  // `hai-model init` itself, as an operator would run it.
  static std::string Checkpoint(const std::string& name, const std::string& flags) {
    std::string out = work_ + "/" + name;
    std::string cmd = BinDir() + "/hai-model init --out " + out + " " + flags + " >/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return out;
  }
  static std::string Decoder(const std::string& name) {
    return Checkpoint(name,
                      "--arch qwen2 --layers 1 --hidden 64 --heads 4 --kv-heads 2 --vocab 512");
  }
  // Small enough for the test portal's 64 KiB body limit once archived.
  static std::string TinyEncoder(const std::string& name) {
    return Checkpoint(name,
                      "--arch bert --layers 1 --hidden 16 --heads 2 --vocab 300 --max-position 64");
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static std::string Tar(const std::string& dir, const std::string& top = "") {
    TarWriter tar;
    for (const auto& e : fs::directory_iterator(dir))
      tar.Add(top + e.path().filename().string(), Read(e.path().string()));
    return tar.Finish();
  }
  static int64_t IdOf(const std::string& name) {
    auto r = portal_->Send("GET", "/api/v1/models?limit=500", admin_);
    for (const json& m : r.body["items"])
      if (m["name"] == name) return m["id"].get<int64_t>();
    ADD_FAILURE() << name << " is not listed";
    return 0;
  }
  static int64_t Total(const std::string& token) {
    return portal_->Send("GET", "/api/v1/models", token).body["total"].get<int64_t>();
  }
  // No staging or removed folders linger in <data>/models.
  static void ExpectNoLeftovers() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(portal_->data_dir() + "/data/models", ec))
      EXPECT_NE(e.path().filename().string()[0], '.') << "left behind: " << e.path();
  }
  static json LastAudit() {
    return portal_->Send("GET", "/api/v1/audit-events?limit=1", admin_).body["items"][0];
  }
  PortalProcess::Reply ImportTar(const std::string& archive, const std::string& query) {
    return portal_->Send("POST", "/api/v1/models/import" + query, admin_, json(archive),
                         {{"Content-Type", "application/x-tar"}});
  }

  static PortalProcess* portal_;
  static std::string admin_, work_;
  static int64_t org_a_, org_b_;
};
PortalProcess* ModelsApiTest::portal_ = nullptr;
std::string ModelsApiTest::admin_, ModelsApiTest::work_;
int64_t ModelsApiTest::org_a_ = 0, ModelsApiTest::org_b_ = 0;

TEST_F(ModelsApiTest, PlazaListsTheCatalogueWithFacetsAndSearch) {
  const std::string caller = Token("caller_a");
  auto all = portal_->Send("GET", "/api/v1/models?limit=500", caller);
  ASSERT_EQ(all.status, 200) << all.raw;
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(SourceDir() + "/profiles/catalog"))
    files += e.path().extension() == ".toml";
  EXPECT_GE(all.body["total"].get<size_t>(), files);
  EXPECT_EQ(all.body["facets"]["category"].size(), 6u);
  EXPECT_GE(all.body["facets"]["vendor"]["BAAI"].get<int>(), 3);
  const json* demo = nullptr;
  for (const json& m : all.body["items"])
    if (m["name"] == "demo") demo = &m;
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ((*demo)["source"], "demo");
  EXPECT_EQ((*demo)["category"], "text-generation");
  EXPECT_EQ((*demo)["evaluation_results"], json::array());

  auto qwen = portal_->Send("GET", "/api/v1/models?q=qwn", caller);
  ASSERT_EQ(qwen.status, 200);
  ASSERT_GE(qwen.body["total"].get<int>(), 6);
  for (const std::string& name : Names(qwen))
    EXPECT_NE(name.find("Qwen"), std::string::npos) << name;
  EXPECT_EQ(Names(portal_->Send("GET", "/api/v1/models?q=deepsek", caller)),
            (std::set<std::string>{"DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen-32B",
                                   "DeepSeek-V3"}));
  EXPECT_EQ(Names(portal_->Send("GET", "/api/v1/models?category=rerank", caller)),
            std::set<std::string>{"bge-reranker-v2-m3"});
  EXPECT_EQ(Names(portal_->Send("GET", "/api/v1/models?capability=vision", caller)),
            std::set<std::string>{"Qwen2.5-VL-7B-Instruct"});
  auto big = portal_->Send("GET", "/api/v1/models?sort=-params&limit=1", caller);
  EXPECT_EQ(big.body["items"][0]["name"], "DeepSeek-V3");
  auto bad = portal_->Send("GET", "/api/v1/models?category=chatbot", caller);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "category");
  auto card = portal_->Send("GET", "/api/v1/models/" + std::to_string(IdOf("bge-m3")), caller);
  ASSERT_EQ(card.status, 200) << card.raw;
  EXPECT_EQ(card.body["context_length"], 8192);
  EXPECT_EQ(card.body["available"], false);
  EXPECT_EQ(card.body["artifact"], nullptr);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/models/999999", caller).status, 404);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/models/abc", caller).status, 404);
}

TEST_F(ModelsApiTest, EveryRouteNeedsTheRightCaller) {
  EXPECT_EQ(portal_->Send("GET", "/api/v1/models").status, 401);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/models/1").status, 401);
  EXPECT_EQ(portal_->Send("GET", "/api/v1/models", Token("loner")).status, 403)
      << "a user in no organisation sees no plaza";
  const std::string dev = Token("developer_a");
  EXPECT_EQ(portal_->Send("POST", "/api/v1/models/import", dev, {{"path", "/tmp"}}).status, 403);
  EXPECT_EQ(portal_->Send("PATCH", "/api/v1/models/1", dev, {{"display_name", "x"}}).status, 403);
  EXPECT_EQ(portal_->Send("DELETE", "/api/v1/models/1", dev).status, 403);
  EXPECT_EQ(portal_->Send("POST", "/api/v1/models/import", "", {{"path", "/tmp"}}).status, 401);
  auto audit = LastAudit();
  EXPECT_EQ(audit["action"], "model.import");
  EXPECT_EQ(audit["outcome"], "failure") << "refusals are audited too";
}

TEST_F(ModelsApiTest, VisibilityFollowsOrganisationsForSessionsAndKeys) {
  const int64_t id = IdOf("bge-large-zh-v1.5");
  const std::string path = "/api/v1/models/" + std::to_string(id);
  auto patched = portal_->Send("PATCH", path, admin_, {{"visible_org_ids", {org_a_}}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body["visibility"], "orgs");
  EXPECT_EQ(patched.body["visible_org_ids"], json::array({org_a_}));

  auto key_for = [&](const std::string& user, int64_t org) {
    auto made = portal_->Send("POST", "/api/v1/api-keys", Token(user),
                              {{"org_id", org}, {"name", "plaza"}, {"scopes", {"management"}}});
    EXPECT_EQ(made.status, 201) << made.raw;
    return made.body["key"].get<std::string>();
  };
  const std::string a_key = key_for("developer_a", org_a_), b_key = key_for("developer_b", org_b_);
  for (const std::string& token : {Token("caller_a"), a_key, admin_}) {
    EXPECT_EQ(portal_->Send("GET", path, token).status, 200);
    EXPECT_EQ(
        Names(portal_->Send("GET", "/api/v1/models?q=bge-large", token)).count("bge-large-zh-v1.5"),
        1u);
  }
  for (const std::string& token : {Token("developer_b"), b_key}) {
    EXPECT_EQ(portal_->Send("GET", path, token).status, 404) << "another organisation's model";
    EXPECT_EQ(
        Names(portal_->Send("GET", "/api/v1/models?q=bge-large", token)).count("bge-large-zh-v1.5"),
        0u);
  }
  EXPECT_EQ(Total(Token("developer_b")) + 1, Total(Token("caller_a")));
  auto back = portal_->Send("PATCH", path, admin_, {{"visibility", "all"}});
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(portal_->Send("GET", path, Token("developer_b")).status, 200);
  auto unknown = portal_->Send("PATCH", path, admin_, {{"visible_org_ids", {424242}}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"]["field"], "visible_org_ids");
}

TEST_F(ModelsApiTest, ImportFromAFolderGivesTheCatalogueCardWeights) {
  const std::string src = Decoder("qwen-small");
  auto r = portal_->Send("POST", "/api/v1/models/import", admin_,
                         {{"path", src}, {"name", "Qwen2.5-0.5B-Instruct"}});
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["available"], true);
  EXPECT_EQ(r.body["source"], "catalog");
  EXPECT_EQ(r.body["display_name"], "Qwen2.5 0.5B Instruct") << "the catalogue's card is kept";
  EXPECT_EQ(r.body["version"], "1");
  const json& artifact = r.body["artifact"];
  EXPECT_EQ(artifact["format"], "safetensors");
  EXPECT_EQ(artifact["model_type"], "qwen2");
  const std::string weights = artifact["path"].get<std::string>();
  EXPECT_EQ(weights,
            portal_->data_dir() + "/data/models/" + std::to_string(r.body["id"].get<int64_t>()));
  ASSERT_GE(artifact["files"].size(), 4u);
  int64_t total = 0;
  for (const json& f : artifact["files"]) {
    const std::string rel = f["path"].get<std::string>();
    EXPECT_EQ(f["sha256"], *Sha256File(src + "/" + rel)) << rel;
    EXPECT_EQ(Read(weights + "/" + rel), Read(src + "/" + rel)) << rel;
    total += f["bytes"].get<int64_t>();
  }
  EXPECT_EQ(artifact["total_bytes"], total);
  auto audit = LastAudit();
  EXPECT_EQ(audit["action"], "model.import");
  EXPECT_EQ(audit["outcome"], "success");
  EXPECT_EQ(audit["resource_id"], std::to_string(r.body["id"].get<int64_t>()));
  EXPECT_NE(audit["summary"].get<std::string>().find("name=Qwen2.5-0.5B-Instruct"),
            std::string::npos);
  auto available = portal_->Send("GET", "/api/v1/models?available=true", Token("caller_a"));
  EXPECT_EQ(Names(available).count("Qwen2.5-0.5B-Instruct"), 1u);
  auto twice = portal_->Send("POST", "/api/v1/models/import", admin_,
                             {{"path", src}, {"name", "Qwen2.5-0.5B-Instruct"}});
  EXPECT_EQ(twice.status, 409);
  ExpectNoLeftovers();
}

TEST_F(ModelsApiTest, RefusedImportsNameTheProblemAndLeaveNothing) {
  const int64_t before = Total(admin_);
  const std::string no_weights = Decoder("no-weights");
  fs::remove(no_weights + "/model.safetensors");
  auto r = portal_->Send("POST", "/api/v1/models/import", admin_, {{"path", no_weights}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "path");
  EXPECT_NE(r.raw.find("no *.safetensors weights"), std::string::npos) << r.raw;

  const std::string corrupt = Decoder("corrupt");
  fs::resize_file(corrupt + "/model.safetensors", 4096);
  r = portal_->Send("POST", "/api/v1/models/import", admin_, {{"path", corrupt}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.find(corrupt + "/model.safetensors"), std::string::npos) << r.raw;

  r = portal_->Send("POST", "/api/v1/models/import", admin_, {{"path", "relative/dir"}});
  EXPECT_EQ(r.body["error"]["field"], "path");
  r = portal_->Send("POST", "/api/v1/models/import", admin_, {{"name", "x"}});
  EXPECT_EQ(r.body["error"]["field"], "path");
  r = portal_->Send("POST", "/api/v1/models/import", admin_, {{"path", corrupt}, {"colour", 1}});
  EXPECT_EQ(r.body["error"]["field"], "colour");

  const std::string tiny = TinyEncoder("tiny-bad");
  std::string escape = TarWriter().Add("../../etc/cron.d/x", "boom").Finish();
  r = ImportTar(escape, "?name=escape");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "archive");
  std::string linked = TarWriter()
                           .Add("config.json", Read(tiny + "/config.json"))
                           .Add("model.safetensors", "", '2', "", "/etc/shadow")
                           .Finish();
  r = ImportTar(linked, "?name=linked");
  EXPECT_NE(r.raw.find("symbolic links are refused"), std::string::npos) << r.raw;
  r = ImportTar(Tar(tiny), "");
  EXPECT_EQ(r.body["error"]["field"], "name");
  r = ImportTar(Tar(tiny), "?name=x&colour=red");
  EXPECT_EQ(r.body["error"]["field"], "colour");
  EXPECT_EQ(Total(admin_), before) << "nothing half-imported is listed";
  ExpectNoLeftovers();
}

TEST_F(ModelsApiTest, ImportFromAnUploadedArchiveThenEditAndDelete) {
  const std::string tiny = TinyEncoder("tiny-encoder");
  auto r = ImportTar(Tar(tiny, "tiny-encoder/"), "?name=ward-embedder&version=2025.1");
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["source"], "import");
  EXPECT_EQ(r.body["category"], "embedding");
  EXPECT_EQ(r.body["compatible_engines"], json::array({"builtin"}));
  EXPECT_EQ(r.body["context_length"], 64);
  EXPECT_EQ(r.body["version"], "2025.1");
  const int64_t id = r.body["id"].get<int64_t>();
  const std::string path = "/api/v1/models/" + std::to_string(id);
  const std::string weights = r.body["artifact"]["path"].get<std::string>();
  EXPECT_TRUE(fs::exists(weights + "/model.safetensors"));

  json evaluation = json::object({{"dataset", "C-MTEB"}, {"metric", "ndcg@10"}, {"score", 0.12}});
  json edit = json::object({{"display_name", "Ward embedder"},
                            {"capabilities", json::array({"dense_retrieval"})},
                            {"vendor", "Hospital IT"},
                            {"evaluation_results", json::array({evaluation})}});
  auto edited = portal_->Send("PATCH", path, admin_, edit);
  ASSERT_EQ(edited.status, 200) << edited.raw;
  EXPECT_EQ(edited.body["display_name"], "Ward embedder");
  EXPECT_EQ(edited.body["evaluation_results"][0]["dataset"], "C-MTEB");
  EXPECT_EQ(LastAudit()["action"], "model.update");
  auto found = portal_->Send("GET", "/api/v1/models?vendor=hospital%20it", Token("caller_a"));
  EXPECT_EQ(Names(found), std::set<std::string>{"ward-embedder"});
  auto bad = portal_->Send("PATCH", path, admin_, {{"capabilities", {"telepathy"}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "capabilities");
  EXPECT_EQ(portal_->Send("PATCH", path, admin_, {{"params_b", "big"}}).body["error"]["field"],
            "params_b");

  auto gone = portal_->Send("DELETE", path, admin_);
  EXPECT_EQ(gone.status, 204) << gone.raw;
  EXPECT_EQ(LastAudit()["action"], "model.delete");
  EXPECT_EQ(portal_->Send("GET", path, admin_).status, 404);
  EXPECT_FALSE(fs::exists(weights));
  ExpectNoLeftovers();
}

TEST_F(ModelsApiTest, DeletingACatalogueModelKeepsItsCard) {
  const std::string src = Decoder("for-deletion");
  auto r = portal_->Send("POST", "/api/v1/models/import", admin_,
                         {{"path", src}, {"name", "DeepSeek-R1-Distill-Qwen-7B"}});
  ASSERT_EQ(r.status, 201) << r.raw;
  const std::string path = "/api/v1/models/" + std::to_string(r.body["id"].get<int64_t>());
  EXPECT_EQ(portal_->Send("DELETE", path, admin_).status, 204);
  auto card = portal_->Send("GET", path, admin_);
  ASSERT_EQ(card.status, 200);
  EXPECT_EQ(card.body["available"], false);
  EXPECT_EQ(card.body["artifact"], nullptr);
  EXPECT_EQ(card.body["versions"].size(), 1u);
  auto again = portal_->Send("DELETE", path, admin_);
  EXPECT_EQ(again.status, 409) << "a card without weights has nothing to delete";
}

TEST(ModelsConfigTest, BadCatalogueStopsThePortalWithExit78) {
  const std::string dir =
      fs::temp_directory_path() / ("hai-bad-catalog-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir + "/catalog");
  std::ofstream(dir + "/catalog/broken.toml")
      << "name = \"x\"\ndisplay_name = \"x\"\ncategory = \"text-generation\"\ncolour = \"red\"\n";
  std::ofstream(dir + "/hai.toml") << "[portal]\nport = 0\ndata_dir = \"" << dir << "/data\"\n"
                                   << "catalog_dir = \"" << dir << "/catalog\"\n";
  auto child = proc::Child::Spawn(
      {{"/bin/sh", "-c",
        "exec " + BinDir() + "/hai-portal --config " + dir + "/hai.toml 2>" + dir + "/stderr"}});
  ASSERT_TRUE(child.ok());
  std::optional<int> status;
  for (int i = 0; i < 200 && !status; ++i) {
    status = child->Poll();
    if (!status) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(status.has_value()) << "hai-portal kept running";
  EXPECT_EQ(*status, 78);
  std::ifstream in(dir + "/stderr");
  std::string err((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(err.find("broken.toml: colour: unknown key"), std::string::npos) << err;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hai::portal::testing
