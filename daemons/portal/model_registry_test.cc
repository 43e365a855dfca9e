#include "daemons/portal/model_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "daemons/portal/model_checkpoint_testing.h"
#include "daemons/portal/org_store.h"
#include "lib/checkpoint/test_dir.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;
using checkpoint::TestDir;
using testing::MakeCheckpoint;

constexpr int64_t kStart = 1795342800000;

std::string Entry(const std::string& name, const std::string& extra = "") {
  return "name = \"" + name + "\"\ndisplay_name = \"" + name +
         " card\"\ncategory = \"text-generation\"\nvendor = \"Acme\"\n" + extra;
}

// A deployment that holds one model.
class FakeUsage : public ModelUsage {
 public:
  explicit FakeUsage(int64_t model_id) : model_id_(model_id) {}
  Result<std::vector<std::string>> UsersOf(store::Database::Tx&, int64_t id) const override {
    if (id == model_id_) return std::vector<std::string>{"service 'triage-chat'"};
    return std::vector<std::string>();
  }

 private:
  int64_t model_id_;
};

class ModelRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(Catalog());
    auto db = store::Database::Open(dir_.Path("hai.db"), store::ControlPlaneMigrations());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
  }
  std::string Catalog() const { return dir_.Path("catalog"); }
  std::string Data() const { return dir_.Path("data"); }
  std::unique_ptr<ModelRegistry> Registry(const std::string& catalog = "") {
    ModelRegistryOptions options{Data(), catalog.empty() ? Catalog() : catalog, ImportLimits()};
    return std::make_unique<ModelRegistry>(db_.get(), &clock_, options);
  }
  std::unique_ptr<ModelRegistry> Started() {
    auto r = Registry();
    Status st = r->Start();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return r;
  }
  Model ByName(ModelRegistry& r, const std::string& name) {
    auto all = r.List();
    EXPECT_TRUE(all.ok());
    for (const Model& m : *all)
      if (m.name == name) return *r.Get(m.id);
    ADD_FAILURE() << name << " is not listed";
    return Model();
  }
  int64_t MakeOrg(const std::string& name) {
    int64_t id = 0;
    EXPECT_TRUE(db_->Write([&](store::Database::Tx& tx) -> Status {
                     HAI_ASSIGN_OR_RETURN(Org org, orgs::Insert(tx, name, "", kStart));
                     id = org.id;
                     return Status::Ok();
                   })
                    .ok());
    return id;
  }
  // Folders in <data>/models other than the ones named.
  std::vector<std::string> ModelFolders() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(Data() + "/models", ec))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  TestDir dir_;
  FakeClock clock_{kStart};
  std::unique_ptr<store::Database> db_;
};

TEST_F(ModelRegistryTest, StartListsTheShippedCatalogue) {
  auto r = Registry(std::string(HAI_TEST_SOURCE_DIR) + "/profiles/catalog");
  ASSERT_TRUE(r->Start().ok());
  auto all = r->List();
  ASSERT_TRUE(all.ok());
  EXPECT_GE(all->size(), 20u);
  for (const Model& m : *all) {
    EXPECT_FALSE(m.available) << m.name << ": no weights were imported";
    EXPECT_TRUE(m.visible_to_all);
    EXPECT_NE(m.source, ModelSource::kImport);
  }
  auto again = Registry(std::string(HAI_TEST_SOURCE_DIR) + "/profiles/catalog");
  ASSERT_TRUE(again->Start().ok());
  EXPECT_EQ(again->List()->size(), all->size()) << "a restart adds nothing twice";
}

TEST_F(ModelRegistryTest, StartClearsWhatACrashLeftBehind) {
  fs::create_directories(Data() + "/models/.import-AbC/sub");
  std::ofstream(Data() + "/models/.import-AbC/sub/model.safetensors") << "half";
  fs::create_directories(Data() + "/models/.removed-XyZ");
  fs::create_directories(Data() + "/models/demo");
  auto r = Started();
  EXPECT_EQ(ModelFolders(), std::vector<std::string>{"demo"}) << "other folders are left alone";
}

TEST_F(ModelRegistryTest, BadCatalogueStopsTheStart) {
  std::ofstream(Catalog() + "/broken.toml") << Entry("x", "params_b = \"big\"\n");
  Status st = Registry()->Start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("broken.toml: params_b"), std::string::npos) << st.message();
}

