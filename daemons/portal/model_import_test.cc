#include "daemons/portal/model_import.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "daemons/portal/model_checkpoint_testing.h"
#include "daemons/portal/model_tar_testing.h"
#include "lib/checkpoint/test_dir.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;
using checkpoint::TestDir;
using testing::MakeCheckpoint;
using testing::TarWriter;

class ModelImportTest : public ::testing::Test {
 protected:
  std::string Source() const { return dir_.Path("src"); }
  std::string Models() const { return dir_.Path("models"); }
  // Nothing is left in the models folder: no staging directory, no files.
  void ExpectNothingLeft() const {
    std::error_code ec;
    if (!fs::exists(Models(), ec)) return;
    for (const auto& e : fs::directory_iterator(Models()))
      ADD_FAILURE() << "left behind: " << e.path().filename().string();
  }
  Status Stage() const {
    auto staged = StagedModel::FromDirectory(Source(), Models(), limits_);
    return staged.ok() ? Status::Ok() : staged.status();
  }
  // The import fails with a 400 whose message names the source file.
  void ExpectRefused(const std::string& words) const {
    Status st = Stage();
    ASSERT_FALSE(st.ok()) << words;
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << st.ToString();
    EXPECT_EQ(st.field(), "path");
    EXPECT_NE(st.message().find(words), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find(".import-"), std::string::npos)
        << "errors name the source, not the staging copy: " << st.message();
    ExpectNothingLeft();
  }

  TestDir dir_;
  ImportLimits limits_;
};

TEST_F(ModelImportTest, DecoderIsCopiedCheckedAndHashed) {
  MakeCheckpoint(Source());
  auto staged = StagedModel::FromDirectory(Source(), Models(), limits_);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  const CheckpointFacts& f = staged->facts();
  EXPECT_EQ(f.model_type, "qwen2");
  EXPECT_EQ(f.architecture, "Qwen2ForCausalLM");
  EXPECT_TRUE(f.builtin_ready);
  EXPECT_EQ(f.category, ModelCategory::kTextGeneration);
  EXPECT_EQ(f.capabilities, std::vector<std::string>{"chat"})
      << "the checkpoint has a chat template";
  EXPECT_EQ(f.context_length, 8192);
  ASSERT_TRUE(f.params_b);
  EXPECT_GT(*f.params_b, 0.0);
  EXPECT_LT(*f.params_b, 0.01);
  bool weights = false;
  for (const ModelFile& file : staged->files()) {
    auto sha = Sha256File(Source() + "/" + file.path);
    ASSERT_TRUE(sha.ok());
    EXPECT_EQ(file.sha256, *sha) << file.path;
    EXPECT_EQ(file.bytes, static_cast<int64_t>(fs::file_size(Source() + "/" + file.path)));
    weights |= file.path == "model.safetensors";
  }
  EXPECT_TRUE(weights);
  const std::string final_dir = Models() + "/7";
  ASSERT_TRUE(staged->Commit(final_dir).ok());
  EXPECT_TRUE(fs::exists(final_dir + "/model.safetensors"));
}

TEST_F(ModelImportTest, CommittedFolderOutlivesTheStagingObject) {
  MakeCheckpoint(Source());
  const std::string final_dir = Models() + "/7";
  {
    auto staged = StagedModel::FromDirectory(Source(), Models(), limits_);
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    ASSERT_TRUE(staged->Commit(final_dir).ok());
  }
  EXPECT_TRUE(fs::exists(final_dir + "/config.json"));
  for (const auto& e : fs::directory_iterator(Models()))
    EXPECT_EQ(e.path().filename().string(), "7");
}

TEST_F(ModelImportTest, RollbackRemovesTheCommittedFolder) {
  MakeCheckpoint(Source());
  auto staged = StagedModel::FromDirectory(Source(), Models(), limits_);
  ASSERT_TRUE(staged.ok());
  ASSERT_TRUE(staged->Commit(Models() + "/3").ok());
  staged->Rollback(Models() + "/3");
  ExpectNothingLeft();
}

TEST_F(ModelImportTest, EncodersAreEmbeddingOrRerank) {
  MakeCheckpoint(Source(), "bert");
  auto embed = StagedModel::FromDirectory(Source(), Models(), limits_);
  ASSERT_TRUE(embed.ok()) << embed.status().ToString();
  EXPECT_EQ(embed->facts().category, ModelCategory::kEmbedding);
  EXPECT_TRUE(embed->facts().builtin_ready);
  fs::remove_all(Source());
  MakeCheckpoint(Source(), "bert", 1);
  auto rerank = StagedModel::FromDirectory(Source(), Models(), limits_);
  ASSERT_TRUE(rerank.ok()) << rerank.status().ToString();
  EXPECT_EQ(rerank->facts().category, ModelCategory::kRerank);
}

TEST_F(ModelImportTest, RecognisedArchitecturesTheEngineLacksStillImport) {
  MakeCheckpoint(Source());
  std::string config = dir_.Read("src/config.json");
  config.replace(config.find("\"qwen2\""), 7, "\"qwen3\"");
  dir_.Write("src/config.json", config);
  auto staged = StagedModel::FromDirectory(Source(), Models(), limits_);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_FALSE(staged->facts().builtin_ready);
  EXPECT_NE(staged->facts().builtin_note.find("model_type"), std::string::npos);
  // Without tokenizer.json, a SentencePiece model file is a tokenizer too.
  fs::remove(Source() + "/tokenizer.json");
  dir_.Write("src/tokenizer.model", "sentencepiece bytes");
  EXPECT_TRUE(Stage().ok());
}

