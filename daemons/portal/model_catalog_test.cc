#include "daemons/portal/model_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "lib/checkpoint/test_dir.h"

namespace hai::portal {
namespace {

using checkpoint::TestDir;

const std::string kCatalog = std::string(HAI_TEST_SOURCE_DIR) + "/profiles/catalog";

const std::string kMinimal =
    "name = \"Tiny-1B\"\ndisplay_name = \"Tiny 1B\"\ncategory = \"text-generation\"\n";

TEST(ModelCatalogTest, EveryShippedFileLoads) {
  auto entries = LoadCatalog(kCatalog);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  size_t toml_files = 0;
  for (const auto& e : std::filesystem::directory_iterator(kCatalog))
    toml_files += e.path().extension() == ".toml";
  EXPECT_EQ(entries->size(), toml_files);
  EXPECT_GE(entries->size(), 20u);
  std::set<ModelCategory> categories;
  std::map<std::string, const CatalogEntry*> by_name;
  for (const CatalogEntry& e : *entries) {
    categories.insert(e.facts.category);
    by_name[e.name] = &e;
    EXPECT_FALSE(e.facts.introduction.empty()) << e.file;
    EXPECT_FALSE(e.facts.licence.empty()) << e.file;
    EXPECT_FALSE(e.facts.vendor.empty()) << e.file;
    EXPECT_TRUE(e.facts.params_b.has_value()) << e.file << ": every shipped card states its size";
    EXPECT_EQ(e.digest.size(), 64u);
    if (e.source == ModelSource::kCatalog) {
      EXPECT_TRUE(e.weights_dir.empty()) << e.file;
    }
  }
  EXPECT_EQ(categories.size(), AllCategories().size()) << "every category has a model";
  for (const char* name : {"Qwen2.5-7B-Instruct", "Qwen3-8B", "DeepSeek-R1-Distill-Qwen-7B",
                           "GLM-4-9B-Chat", "Baichuan2-13B-Chat", "InternLM2.5-7B-Chat", "bge-m3",
                           "bge-reranker-v2-m3", "CosyVoice2-0.5B"})
    EXPECT_TRUE(by_name.count(name)) << name;
  ASSERT_TRUE(by_name.count("demo") && by_name.count("demo-embedding"));
  const CatalogEntry& demo = *by_name["demo"];
  EXPECT_EQ(demo.source, ModelSource::kDemo);
  EXPECT_EQ(demo.weights_dir, "models/demo");
  EXPECT_EQ(demo.facts.category, ModelCategory::kTextGeneration);
  EXPECT_NE(demo.facts.introduction.find("random"), std::string::npos)
      << "the demo card must say its weights are random";
  const CatalogEntry& embed = *by_name["demo-embedding"];
  EXPECT_EQ(embed.source, ModelSource::kDemo);
  EXPECT_EQ(embed.facts.category, ModelCategory::kEmbedding);
  EXPECT_EQ(embed.weights_dir, "models/demo-embedding");
}

TEST(ModelCatalogTest, MissingFolderIsAnEmptyCatalogue) {
  auto entries = LoadCatalog("/nonexistent/hai/catalog");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(ModelCatalogTest, MinimalEntryTakesDefaults) {
  auto e = ParseCatalogEntry(kMinimal, "tiny.toml");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->source, ModelSource::kCatalog);
  EXPECT_FALSE(e->facts.params_b);
  EXPECT_TRUE(e->facts.capabilities.empty());
}

void ExpectError(const std::string& text, const std::string& key, const std::string& words) {
  auto e = ParseCatalogEntry(text, "bad.toml");
  ASSERT_FALSE(e.ok()) << text;
  EXPECT_EQ(e.status().field(), key) << e.status().message();
  EXPECT_EQ(e.status().message().rfind("bad.toml", 0), 0u) << e.status().message();
  EXPECT_NE(e.status().message().find(words), std::string::npos) << e.status().message();
}

TEST(ModelCatalogTest, ErrorsNameTheFileAndTheKey) {
  ExpectError(kMinimal + "colour = \"red\"\n", "colour", "unknown key");
  ExpectError(kMinimal + "params_b = \"seven\"\n", "params_b", "expected a number");
  ExpectError(kMinimal + "context_length = 1.5\n", "context_length", "expected an integer");
  ExpectError(kMinimal + "capabilities = [\"chat\", \"telepathy\"]\n", "capabilities", "telepathy");
  ExpectError(kMinimal + "capabilities = [\"chat\", \"chat\"]\n", "capabilities", "twice");
  ExpectError(kMinimal + "compatible_engines = [\"tgi\"]\n", "compatible_engines", "tgi");
  ExpectError(kMinimal + "params_b = -3\n", "params_b", "above 0");
  ExpectError(kMinimal + "use_cases = [1, 2]\n", "use_cases", "list of strings");
  ExpectError(kMinimal + "source = \"import\"\n", "source", "catalog");
  ExpectError(kMinimal + "source = \"demo\"\n", "weights_dir", "required");
  ExpectError(kMinimal + "weights_dir = \"models/../../etc\"\n", "weights_dir", "models/<folder>");
  ExpectError(kMinimal + "weights_dir = \"/var/lib/hai/models/x\"\n", "weights_dir", "models/");
  ExpectError("display_name = \"x\"\ncategory = \"embedding\"\n", "name", "required");
  ExpectError("name = \"bad name\"\ndisplay_name = \"x\"\ncategory = \"embedding\"\n", "name",
              "letters");
  ExpectError("name = \"x\"\ndisplay_name = \"x\"\ncategory = \"chatbot\"\n", "category",
              "chatbot");
  ExpectError("name = \"x\"\ncategory = \"rerank\"\n", "display_name", "required");
  auto syntax = ParseCatalogEntry("name = \"x\nbroken", "bad.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message().rfind("bad.toml:1:", 0), 0u) << syntax.status().message();
}

TEST(ModelCatalogTest, TwoFilesWithOneNameAreRefused) {
  TestDir dir;
  dir.Write("a.toml", kMinimal);
  dir.Write("b.toml", "name = \"tiny-1b\"\ndisplay_name = \"Other\"\ncategory = \"embedding\"\n");
  dir.Write("README.md", "not a catalogue entry");
  auto entries = LoadCatalog(dir.path());
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.status().message().find("b.toml: name"), std::string::npos)
      << entries.status().message();
  EXPECT_NE(entries.status().message().find("a.toml"), std::string::npos);
}

TEST(ModelCatalogTest, OneBadFileFailsTheWholeCatalogue) {
  TestDir dir;
  dir.Write("a.toml", kMinimal);
  dir.Write("z.toml", kMinimal + "licence = 3\n");
  auto entries = LoadCatalog(dir.path());
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.status().message().find("z.toml: licence"), std::string::npos)
      << entries.status().message();
}

}  // namespace
}  // namespace hai::portal
