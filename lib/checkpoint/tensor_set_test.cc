#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/checkpoint/safetensors.h"
#include "lib/checkpoint/test_dir.h"

namespace hai::checkpoint {
namespace {

using ::testing::HasSubstr;

class TensorSetTest : public ::testing::Test {
 protected:
  // Writes `names` (each a [2, 3] f32 tensor) into `file`.
  void WriteShard(const std::string& file, const std::vector<std::string>& names) {
    SafetensorsWriter writer;
    const float values[6] = {1, 2, 3, 4, 5, 6};
    for (const std::string& name : names) ASSERT_TRUE(writer.AddF32(name, {2, 3}, values).ok());
    ASSERT_TRUE(writer.Write(dir_.Path(file)).ok());
  }
  std::string OpenError() {
    auto set = TensorSet::Open(dir_.path());
    EXPECT_FALSE(set.ok());
    return set.ok() ? "" : set.status().message();
  }
  TestDir dir_;
};

TEST_F(TensorSetTest, SingleFile) {
  WriteShard("model.safetensors", {"a", "b"});
  dir_.Write("config.json", "{}");
  auto set = TensorSet::Open(dir_.path());
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->files(), std::vector<std::string>{dir_.Path("model.safetensors")});
  EXPECT_EQ(set->All().size(), 2u);
  ASSERT_NE(set->Find("a"), nullptr);
  EXPECT_EQ(ToFloat(*set->Find("b"))[5], 6.0f);
  EXPECT_EQ(set->Find("c"), nullptr);
}

TEST_F(TensorSetTest, ShardsWithoutIndexAreReadInNameOrder) {
  WriteShard("model-00002-of-00002.safetensors", {"z"});
  WriteShard("model-00001-of-00002.safetensors", {"a"});
  auto set = TensorSet::Open(dir_.path());
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->files(),
            (std::vector<std::string>{dir_.Path("model-00001-of-00002.safetensors"),
                                      dir_.Path("model-00002-of-00002.safetensors")}));
  EXPECT_EQ(set->Find("z")->file, dir_.Path("model-00002-of-00002.safetensors"));
}

TEST_F(TensorSetTest, ShardsWithIndex) {
  WriteShard("s1.safetensors", {"a", "b"});
  WriteShard("s2.safetensors", {"c"});
  // A stray file that the index does not name is not read.
  WriteShard("consolidated.safetensors", {"a"});
  dir_.Write("model.safetensors.index.json",
             R"({"metadata":{"total_size":72},"weight_map":{"a":"s1.safetensors",)"
             R"("b":"s1.safetensors","c":"s2.safetensors"}})");
  auto set = TensorSet::Open(dir_.path());
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->files().size(), 2u);
  EXPECT_EQ(set->All().size(), 3u);
  EXPECT_EQ(set->Find("c")->file, dir_.Path("s2.safetensors"));
}

TEST_F(TensorSetTest, IndexNamingMissingShard) {
  WriteShard("s1.safetensors", {"a"});
  dir_.Write("model.safetensors.index.json",
             R"({"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}})");
  std::string message = OpenError();
  EXPECT_THAT(message, HasSubstr("model.safetensors.index.json"));
  EXPECT_THAT(message, HasSubstr("s2.safetensors, which is missing"));
}

TEST_F(TensorSetTest, IndexDisagreeingWithShards) {
  WriteShard("s1.safetensors", {"a"});
  WriteShard("s2.safetensors", {"b", "extra"});
  dir_.Write("model.safetensors.index.json",
             R"({"weight_map":{"a":"s2.safetensors","b":"s2.safetensors"}})");
  EXPECT_THAT(OpenError(), HasSubstr("'a' is not in s2.safetensors"));
  dir_.Write("model.safetensors.index.json",
             R"({"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}})");
  EXPECT_THAT(OpenError(), HasSubstr("'extra' is not in"));
  dir_.Write("model.safetensors.index.json", R"({"weight_map":{"a":"../s1.safetensors"}})");
  EXPECT_THAT(OpenError(), HasSubstr("does not name a file in the directory"));
  dir_.Write("model.safetensors.index.json", "{");
  EXPECT_THAT(OpenError(), HasSubstr("not a JSON object"));
}

TEST_F(TensorSetTest, DuplicateAcrossShards) {
  WriteShard("s1.safetensors", {"a", "b"});
  WriteShard("s2.safetensors", {"b"});
  std::string message = OpenError();
  EXPECT_THAT(message, HasSubstr("'b' is in both"));
  EXPECT_THAT(message, HasSubstr("s1.safetensors"));
  EXPECT_THAT(message, HasSubstr("s2.safetensors"));
}

TEST_F(TensorSetTest, NoFilesOrNoDirectory) {
  EXPECT_THAT(OpenError(), HasSubstr("no *.safetensors files"));
  auto set = TensorSet::Open(dir_.Path("absent"));
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr("not a directory"));
}

TEST_F(TensorSetTest, CorruptShardNamesTheFile) {
  WriteShard("s1.safetensors", {"a"});
  dir_.Write("s2.safetensors", "garbage!garbage!");
  EXPECT_THAT(OpenError(), HasSubstr(dir_.Path("s2.safetensors")));
}

TEST_F(TensorSetTest, RequireNamesTensorShapesAndPlace) {
  WriteShard("model.safetensors", {"w"});
  auto set = TensorSet::Open(dir_.path());
  ASSERT_TRUE(set.ok());
  auto found = set->Require("w", {2, 3});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->name, "w");

  auto wrong = set->Require("w", {3, 2});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.status().message(), HasSubstr(dir_.Path("model.safetensors")));
  EXPECT_THAT(wrong.status().message(), HasSubstr("'w' has shape [2, 3] but [3, 2] was expected"));

  auto missing = set->Require("v", {4});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(dir_.path()));
  EXPECT_THAT(missing.status().message(), HasSubstr("'v' (shape [4]) is missing"));
}

}  // namespace
}  // namespace hai::checkpoint
