#include "lib/engine_profile/placeholder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace hai::engine_profile {
namespace {

using ::testing::ElementsAre;

Lookup From(const std::map<std::string, std::string, std::less<>>& values) {
  return [&values](std::string_view name) -> const std::string* {
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
  };
}

TEST(PlaceholderTest, FindsNamesInOrder) {
  auto names = PlaceholderNames("{engine_bin_dir}/hai-engine:{port}{port}");
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, ElementsAre("engine_bin_dir", "port", "port"));
}

TEST(PlaceholderTest, OtherBracesAreLiteral) {
  auto names =
      PlaceholderNames(R"({"a": {port}, "b": [[{ids}]], "c": {}, "D": {Upper}, "e": {1x}})");
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, ElementsAre("port", "ids"));
}

TEST(PlaceholderTest, DoubleBracesAreRefused) {
  auto names = PlaceholderNames("--model {{model_path}}");
  ASSERT_FALSE(names.ok());
  EXPECT_NE(names.status().message().find("write {model_path}"), std::string::npos);
}

TEST(PlaceholderTest, ExpandsEveryPlaceholder) {
  std::map<std::string, std::string, std::less<>> values = {{"host", "10.0.0.5"},
                                                            {"port", "21000"}};
  auto out = Expand("http://{host}:{port}/{port}", From(values));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "http://10.0.0.5:21000/21000");
}

TEST(PlaceholderTest, MissingValueNamesThePlaceholder) {
  std::map<std::string, std::string, std::less<>> values = {{"port", "1"}};
  auto out = Expand("{port} {engine_bin_dir}", From(values));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "{engine_bin_dir} has no value");
  EXPECT_EQ(out.status().field(), "engine_bin_dir");
}

TEST(PlaceholderTest, JsonEscapingAppliesToValuesOnly) {
  std::map<std::string, std::string, std::less<>> values = {{"model_path", "/m/a\"b\\c\n"}};
  auto out = Expand(R"({"path": "{model_path}"})", From(values), Escape::kJsonString);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, R"({"path": "/m/a\"b\\c\n"})");
}

TEST(PlaceholderTest, JsonEscapeControlCharacters) {
  EXPECT_EQ(JsonEscape(std::string("a\x01z\t", 4)), "a\\u0001z\\t");
  EXPECT_EQ(JsonEscape("plain/path-1"), "plain/path-1");
}

TEST(PlaceholderTest, LaunchPlaceholders) {
  EXPECT_TRUE(IsLaunchPlaceholder("logical_device_ids"));
  EXPECT_TRUE(IsLaunchPlaceholder("engine_bin_dir"));
  EXPECT_FALSE(IsLaunchPlaceholder("value"));
  EXPECT_FALSE(IsLaunchPlaceholder("model"));
}

}  // namespace
}  // namespace hai::engine_profile
