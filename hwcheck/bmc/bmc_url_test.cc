#include <gtest/gtest.h>

#include "hwcheck/bmc/bmc_readers.h"

namespace hai::hwcheck::bmc {
namespace {

struct Good {
  const char* url;
  const char* scheme;
  const char* host;
  int port;
  const char* user;
  const char* password;
  const char* endpoint;
};

TEST(ParseBmcUrl, AcceptsTheFormsWithDefaultPortsAndPercentDecoding) {
  const Good cases[] = {
      {"ipmi://admin:secret@10.0.0.5", "ipmi", "10.0.0.5", 623, "admin", "secret", "10.0.0.5:623"},
      {"ipmi://admin:secret@bmc1.example:9623", "ipmi", "bmc1.example", 9623, "admin", "secret",
       "bmc1.example:9623"},
      {"redfish+https://root:p%40ss%3Aw0rd%25@bmc1", "redfish+https", "bmc1", 443, "root",
       "p@ss:w0rd%", "bmc1:443"},
      {"redfish+http://admin:x@127.0.0.1:8000/", "redfish+http", "127.0.0.1", 8000, "admin", "x",
       "127.0.0.1:8000"},
      {"redfish+https://admin@[fd00::5]:8443", "redfish+https", "fd00::5", 8443, "admin", "",
       "[fd00::5]:8443"},
      {"ipmi://ad%20min:a@b@[::1]", "ipmi", "::1", 623, "ad min", "a@b", "[::1]:623"},
  };
  for (const Good& c : cases) {
    auto t = ParseBmcUrl(c.url);
    ASSERT_TRUE(t.ok()) << c.url << ": " << t.status().ToString();
    EXPECT_EQ(t->scheme, c.scheme) << c.url;
    EXPECT_EQ(t->host, c.host) << c.url;
    EXPECT_EQ(t->port, c.port) << c.url;
    EXPECT_EQ(t->user, c.user) << c.url;
    EXPECT_EQ(t->password, c.password) << c.url;
    EXPECT_EQ(t->Endpoint(), c.endpoint) << c.url;
    EXPECT_EQ(t->Endpoint().find(c.password[0] ? c.password : "\x01"), std::string::npos);
  }
}

TEST(ParseBmcUrl, ErrorsNameThePartAndNeverThePassword) {
  const std::pair<const char*, const char*> cases[] = {
      {"foo://a:b@h", "--bmc: unknown scheme 'foo' (ipmi://, redfish+https://)"},
      {"https://a:hunter2@h", "unknown scheme 'https'"},
      {"bmc1:623", "want a URL"},
      {"ipmi://a:hunter2@", "missing host"},
      {"ipmi://a:hunter2@:623", "missing host"},
      {"ipmi://a:hunter2@h:0", "bad port '0'"},
      {"ipmi://a:hunter2@h:70000", "bad port '70000'"},
      {"ipmi://a:hunter2@h:62x", "bad port '62x'"},
      {"ipmi://a:hunter2@h:", "empty port"},
      {"ipmi://h:623", "missing user"},
      {"ipmi://:hunter2@h", "missing user"},
      {"ipmi://a:hunter2%4@h", "bad percent escape in the password"},
      {"ipmi://a%zz:hunter2@h", "bad percent escape in the user"},
      {"redfish+https://a:hunter2@h/redfish/v1", "a path is not allowed"},
      {"ipmi://a:hunter2@[::1", "unclosed '['"},
  };
  for (const auto& [url, want] : cases) {
    auto t = ParseBmcUrl(url);
    ASSERT_FALSE(t.ok()) << url;
    EXPECT_EQ(t.status().code(), Code::kInvalidArgument) << url;
    EXPECT_NE(t.status().message().find(want), std::string::npos)
        << url << " → " << t.status().message();
    EXPECT_EQ(t.status().message().find("hunter2"), std::string::npos) << url;
  }
}

}  // namespace
}  // namespace hai::hwcheck::bmc
