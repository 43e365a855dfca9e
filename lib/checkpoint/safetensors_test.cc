#include "lib/checkpoint/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "lib/checkpoint/test_dir.h"

namespace hai::checkpoint {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A file with this header text (not padded) and data, as another writer
// might produce it.
std::string RawFile(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string OneTensor(const std::string& dtype, const std::string& shape, uint64_t begin,
                      uint64_t end) {
  return R"({"w":{"dtype":")" + dtype + R"(","shape":)" + shape + R"(,"data_offsets":[)" +
         std::to_string(begin) + "," + std::to_string(end) + "]}}";
}

std::vector<std::byte> Bytes(size_t n, int seed) {
  std::vector<std::byte> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<std::byte>((i * 31 + seed) & 0xFF);
  return out;
}

class SafetensorsTest : public ::testing::Test {
 protected:
  // Opens `bytes` written as a file; the error message when it fails.
  std::string OpenError(const std::string& bytes) {
    dir_.Write("x.safetensors", bytes);
    auto file = SafetensorsFile::Open(dir_.Path("x.safetensors"));
    EXPECT_FALSE(file.ok());
    if (file.ok()) return "";
    EXPECT_THAT(file.status().message(), HasSubstr(dir_.Path("x.safetensors")));
    return file.status().message();
  }
  TestDir dir_;
};

TEST_F(SafetensorsTest, RoundTripsEveryDType) {
  SafetensorsWriter writer;
  const DType dtypes[] = {DType::kF32, DType::kF16, DType::kBF16,
                          DType::kI8,  DType::kI32, DType::kI64};
  int seed = 0;
  for (DType dtype : dtypes) {
    // 3 × 5 elements: odd byte counts for I8 and 2-byte types, so later
    // tensors start unaligned.
    std::vector<std::byte> data = Bytes(15 * DTypeSize(dtype), ++seed);
    ASSERT_TRUE(
        writer.Add(std::string("t_") + std::string(DTypeName(dtype)), dtype, {3, 5}, data).ok());
  }
  writer.SetMetadata("format", "pt");
  ASSERT_TRUE(writer.Write(dir_.Path("m.safetensors")).ok());

  auto file = SafetensorsFile::Open(dir_.Path("m.safetensors"));
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_EQ(file->tensors().size(), 6u);
  seed = 0;
  for (DType dtype : dtypes) {
    const TensorView* t = file->Find(std::string("t_") + std::string(DTypeName(dtype)));
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->dtype, dtype);
    EXPECT_EQ(t->shape, (std::vector<int64_t>{3, 5}));
    EXPECT_EQ(t->NumElements(), 15);
    EXPECT_EQ(t->file, dir_.Path("m.safetensors"));
    std::vector<std::byte> expected = Bytes(15 * DTypeSize(dtype), ++seed);
    ASSERT_EQ(t->size_bytes, expected.size());
    EXPECT_EQ(std::memcmp(t->data, expected.data(), expected.size()), 0);
  }
  EXPECT_EQ(file->metadata().at("format"), "pt");
  EXPECT_EQ(file->Find("nope"), nullptr);
}

TEST_F(SafetensorsTest, WriterAlignsDataAndSortsByName) {
  SafetensorsWriter writer;
  const float b[] = {2.0f}, a[] = {1.0f, 1.5f, 3.0f};
  ASSERT_TRUE(writer.AddF32("b", {1}, b).ok());
  ASSERT_TRUE(writer.AddF32("a", {3}, a).ok());
  ASSERT_TRUE(writer.Write(dir_.Path("m.safetensors")).ok());
  std::string bytes = dir_.Read("m.safetensors");
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);  // the test machines are little-endian
  EXPECT_EQ((8 + n) % 8, 0u);
  json header = json::parse(bytes.substr(8, n));
  EXPECT_EQ(header["a"]["data_offsets"], json({0, 12}));
  EXPECT_EQ(header["b"]["data_offsets"], json({12, 16}));
  EXPECT_EQ(bytes.size(), 8 + n + 16);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 1);
}

