#include "daemons/portal/passwords.h"

#include <gtest/gtest.h>

namespace hai::portal {
namespace {

const PasswordCost kFast{1, 8 * 1024};  // tests need speed, not strength

TEST(PasswordsTest, HashAndVerify) {
  auto hash = HashPassword("correct horse battery", kFast);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterx", *hash));
  auto again = HashPassword("correct horse battery", kFast);
  EXPECT_NE(*hash, *again);  // salted
}

TEST(PasswordsTest, RejectsForeignHashes) {
  EXPECT_FALSE(VerifyPassword("x", "plain"));
  EXPECT_FALSE(VerifyPassword("x", "$2b$10$abcdefghijklmnopqrstuv"));
}

TEST(PasswordsTest, Policy) {
  EXPECT_TRUE(CheckPasswordPolicy("Ward-7-night-shift", "nurse1", 10).ok());
  EXPECT_EQ(CheckPasswordPolicy("short", "u", 10).field(), "password");
  EXPECT_FALSE(CheckPasswordPolicy("xxnurse1xxyy", "Nurse1", 10).ok());
  EXPECT_FALSE(CheckPasswordPolicy("aaaaaaaaaaaa", "u", 10).ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(300, 'a') + "b", "u", 10).ok());
  EXPECT_TRUE(CheckPasswordPolicy("心内科值班密码十个字", "u", 10).ok());
}

}  // namespace
}  // namespace hai::portal
