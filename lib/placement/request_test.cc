#include "lib/placement/request.h"

#include <gtest/gtest.h>

namespace hai::placement {
namespace {

PlacementRequest Valid() {
  PlacementRequest r;
  r.vendor = "ascend";
  r.devices_per_replica = 2;
  return r;
}

void ExpectField(const PlacementRequest& r, const std::string& field) {
  Status s = Validate(r);
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << field;
  EXPECT_EQ(s.field(), field) << s.message();
}

TEST(RequestTest, DefaultAcceleratorRequestIsValid) {
  EXPECT_TRUE(Validate(Valid()).ok());
  PlacementRequest any;  // any vendor, one whole card
  EXPECT_TRUE(Validate(any).ok());
}

TEST(RequestTest, UnknownVendorIsAValidationError) {
  PlacementRequest r = Valid();
  r.vendor = "cambricon";
  ExpectField(r, "vendor");
}

TEST(RequestTest, ZeroDevicesForAcceleratorsIsRejected) {
  PlacementRequest r = Valid();
  r.devices_per_replica = 0;
  ExpectField(r, "devices_per_replica");
  r.devices_per_replica = kMaxDevicesPerReplica + 1;
  ExpectField(r, "devices_per_replica");
}

TEST(RequestTest, SharedNeedsMemory) {
  PlacementRequest r = Valid();
  r.sharing = Sharing::kShared;
  ExpectField(r, "memory_mib");
  r.memory_mib = 1024;
  EXPECT_TRUE(Validate(r).ok());
  r.memory_mib = -1;
  ExpectField(r, "memory_mib");
}

TEST(RequestTest, HugeMemoryIsNotAValidationError) {
  PlacementRequest r = Valid();
  r.memory_mib = 10'000'000;  // bigger than any card: a refusal from Place, not an error
  EXPECT_TRUE(Validate(r).ok());
}

TEST(RequestTest, CpuOnlyRules) {
  PlacementRequest r;
  r.vendor = "cpu";
  r.devices_per_replica = 0;
  r.cpu_cores = 4;
  EXPECT_TRUE(Validate(r).ok());
  r.devices_per_replica = 1;
  ExpectField(r, "devices_per_replica");
  r.devices_per_replica = 0;
  r.model = "H100";
  ExpectField(r, "model");
  r.model.clear();
  r.cpu_cores = 0;
  ExpectField(r, "cpu_cores");
  r.host_memory_mib = 4096;
  EXPECT_TRUE(Validate(r).ok());
}

TEST(RequestTest, ReplicasAndGang) {
  PlacementRequest r = Valid();
  r.replicas = 0;
  ExpectField(r, "replicas");
  r.replicas = kMaxReplicas + 1;
  ExpectField(r, "replicas");
  r.replicas = 1;
  r.gang = true;  // a gang of one is accepted (documented in request.h)
  EXPECT_TRUE(Validate(r).ok());
}

TEST(RequestTest, NegativeHostResourcesAndEmptyLabelKey) {
  PlacementRequest r = Valid();
  r.cpu_cores = -1;
  ExpectField(r, "cpu_cores");
  r = Valid();
  r.host_memory_mib = -5;
  ExpectField(r, "host_memory_mib");
  r = Valid();
  r.node_selector = {{"", "x"}};
  ExpectField(r, "node_selector");
}

TEST(RequestTest, NamesRoundTrip) {
  for (Policy p : {Policy::kBinpack, Policy::kSpread, Policy::kFirstFit})
    EXPECT_EQ(ParsePolicy(PolicyName(p)), p);
  for (Topology t : {Topology::kAny, Topology::kSameNuma, Topology::kSameGroup})
    EXPECT_EQ(ParseTopology(TopologyName(t)), t);
  for (Sharing s : {Sharing::kWholeDevice, Sharing::kShared})
    EXPECT_EQ(ParseSharing(SharingName(s)), s);
  EXPECT_FALSE(ParsePolicy("roundrobin"));
}

}  // namespace
}  // namespace hai::placement