TEST_F(SafetensorsTest, WriterRejectsBadInput) {
  SafetensorsWriter writer;
  const float two[] = {1, 2};
  EXPECT_FALSE(writer.AddF32("w", {3}, two).ok());
  EXPECT_FALSE(writer.AddF32("", {2}, two).ok());
  EXPECT_FALSE(writer.AddF32("__metadata__", {2}, two).ok());
  EXPECT_FALSE(writer.AddF32("w", {-2}, two).ok());
  ASSERT_TRUE(writer.AddF32("w", {2}, two).ok());
  Status again = writer.AddF32("w", {2}, two);
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  std::vector<std::byte> owned = Bytes(4, 1);
  EXPECT_TRUE(writer.Add("moved", DType::kI8, {2, 2}, std::move(owned)).ok());
  EXPECT_FALSE(writer.Write(dir_.Path("missing-dir/m.safetensors")).ok());
}

TEST_F(SafetensorsTest, EmptyTensorsAndEmptyFile) {
  SafetensorsWriter writer;
  ASSERT_TRUE(writer.Add("empty", DType::kF32, {0, 4}, std::span<const std::byte>()).ok());
  const float one[] = {1};
  ASSERT_TRUE(writer.AddF32("one", {1}, one).ok());
  ASSERT_TRUE(writer.Add("scalar", DType::kF32, {}, std::as_bytes(std::span(one))).ok());
  ASSERT_TRUE(writer.Write(dir_.Path("m.safetensors")).ok());
  auto file = SafetensorsFile::Open(dir_.Path("m.safetensors"));
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->Find("empty")->size_bytes, 0u);
  EXPECT_EQ(file->Find("empty")->NumElements(), 0);
  EXPECT_EQ(file->Find("scalar")->NumElements(), 1);
  EXPECT_EQ(ToFloat(*file->Find("scalar")), std::vector<float>{1.0f});

  ASSERT_TRUE(SafetensorsWriter().Write(dir_.Path("none.safetensors")).ok());
  auto none = SafetensorsFile::Open(dir_.Path("none.safetensors"));
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_TRUE(none->tensors().empty());
}

TEST_F(SafetensorsTest, ReadsForeignFileWithUnpaddedHeaderAndMetadata) {
  std::string header =
      R"({"__metadata__":{"format":"pt","note":"x"},"b":{"dtype":"BF16","shape":[1],)"
      R"("data_offsets":[4,6]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  float one = 1.0f;
  uint16_t two = FloatToBFloat16(2.0f);
  std::string data(6, '\0');
  std::memcpy(data.data(), &one, 4);
  std::memcpy(data.data() + 4, &two, 2);
  dir_.Write("f.safetensors", RawFile(header, data));
  auto file = SafetensorsFile::Open(dir_.Path("f.safetensors"));
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->metadata().size(), 2u);
  EXPECT_EQ(ToFloat(*file->Find("a")), std::vector<float>{1.0f});
  EXPECT_EQ(ToFloat(*file->Find("b")), std::vector<float>{2.0f});
}

TEST_F(SafetensorsTest, MissingFile) {
  auto file = SafetensorsFile::Open(dir_.Path("absent.safetensors"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), Code::kNotFound);
  EXPECT_THAT(file.status().message(), HasSubstr("absent.safetensors"));
}

TEST_F(SafetensorsTest, TruncatedFiles) {
  EXPECT_THAT(OpenError(""), HasSubstr("truncated"));
  EXPECT_THAT(OpenError("\x10\x00\x00"), HasSubstr("truncated"));
  // A complete file cut short inside the data.
  std::string full = RawFile(OneTensor("F32", "[4]", 0, 16), std::string(16, 'x'));
  std::string message = OpenError(full.substr(0, full.size() - 3));
  EXPECT_THAT(message, HasSubstr("'w'"));
  EXPECT_THAT(message, HasSubstr("truncated"));
  // Cut inside the header.
  EXPECT_THAT(OpenError(full.substr(0, 20)), HasSubstr("beyond the end of the file"));
}

TEST_F(SafetensorsTest, HeaderLengthOutOfBounds) {
  std::string huge(8, '\0');
  huge[4] = 1;  // 2^32 bytes
  EXPECT_THAT(OpenError(huge + "{}"), HasSubstr("exceeds the 100 MiB limit"));
  std::string beyond = RawFile("{}", "");
  beyond[0] = 100;
  EXPECT_THAT(OpenError(beyond), HasSubstr("beyond the end of the file"));
}

