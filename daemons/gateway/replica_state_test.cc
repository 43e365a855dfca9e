#include "daemons/gateway/replica_state.h"

#include <gtest/gtest.h>

namespace hai::gateway {
namespace {

TEST(ReplicaStateTest, CountsRequestsInFlight) {
  ReplicaState r(1, "http://127.0.0.1:1", "127.0.0.1", 1, "node-1");
  {
    InFlight a(&r), b(&r);
    EXPECT_EQ(r.outstanding(), 2);
  }
  EXPECT_EQ(r.outstanding(), 0);
}

TEST(ReplicaStateTest, EjectedUntilAProbeSucceedsWithGrowingWaits) {
  ReplicaState r(1, "http://127.0.0.1:1", "127.0.0.1", 1, "node-1");
  EXPECT_FALSE(r.ejected());
  EXPECT_FALSE(r.ProbeDue(0)) << "a replica in rotation is not probed";
  EXPECT_TRUE(r.Eject(1000, 500, 1500));
  EXPECT_TRUE(r.ejected());
  EXPECT_FALSE(r.Eject(1100, 500, 1500)) << "a second failure while ejected counts once";
  EXPECT_FALSE(r.ProbeDue(1499));
  EXPECT_TRUE(r.ProbeDue(1500));
  r.ProbeFailed(1500, 1500);  // next wait 1000
  EXPECT_FALSE(r.ProbeDue(2499));
  EXPECT_TRUE(r.ProbeDue(2500));
  r.ProbeFailed(2500, 1500);  // 2000, bounded to 1500
  EXPECT_FALSE(r.ProbeDue(3999));
  EXPECT_TRUE(r.ProbeDue(4000));
  r.Reinstate();
  EXPECT_FALSE(r.ejected());
  EXPECT_FALSE(r.ProbeDue(100000));
  // Ejected again: the wait starts from the beginning.
  EXPECT_TRUE(r.Eject(5000, 500, 1500));
  EXPECT_TRUE(r.ProbeDue(5500));
}

}  // namespace
}  // namespace hai::gateway
