#include "daemons/gateway/caller_identity.h"

#include <gtest/gtest.h>

namespace hai::gateway {
namespace {

TEST(OnBehalfOfTest, ReadsTheOrganisationAndTheUser) {
  auto who = ParseOnBehalfOf("org_id=3;user_id=9");
  ASSERT_TRUE(who);
  EXPECT_EQ(who->org_id, 3);
  EXPECT_EQ(who->user_id, 9);
  who = ParseOnBehalfOf(" user_id = 12 ; org_id=4 ");
  ASSERT_TRUE(who);
  EXPECT_EQ(who->org_id, 4);
  EXPECT_EQ(who->user_id, 12);
}

TEST(OnBehalfOfTest, AnythingElseIsMalformed) {
  for (const char* bad :
       {"", "org_id=3", "user_id=9", "org_id=3;user_id=9;role=admin", "org_id=3;org_id=4",
        "org_id=0;user_id=9", "org_id=-3;user_id=9", "org_id=3x;user_id=9", "org_id=;user_id=9",
        "org_id=3,user_id=9", "org=3;user=9", "org_id=99999999999999999999;user_id=1",
        "org_id=3;user_id=9;"})
    EXPECT_FALSE(ParseOnBehalfOf(bad)) << bad;
}

}  // namespace
}  // namespace hai::gateway
