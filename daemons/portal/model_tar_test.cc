#include "daemons/portal/model_tar.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "daemons/portal/model_tar_testing.h"
#include "lib/checkpoint/test_dir.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;
using checkpoint::TestDir;
using testing::TarWriter;

constexpr ImportLimits kLimits{1 << 20, 100};

Status Extract(const std::string& archive, const std::string& dir, ImportLimits limits = kLimits) {
  std::filesystem::create_directories(dir);
  auto files = ExtractTar(archive, dir, limits);
  return files.ok() ? Status::Ok() : files.status();
}

TEST(ModelTarTest, UnpacksFilesAndFoldersWithChecksums) {
  TestDir dir;
  std::string archive = TarWriter()
                            .Add("model/", "", '5')
                            .Add("./model/config.json", "{}")
                            .Add("model//sub/weights.bin", std::string(1500, 'w'))
                            .Finish();
  auto files = ExtractTar(archive, dir.path(), kLimits);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].path, "model/config.json");
  EXPECT_EQ((*files)[0].bytes, 2);
  EXPECT_EQ((*files)[0].sha256, Sha256Of("{}"));
  EXPECT_EQ((*files)[1].path, "model/sub/weights.bin");
  EXPECT_EQ(dir.Read("model/sub/weights.bin"), std::string(1500, 'w'));
}

TEST(ModelTarTest, LongNamesFromPaxGnuAndPrefix) {
  TestDir dir;
  const std::string long_name = std::string(120, 'a') + "/config.json";
  std::string archive = TarWriter()
                            .Pax("path", long_name)
                            .Add("truncated-name", "pax")
                            .GnuLongName(std::string(110, 'b') + ".txt")
                            .Add("short", "gnu")
                            .Add("tokenizer.json", "ustar", '0', "deep/prefix")
                            .Finish();
  auto files = ExtractTar(archive, dir.path(), kLimits);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(dir.Read(long_name), "pax");
  EXPECT_EQ(dir.Read(std::string(110, 'b') + ".txt"), "gnu");
  EXPECT_EQ(dir.Read("deep/prefix/tokenizer.json"), "ustar");
  EXPECT_FALSE(fs::exists(dir.Path("truncated-name")));
}

void ExpectRefused(const std::string& archive, const std::string& words) {
  TestDir dir;
  Status st = Extract(archive, dir.path());
  ASSERT_FALSE(st.ok()) << words;
  EXPECT_EQ(st.code(), Code::kInvalidArgument) << st.ToString();
  EXPECT_NE(st.message().find(words), std::string::npos) << st.message();
}

TEST(ModelTarTest, RefusesPathsThatLeaveTheFolder) {
  ExpectRefused(TarWriter().Add("/etc/passwd", "x").Finish(), "'/etc/passwd'");
  ExpectRefused(TarWriter().Add("../outside", "x").Finish(), "'../outside'");
  ExpectRefused(TarWriter().Add("model/../../outside", "x").Finish(), "leaves the archive");
  ExpectRefused(TarWriter().Pax("path", "../pax-escape").Add("fine", "x").Finish(), "pax-escape");
  ExpectRefused(TarWriter().Add("bad\nname", "x").Finish(), "control characters");
}

TEST(ModelTarTest, RefusesLinksDevicesAndOddEntries) {
  ExpectRefused(TarWriter().Add("link", "", '2', "", "/etc/passwd").Finish(), "symbolic links");
  ExpectRefused(TarWriter().Add("hard", "", '1', "", "config.json").Finish(), "hard links");
  ExpectRefused(TarWriter().Add("tty", "", '3').Finish(), "device files");
  ExpectRefused(TarWriter().Add("disk", "", '4').Finish(), "device files");
  ExpectRefused(TarWriter().Add("pipe", "", '6').Finish(), "FIFOs");
  ExpectRefused(TarWriter().Add("sparse", "", 'S').Finish(), "type 'S'");
  ExpectRefused(TarWriter().Add("a", "1").Add("./a", "2").Finish(), "appears twice");
}

TEST(ModelTarTest, RefusesDamagedArchives) {
  std::string good = TarWriter().Add("config.json", std::string(600, 'c')).Finish();
  std::string bad_sum = good;
  bad_sum[0] = 'x';  // the header no longer adds up
  ExpectRefused(bad_sum, "checksum");
  ExpectRefused(good.substr(0, 700), "cut short");
  ExpectRefused(good.substr(0, 300), "cut short");
  ExpectRefused(std::string(2048, 'z'), "checksum");
  std::string not_ustar = TarWriter().Add("x", "y").partial();
  std::memcpy(not_ustar.data() + 257, "vwxyz", 5);
  TarWriter::Checksum(&not_ustar);
  ExpectRefused(not_ustar, "not a tar archive");
  ExpectRefused(TarWriter().Pax("size", "oops").Add("x", "y").Finish(), "pax");
  TestDir dir;
  EXPECT_FALSE(ExtractTar("", dir.path(), kLimits).ok());
}

TEST(ModelTarTest, LimitsStopBeforeWritingMore) {
  TestDir dir;
  std::string two =
      TarWriter().Add("a", std::string(800, 'a')).Add("b", std::string(800, 'b')).Finish();
  Status big = Extract(two, dir.Path("bytes"), {1000, 100});
  EXPECT_EQ(big.code(), Code::kPayloadTooLarge) << big.ToString();
  EXPECT_FALSE(fs::exists(dir.Path("bytes/b"))) << "nothing is written past the limit";
  TarWriter many;
  for (int i = 0; i < 5; ++i) many.Add("f" + std::to_string(i), "x");
  Status count = Extract(many.Finish(), dir.Path("count"), {1 << 20, 4});
  EXPECT_FALSE(count.ok());
  EXPECT_NE(count.message().find("more than 4 entries"), std::string::npos) << count.message();
}

TEST(ModelTarTest, ReadsWhatTheSystemTarWrites) {
  if (std::system("command -v tar >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tar program here";
  TestDir src;
  const std::string out = src.Path("out");
  fs::create_directories(out);
  fs::create_directories(src.Path("model/nested"));
  src.Write("model/config.json", "{\"model_type\":\"qwen2\"}");
  src.Write("model/nested/" + std::string(150, 'n') + ".bin", std::string(10000, '\x01'));
  const std::string tar_path = src.Path("model.tar");
  ASSERT_EQ(std::system(("tar -C " + src.path() + " -cf " + tar_path + " model").c_str()), 0);
  std::string archive = src.Read("model.tar");
  auto files = ExtractTar(archive, out, kLimits);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(src.Read("out/model/config.json"), "{\"model_type\":\"qwen2\"}");
  EXPECT_EQ(src.Read("out/model/nested/" + std::string(150, 'n') + ".bin"),
            std::string(10000, '\x01'));
}

}  // namespace
}  // namespace hai::portal