TEST_F(SafetensorsTest, MalformedHeaders) {
  EXPECT_THAT(OpenError(RawFile("{not json", "")), HasSubstr("not a JSON object"));
  EXPECT_THAT(OpenError(RawFile("[1,2]", "")), HasSubstr("not a JSON object"));
  EXPECT_THAT(OpenError(RawFile(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", "abcd")),
              HasSubstr("no dtype"));
  EXPECT_THAT(OpenError(RawFile(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", "abcd")),
              HasSubstr("no shape"));
  EXPECT_THAT(OpenError(RawFile(OneTensor("F32", "[-1]", 0, 4), "abcd")), HasSubstr("not a size"));
  EXPECT_THAT(OpenError(RawFile(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", "")),
              HasSubstr("data_offsets"));
  EXPECT_THAT(OpenError(RawFile(R"({"__metadata__":{"n":1}})", "")), HasSubstr("not a string"));
  EXPECT_THAT(
      OpenError(RawFile(OneTensor("F32", "[4294967296,4294967296,4294967296]", 0, 4), "abcd")),
      HasSubstr("too large"));
}

TEST_F(SafetensorsTest, UnknownDTypeNamesFileTensorAndDType) {
  std::string message = OpenError(RawFile(OneTensor("F8_E4M3", "[4]", 0, 4), "abcd"));
  EXPECT_THAT(message, HasSubstr("tensor 'w'"));
  EXPECT_THAT(message, HasSubstr("unknown dtype 'F8_E4M3'"));
}

TEST_F(SafetensorsTest, OffsetsOutOfRangeOrReversed) {
  EXPECT_THAT(OpenError(RawFile(OneTensor("F32", "[2]", 0, 8), "abcd")),
              HasSubstr("beyond the 4 data bytes"));
  EXPECT_THAT(OpenError(RawFile(OneTensor("F32", "[1]", 4, 0), "abcd")),
              HasSubstr("end before they begin"));
}

TEST_F(SafetensorsTest, SizeMismatch) {
  std::string message = OpenError(RawFile(OneTensor("F32", "[3]", 0, 8), "abcdefgh"));
  EXPECT_THAT(message, HasSubstr("holds 8 bytes but F32 [3] needs 12"));
}

TEST_F(SafetensorsTest, OverlapsHolesAndTrailingBytes) {
  std::string two = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[)";
  EXPECT_THAT(OpenError(RawFile(two + "2,6]}}", "abcdef")), HasSubstr("'a' and 'b' overlap"));
  EXPECT_THAT(OpenError(RawFile(two + "0,4]}}", "abcd")), HasSubstr("overlap"));
  EXPECT_THAT(OpenError(RawFile(two + "6,10]}}", "abcdefghij")),
              HasSubstr("bytes 4..6 belong to no tensor"));
  EXPECT_THAT(OpenError(RawFile(two + "4,8]}}", "abcdefghij")),
              HasSubstr("2 data bytes after the last tensor"));
}

TEST_F(SafetensorsTest, DamagedHeadersFailCleanly) {
  SafetensorsWriter writer;
  const float values[] = {1, 2, 3, 4, 5, 6};
  ASSERT_TRUE(writer.AddF32("alpha", {2, 3}, values).ok());
  ASSERT_TRUE(writer.AddF32("beta", {6}, values).ok());
  ASSERT_TRUE(writer.Write(dir_.Path("good.safetensors")).ok());
  const std::string good = dir_.Read("good.safetensors");
  // Every byte of the length and header changed in turn: each result either
  // fails with a message naming the file or describes tensors that tile the
  // data exactly (a change inside a name, say).
  for (size_t at = 0; at + 48 < good.size(); ++at) {
    for (char replacement : {'9', '[', '\xff'}) {
      std::string bad = good;
      if (bad[at] == replacement) continue;
      bad[at] = replacement;
      dir_.Write("bad.safetensors", bad);
      auto file = SafetensorsFile::Open(dir_.Path("bad.safetensors"));
      if (!file.ok()) {
        EXPECT_THAT(file.status().message(), HasSubstr("bad.safetensors")) << at;
        continue;
      }
      size_t total = 0;
      for (const TensorView& t : file->tensors()) {
        total += t.size_bytes;
        EXPECT_EQ(ToFloat(t).size(), static_cast<size_t>(t.NumElements()));
      }
      EXPECT_EQ(total, 48u) << at;
    }
  }
}

}  // namespace
}  // namespace hai::checkpoint
