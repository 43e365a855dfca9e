#include "lib/http/json_body.h"

#include <gtest/gtest.h>

namespace hai::http {
namespace {

TEST(JsonBodyTest, ReadsTypedFields) {
  auto body = JsonBody::Parse(R"({"name":"icu","n":3,"on":true,"tags":["a"],"opt":null})");
  ASSERT_TRUE(body.ok());
  std::string name;
  int64_t n = 0;
  bool on = false;
  std::vector<std::string> tags;
  std::optional<std::string> opt = "x";
  body->Required("name", &name);
  body->Required("n", &n);
  body->Optional("on", &on);
  body->Required("tags", &tags);
  body->Optional("opt", &opt);
  EXPECT_TRUE(body->Finish().ok());
  EXPECT_EQ(name, "icu");
  EXPECT_EQ(n, 3);
  EXPECT_TRUE(on);
  EXPECT_FALSE(opt.has_value());
}

TEST(JsonBodyTest, NamesTheFieldAtFault) {
  auto body = JsonBody::Parse(R"({"name":5})");
  std::string name;
  body->Required("name", &name);
  EXPECT_EQ(body->Finish().field(), "name");
  EXPECT_EQ(body->Finish().message(), "field 'name' must be a string");

  auto missing = JsonBody::Parse("{}");
  missing->Required("name", &name);
  EXPECT_EQ(missing->Finish().message(), "field 'name' is required");

  auto unknown = JsonBody::Parse(R"({"name":"a","nmae":"b"})");
  unknown->Required("name", &name);
  EXPECT_EQ(unknown->Finish().field(), "nmae");
}

TEST(JsonBodyTest, ReadsAnObjectOfStrings) {
  auto body = JsonBody::Parse(R"({"env":{"A":"1","B_2":""}})");
  std::optional<std::map<std::string, std::string>> env;
  body->Optional("env", &env);
  ASSERT_TRUE(body->Finish().ok());
  EXPECT_EQ(env, (std::map<std::string, std::string>{{"A", "1"}, {"B_2", ""}}));

  auto absent = JsonBody::Parse(R"({"env":null})");
  absent->Optional("env", &env);
  EXPECT_TRUE(absent->Finish().ok());
  EXPECT_FALSE(env.has_value());

  auto list = JsonBody::Parse(R"({"env":["A=1"]})");
  list->Optional("env", &env);
  EXPECT_EQ(list->Finish().field(), "env");
  auto number = JsonBody::Parse(R"({"env":{"A":1}})");
  number->Optional("env", &env);
  EXPECT_EQ(number->Finish().field(), "env.A");
  EXPECT_EQ(number->Finish().message(), "field 'env.A' must be a string");
}

TEST(JsonBodyTest, RejectsNonObjects) {
  EXPECT_FALSE(JsonBody::Parse("{").ok());
  EXPECT_FALSE(JsonBody::Parse("[1]").ok());
  EXPECT_FALSE(JsonBody::Parse("").ok());
}

TEST(JsonBodyTest, CheckTextCountsCodePoints) {
  EXPECT_TRUE(CheckText("name", "心内科", 1, 3).ok());
  EXPECT_FALSE(CheckText("name", "心内科x", 1, 3).ok());
  EXPECT_FALSE(CheckText("name", "", 1, 3).ok());
  EXPECT_FALSE(CheckText("name", "a\nb", 1, 10).ok());
}

}  // namespace
}  // namespace hai::http
