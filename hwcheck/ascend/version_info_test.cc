#include "hwcheck/ascend/version_info.h"

#include <gtest/gtest.h>

#include "hwcheck/ascend/ascend_test_support.h"

namespace hai::hwcheck::ascend {
namespace {

using testing::Read;

TEST(VersionInfoTest, DriverFirmwareAndToolkitFiles) {
  VersionInfo driver = ParseVersionInfo(Read("root/usr/local/Ascend/driver/version.info"));
  EXPECT_EQ(driver.Version(), "24.1.rc2");
  EXPECT_EQ(driver.CompatibleFirmware(), "[7.0.0,7.5.99]");
  EXPECT_EQ(ParseVersionInfo(Read("root/usr/local/Ascend/firmware/version.info")).Version(),
            "7.5.0.1.129");
  // The toolkit writes the key in lower case.
  EXPECT_EQ(ParseVersionInfo(Read("root/usr/local/Ascend/ascend-toolkit/latest/aarch64-linux/"
                                  "ascend_toolkit_install.info"))
                .Version(),
            "8.0.RC3");
}

TEST(VersionInfoTest, CompareVersions) {
  EXPECT_LT(CompareVersions("24.1.rc2", "24.1.rc3"), 0);
  EXPECT_LT(CompareVersions("7.1.0.5.220", "7.1.99"), 0);
  EXPECT_GT(CompareVersions("7.10", "7.9"), 0);
  EXPECT_EQ(CompareVersions("7.1.0.5", "7.1", true), 0);
  EXPECT_GT(CompareVersions("7.1.0.5", "7.1"), 0);
  EXPECT_EQ(CompareVersions("8.0.RC3", "8.0.rc3"), 0);
}

TEST(VersionInfoTest, FirmwareWithinARange) {
  EXPECT_TRUE(*FirmwareCompatible("7.5.0.1.129", "[7.0.0,7.5.99]"));
  EXPECT_TRUE(*FirmwareCompatible("7.0.0.1", "[7.0.0,7.5.99]"));  // bounds are prefixes
  EXPECT_FALSE(*FirmwareCompatible("7.6.0.1", "[7.0.0,7.5.99]"));
  EXPECT_FALSE(*FirmwareCompatible("6.4.12", "[7.0.0,7.5.99]"));
}

TEST(VersionInfoTest, FirmwareInAList) {
  EXPECT_TRUE(*FirmwareCompatible("7.1.0.5", "[7.0],[7.1]"));
  EXPECT_FALSE(*FirmwareCompatible("7.2.0.5", "[7.0],[7.1]"));
  EXPECT_TRUE(*FirmwareCompatible("7.3.1", "7.1,7.3"));
  EXPECT_TRUE(*FirmwareCompatible("7.9.1", "[7.0,7.1,7.9]"));  // three in one bracket: a list
  EXPECT_TRUE(*FirmwareCompatible("7.4.2", "[6.0],[7.3,7.5]"));
}

TEST(VersionInfoTest, UnreadableCompatibilityIsAnError) {
  EXPECT_FALSE(FirmwareCompatible("7.1", "").ok());
  EXPECT_FALSE(FirmwareCompatible("7.1", "[7.0,7.2").ok());
}

}  // namespace
}  // namespace hai::hwcheck::ascend
