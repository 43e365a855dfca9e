#include "installer/hai-install/tls_material.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

namespace hai::install {
namespace {

bool Names(const CertificateInfo& info, const std::string& name) {
  return std::find(info.names.begin(), info.names.end(), name) != info.names.end();
}

TEST(TlsMaterialTest, SelfSignedCertificateNamesEveryNodeAndVerifies) {
  auto made = MakeSelfSigned(
      "HAI cluster hai-1", {"hai-1", "localhost", "127.0.0.1", "10.0.0.1", "10.0.0.2", "fd00::100"},
      3650);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_NE(made->key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  auto info = InspectCertificate(made->cert_pem);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  for (const char* n : {"hai-1", "localhost", "127.0.0.1", "10.0.0.1", "10.0.0.2", "fd00::100"})
    EXPECT_TRUE(Names(*info, n)) << n;
  time_t now = time(nullptr);
  EXPECT_LE(info->not_before, now);
  EXPECT_GT(info->not_after, now + 3649L * 86400);
  EXPECT_NE(info->subject.find("CN=HAI cluster hai-1"), std::string::npos) << info->subject;
  EXPECT_TRUE(CheckKeyMatches(made->cert_pem, made->key_pem).ok());

  // Its own CA: a client trusting ca.crt = the certificate accepts it for
  // every address it names, and for no other.
  EXPECT_TRUE(VerifyServerCertificate(made->cert_pem, made->cert_pem, "10.0.0.2").ok());
  EXPECT_TRUE(VerifyServerCertificate(made->cert_pem, made->cert_pem, "127.0.0.1").ok());
  EXPECT_TRUE(VerifyServerCertificate(made->cert_pem, made->cert_pem, "localhost").ok());
  EXPECT_FALSE(VerifyServerCertificate(made->cert_pem, made->cert_pem, "10.0.0.7").ok());
}

TEST(TlsMaterialTest, MismatchesAreFound) {
  auto a = MakeSelfSigned("a", {"10.0.0.1"}, 365);
  auto b = MakeSelfSigned("b", {"10.0.0.1"}, 365);
  ASSERT_TRUE(a.ok() && b.ok());
  Status st = CheckKeyMatches(a->cert_pem, b->key_pem);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("not the certificate's"), std::string::npos);
  EXPECT_FALSE(VerifyServerCertificate(a->cert_pem, b->cert_pem, "10.0.0.1").ok())
      << "another CA does not vouch for it";
  EXPECT_FALSE(InspectCertificate("not pem").ok());
  EXPECT_FALSE(CheckKeyMatches(a->cert_pem, "-----BEGIN PRIVATE KEY-----\nxx\n").ok());
  EXPECT_FALSE(VerifyServerCertificate(a->cert_pem, "", "10.0.0.1").ok());
}

TEST(TlsMaterialTest, FirstBlockOfAChain) {
  auto a = MakeSelfSigned("a", {"10.0.0.1"}, 365);
  auto b = MakeSelfSigned("b", {"10.0.0.1"}, 365);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(FirstCertificateBlock(a->cert_pem + b->cert_pem), a->cert_pem);
  EXPECT_EQ(FirstCertificateBlock("nothing"), "");
}

}  // namespace
}  // namespace hai::install