TEST_F(ModelRegistryTest, ImportGivesACatalogueCardItsWeights) {
  std::ofstream(Catalog() + "/mini.toml") << Entry("Mini-Chat", "params_b = 0.5\n");
  auto r = Started();
  MakeCheckpoint(dir_.Path("src"));
  ImportRequest request;
  request.name = "mini-chat";  // names compare without case
  auto m = r->ImportDirectory(dir_.Path("src"), request);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "Mini-Chat");
  EXPECT_TRUE(m->available);
  EXPECT_EQ(m->source, ModelSource::kCatalog);
  EXPECT_EQ(m->facts.display_name, "Mini-Chat card") << "the card is kept";
  EXPECT_EQ(m->facts.params_b, 0.5);
  ASSERT_TRUE(m->artifact);
  EXPECT_EQ(m->artifact->dir, "models/" + std::to_string(m->id));
  EXPECT_EQ(r->WeightsPath(*m), Data() + "/models/" + std::to_string(m->id));
  EXPECT_EQ(m->artifact->model_type, "qwen2");
  EXPECT_FALSE(m->artifact->files.empty());
  ASSERT_EQ(m->versions.size(), 1u);
  EXPECT_EQ(m->versions[0].version, "1");
  EXPECT_EQ(m->versions[0].digest, ManifestDigest(m->artifact->files));
  EXPECT_EQ(ModelFolders(), std::vector<std::string>{std::to_string(m->id)});
  auto again = r->ImportDirectory(dir_.Path("src"), request);
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(ModelFolders(), std::vector<std::string>{std::to_string(m->id)}) << "nothing left over";
}

TEST_F(ModelRegistryTest, ImportOfANewNameFillsTheCardFromTheCheckpoint) {
  auto r = Started();
  MakeCheckpoint(dir_.Path("encoder"), "bert");
  auto m = r->ImportDirectory(dir_.Path("encoder"), ImportRequest());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "encoder") << "the folder's name";
  EXPECT_EQ(m->source, ModelSource::kImport);
  EXPECT_EQ(m->facts.category, ModelCategory::kEmbedding);
  EXPECT_EQ(m->facts.compatible_engines, std::vector<std::string>{"builtin"});
  EXPECT_EQ(m->facts.context_length, 512);
  ASSERT_TRUE(m->facts.params_b);
  EXPECT_GT(*m->facts.params_b, 0);
  MakeCheckpoint(dir_.Path("decoder"));
  ImportRequest named;
  named.name = "ward-notes";
  named.version = "2024.1";
  named.patch.display_name = "Ward notes";
  named.patch.capabilities = std::vector<std::string>{"chat", "multilingual"};
  auto d = r->ImportDirectory(dir_.Path("decoder"), named);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->facts.display_name, "Ward notes");
  EXPECT_EQ(d->facts.capabilities, (std::vector<std::string>{"chat", "multilingual"}));
  EXPECT_EQ(d->versions.back().version, "2024.1");
  ImportRequest bad;
  bad.name = "x";
  bad.patch.capabilities = std::vector<std::string>{"telepathy"};
  auto refused = r->ImportDirectory(dir_.Path("decoder"), bad);
  EXPECT_EQ(refused.status().field(), "capabilities");
  EXPECT_EQ(ModelFolders().size(), 2u) << "a refused import leaves no folder";
}

TEST_F(ModelRegistryTest, BrokenImportLeavesNothing) {
  auto r = Started();
  MakeCheckpoint(dir_.Path("src"));
  fs::resize_file(dir_.Path("src/model.safetensors"), 100);
  auto m = r->ImportDirectory(dir_.Path("src"), ImportRequest());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(r->List()->empty());
  EXPECT_TRUE(ModelFolders().empty());
  EXPECT_EQ(r->ImportArchive("garbage", ImportRequest{"x", "", {}}).status().field(), "archive");
  EXPECT_EQ(r->ImportArchive("garbage", ImportRequest()).status().field(), "name");
  EXPECT_TRUE(ModelFolders().empty());
}

TEST_F(ModelRegistryTest, RestartKeepsWeightsVisibilityAndEdits) {
  std::ofstream(Catalog() + "/a.toml") << Entry("Alpha", "introduction = \"first\"\n");
  std::ofstream(Catalog() + "/b.toml") << Entry("Beta", "introduction = \"first\"\n");
  const int64_t cardiology = MakeOrg("Cardiology");
  {
    auto r = Started();
    MakeCheckpoint(dir_.Path("src"));
    ImportRequest request;
    request.name = "Alpha";
    auto alpha = r->ImportDirectory(dir_.Path("src"), request);
    ASSERT_TRUE(alpha.ok()) << alpha.status().ToString();
    ModelPatch only_cardiology;
    only_cardiology.visible_org_ids = std::vector<int64_t>{cardiology};
    ASSERT_TRUE(r->Update(alpha->id, only_cardiology).ok());
    ModelPatch rename;
    rename.display_name = "Beta, curated";
    ASSERT_TRUE(r->Update(ByName(*r, "Beta").id, rename).ok());
  }
  std::ofstream(Catalog() + "/a.toml") << Entry("Alpha", "introduction = \"second\"\n");
  std::ofstream(Catalog() + "/b.toml") << Entry("Beta", "introduction = \"second\"\n");
  clock_.AdvanceMs(1000);
  auto r = Started();
  Model alpha = ByName(*r, "Alpha");
  EXPECT_EQ(alpha.facts.introduction, "second") << "an unedited card follows its file";
  EXPECT_TRUE(alpha.available);
  ASSERT_TRUE(alpha.artifact);
  EXPECT_FALSE(alpha.artifact->files.empty());
  EXPECT_FALSE(alpha.visible_to_all);
  EXPECT_EQ(alpha.visible_org_ids, std::vector<int64_t>{cardiology});
  Model beta = ByName(*r, "Beta");
  EXPECT_EQ(beta.facts.display_name, "Beta, curated") << "an admin's edit outlives the file";
  EXPECT_EQ(beta.facts.introduction, "first");
}

