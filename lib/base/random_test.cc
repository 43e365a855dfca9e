#include "lib/base/random.h"

#include <gtest/gtest.h>

#include <set>

namespace hai {
namespace {

TEST(RandomTest, TokensAreUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = RandomToken(32);
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(RandomTest, PasswordsAvoidLookAlikes) {
  std::string p = RandomPassword(200);
  EXPECT_EQ(p.size(), 200u);
  EXPECT_EQ(p.find_first_of("0O1lI"), std::string::npos);
}

TEST(RandomTest, Sha256KnownAnswer) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hai
