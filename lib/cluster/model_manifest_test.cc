#include "lib/cluster/model_manifest.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "lib/base/random.h"

namespace hai::cluster {
namespace {

std::vector<ModelFileEntry> SampleFiles() {
  return {{"model.safetensors", 1000, Sha256Hex("weights")},
          {"config.json", 20, Sha256Hex("config")},
          {"tokenizer/vocab.json", 7, Sha256Hex("vocab")}};
}

TEST(ModelManifestTest, DigestIsTheHashOfTheSortedLines) {
  std::vector<ModelFileEntry> files = SampleFiles();
  // Written out by hand: the digest is a contract with other implementations.
  const std::string lines = "config.json\t20\t" + Sha256Hex("config") + "\n" +
                            "model.safetensors\t1000\t" + Sha256Hex("weights") + "\n" +
                            "tokenizer/vocab.json\t7\t" + Sha256Hex("vocab") + "\n";
  EXPECT_EQ(ModelDigest(files), Sha256Hex(lines));
  std::swap(files[0], files[2]);
  EXPECT_EQ(ModelDigest(files), Sha256Hex(lines)) << "order of the input does not matter";
  files[1].bytes = 1001;
  EXPECT_NE(ModelDigest(files), Sha256Hex(lines));
  EXPECT_EQ(ModelDigest({}), "");
}

TEST(ModelManifestTest, RoundTripsSortedWithTotals) {
  ModelManifest m = MakeModelManifest(4, SampleFiles());
  EXPECT_EQ(m.bytes, 1027);
  EXPECT_EQ(m.files[0].path, "config.json");
  EXPECT_EQ(m.digest, ModelDigest(SampleFiles()));
  auto back = ModelManifestFromJson(ToJson(m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(m));
}

TEST(ModelManifestTest, DamagedManifestsAreRefused) {
  const nlohmann::json good = ToJson(MakeModelManifest(4, SampleFiles()));
  struct Case {
    std::function<void(nlohmann::json&)> edit;
    const char* field;
  };
  const Case cases[] = {
      {[](nlohmann::json& j) { j["digest"] = std::string(64, '0'); }, "digest"},
      {[](nlohmann::json& j) { j["bytes"] = 5; }, "bytes"},
      {[](nlohmann::json& j) { j["model_id"] = 0; }, "model_id"},
      {[](nlohmann::json& j) { j.erase("files"); }, "files"},
      {[](nlohmann::json& j) { j["files"][0]["path"] = "../hai.db"; }, "files[0].path"},
      {[](nlohmann::json& j) { j["files"][0]["path"] = "/etc/passwd"; }, "files[0].path"},
      {[](nlohmann::json& j) { j["files"][1]["sha256"] = "XYZ"; }, "files[1].sha256"},
      {[](nlohmann::json& j) { j["files"][1]["bytes"] = -1; }, "files[1].bytes"},
      {[](nlohmann::json& j) { j["files"][2]["path"] = j["files"][0]["path"]; }, "files[2].path"},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    nlohmann::json j = good;
    cases[i].edit(j);
    auto m = ModelManifestFromJson(j);
    ASSERT_FALSE(m.ok()) << "case " << i;
    EXPECT_EQ(m.status().field(), cases[i].field) << "case " << i << ": " << m.status().message();
  }
}

TEST(ModelManifestTest, PathsStayInsideTheFolder) {
  for (const char* ok : {"config.json", "a/b/c.bin", "weird name (1).json", "..hidden", "a/.b"})
    EXPECT_TRUE(CheckModelFilePath(ok).ok()) << ok;
  for (const char* bad :
       {"", "/abs", "../x", "a/../../x", "a/./b", "a//b", "a/", "a\\b", "./x", ".."})
    EXPECT_FALSE(CheckModelFilePath(bad).ok()) << bad;
  EXPECT_FALSE(CheckModelFilePath(std::string("a\nb")).ok());
  EXPECT_FALSE(CheckModelFilePath(std::string(4097, 'a')).ok());
}

}  // namespace
}  // namespace hai::cluster