TEST_F(ModelRegistryTest, UpdateChecksEverythingOrChangesNothing) {
  std::ofstream(Catalog() + "/a.toml") << Entry("Alpha");
  auto r = Started();
  const int64_t id = ByName(*r, "Alpha").id;
  ModelPatch patch;
  patch.display_name = "New name";
  patch.visible_org_ids = std::vector<int64_t>{999};
  auto refused = r->Update(id, patch);
  EXPECT_EQ(refused.status().field(), "visible_org_ids");
  EXPECT_EQ(ByName(*r, "Alpha").facts.display_name, "Alpha card") << "rolled back";
  ModelPatch bad;
  bad.context_length = std::optional<int64_t>(0);
  EXPECT_EQ(r->Update(id, bad).status().field(), "context_length");
  ModelPatch clear;
  clear.params_b = std::optional<double>();
  clear.evaluation_results =
      std::vector<EvaluationResult>{{"C-Eval", "accuracy", 71.5, kStart, ""}};
  auto ok = r->Update(id, clear);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->facts.params_b);
  ASSERT_EQ(ok->evaluation_results.size(), 1u);
  EXPECT_EQ(ok->evaluation_results[0].score, 71.5);
  EXPECT_EQ(r->Update(424242, clear).status().code(), Code::kNotFound);
}

TEST_F(ModelRegistryTest, RemovingWeights) {
  std::ofstream(Catalog() + "/a.toml") << Entry("Alpha");
  auto r = Started();
  MakeCheckpoint(dir_.Path("src"));
  auto imported = r->ImportDirectory(dir_.Path("src"), ImportRequest());
  ImportRequest alpha_request;
  alpha_request.name = "Alpha";
  auto alpha = r->ImportDirectory(dir_.Path("src"), alpha_request);
  ASSERT_TRUE(imported.ok() && alpha.ok());
  FakeUsage usage(alpha->id);
  r->SetUsage(&usage);
  auto busy = r->RemoveWeights(alpha->id);
  EXPECT_EQ(busy.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(busy.status().message().find("triage-chat"), std::string::npos);
  EXPECT_TRUE(fs::exists(r->WeightsPath(*alpha) + "/config.json")) << "files intact while in use";
  r->SetUsage(nullptr);
  ASSERT_TRUE(r->RemoveWeights(alpha->id).ok());
  Model card = ByName(*r, "Alpha");
  EXPECT_FALSE(card.available);
  EXPECT_FALSE(card.artifact);
  EXPECT_EQ(card.versions.size(), 1u) << "the history stays";
  EXPECT_EQ(r->RemoveWeights(alpha->id).status().code(), Code::kFailedPrecondition)
      << "a card without weights has nothing to remove";
  ASSERT_TRUE(r->RemoveWeights(imported->id).ok());
  EXPECT_EQ(r->Get(imported->id).status().code(), Code::kNotFound) << "an import goes entirely";
  EXPECT_TRUE(ModelFolders().empty());
}

TEST_F(ModelRegistryTest, DemoWeightsAreNoticedWhenTheyAppearAndGo) {
  std::ofstream(Catalog() + "/demo.toml")
      << Entry("demo", "source = \"demo\"\nweights_dir = \"models/demo\"\n");
  auto r = Started();
  EXPECT_FALSE(ByName(*r, "demo").available);
  fs::create_directories(Data() + "/models/demo");
  std::ofstream(Data() + "/models/demo/config.json") << "{\"model_type\": \"qwen2\"}";
  clock_.AdvanceMs(2000);
  r->Tick();
  EXPECT_FALSE(ByName(*r, "demo").available) << "half-written weights are not adopted";
  fs::remove_all(Data() + "/models/demo");
  MakeCheckpoint(Data() + "/models/demo");
  r->Tick();
  EXPECT_FALSE(ByName(*r, "demo").available) << "checked at most every two seconds";
  clock_.AdvanceMs(2000);
  r->Tick();
  Model demo = ByName(*r, "demo");
  ASSERT_TRUE(demo.available);
  EXPECT_EQ(demo.source, ModelSource::kDemo);
  EXPECT_EQ(demo.artifact->dir, "models/demo");
  EXPECT_EQ(r->WeightsPath(demo), Data() + "/models/demo");
  EXPECT_FALSE(demo.artifact->files.empty());
  fs::remove_all(Data() + "/models/demo");
  clock_.AdvanceMs(2000);
  r->Tick();
  EXPECT_FALSE(ByName(*r, "demo").available);
}

}  // namespace
}  // namespace hai::portal