TEST_F(ModelImportTest, MissingPiecesAreNamed) {
  MakeCheckpoint(Source());
  fs::remove(Source() + "/model.safetensors");
  ExpectRefused("no *.safetensors weights");
  dir_.Write("src/pytorch_model.bin", "pickle");
  ExpectRefused("pytorch_model.bin");
  fs::remove_all(Source());
  MakeCheckpoint(Source());
  fs::remove(Source() + "/tokenizer.json");
  ExpectRefused(Source() + ": no tokenizer");
  fs::remove_all(Source());
  MakeCheckpoint(Source());
  fs::remove(Source() + "/config.json");
  ExpectRefused(Source() + "/config.json: missing");
}

TEST_F(ModelImportTest, BrokenFilesAreNamed) {
  MakeCheckpoint(Source());
  const std::string weights = Source() + "/model.safetensors";
  const std::string intact = dir_.Read("src/model.safetensors");
  fs::resize_file(weights, fs::file_size(weights) / 2);
  ExpectRefused(weights);
  dir_.Write("src/model.safetensors", intact);
  fs::create_directories(Source() + "/extra");
  dir_.Write("src/extra/adapter.safetensors", "not a safetensors file at all");
  ExpectRefused(Source() + "/extra/adapter.safetensors");
  fs::remove_all(Source() + "/extra");
  const std::string config = dir_.Read("src/config.json");
  dir_.Write("src/config.json", "{\"model_type\": \"frobnicator\"}");
  ExpectRefused("model_type 'frobnicator' is not a recognised architecture");
  dir_.Write("src/config.json", "[1, 2");
  ExpectRefused("config.json: not a JSON object");
  std::string wrong = config;
  wrong.replace(wrong.find("\"hidden_size\": 64"), 17, "\"hidden_size\": 96");
  dir_.Write("src/config.json", wrong);
  ExpectRefused(Source());  // shapes no longer match the weights
  dir_.Write("src/config.json", config);
  dir_.Write("src/tokenizer.json", "{\"model\": 3}");
  ExpectRefused("tokenizer.json");
}

TEST_F(ModelImportTest, LinksToFilesAreFollowedOthersRefused) {
  MakeCheckpoint(dir_.Path("real"));
  fs::create_directories(Source());
  for (const auto& e : fs::directory_iterator(dir_.Path("real")))
    fs::create_symlink(e.path(), Source() + "/" + e.path().filename().string());
  {
    auto staged = StagedModel::FromDirectory(Source(), Models(), limits_);
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    for (const ModelFile& f : staged->files())
      EXPECT_EQ(f.sha256, *Sha256File(dir_.Path("real/" + f.path))) << f.path;
  }
  ExpectNothingLeft();
  fs::create_directory_symlink("/etc", Source() + "/etc");
  ExpectRefused(Source() + "/etc: is not a regular file");
}

TEST_F(ModelImportTest, LimitsAndBadSources) {
  MakeCheckpoint(Source());
  limits_.max_files = 2;
  ExpectRefused("more than 2 files");
  limits_ = ImportLimits{1000, 100};
  Status big = Stage();
  EXPECT_EQ(big.code(), Code::kPayloadTooLarge) << big.ToString();
  ExpectNothingLeft();
  limits_ = ImportLimits();
  EXPECT_EQ(StagedModel::FromDirectory("relative/dir", Models(), limits_).status().field(), "path");
  EXPECT_EQ(StagedModel::FromDirectory(dir_.Path("absent"), Models(), limits_).status().field(),
            "path");
  Status own = StagedModel::FromDirectory(dir_.path(), Models(), limits_).status();
  EXPECT_NE(own.message().find("models folder"), std::string::npos) << own.message();
}

TEST_F(ModelImportTest, ArchiveWithOneTopFolderIsReadFromInside) {
  MakeCheckpoint(Source());
  TarWriter tar;
  tar.Add("qwen-mini/", "", '5');
  for (const auto& e : fs::directory_iterator(Source())) {
    std::string name = e.path().filename().string();
    tar.Add("qwen-mini/" + name, dir_.Read("src/" + name));
  }
  {
    auto staged = StagedModel::FromArchive(tar.Finish(), Models(), limits_);
    ASSERT_TRUE(staged.ok()) << staged.status().ToString();
    for (const ModelFile& f : staged->files())
      EXPECT_EQ(f.path.find('/'), std::string::npos) << f.path;
    ASSERT_TRUE(staged->Commit(Models() + "/1").ok());
  }
  EXPECT_TRUE(fs::exists(Models() + "/1/config.json"));
  for (const auto& e : fs::directory_iterator(Models()))
    EXPECT_EQ(e.path().filename().string(), "1") << "the staging shell is gone";
}

TEST_F(ModelImportTest, BadArchivesLeaveNothing) {
  MakeCheckpoint(Source());
  TarWriter tar;
  tar.Add("config.json", dir_.Read("src/config.json"));
  auto no_weights = StagedModel::FromArchive(tar.Finish(), Models(), limits_);
  ASSERT_FALSE(no_weights.ok());
  EXPECT_EQ(no_weights.status().field(), "archive");
  EXPECT_NE(no_weights.status().message().find("archive: no *.safetensors"), std::string::npos)
      << no_weights.status().message();
  ExpectNothingLeft();
  auto escape = StagedModel::FromArchive(TarWriter().Add("../x", "y").Finish(), Models(), limits_);
  EXPECT_EQ(escape.status().field(), "archive");
  ExpectNothingLeft();
}

}  // namespace
}  // namespace hai::portal
