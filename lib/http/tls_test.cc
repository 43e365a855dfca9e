// HTTPS: the server's TLS settings and the client's certificate checks, with
// a certificate authority made for the run.
#include "lib/http/tls.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "lib/http/client.h"
#include "lib/http/server.h"
#include "lib/http/test_tls.h"

namespace hai::http {
namespace {

using testing::KeyType;
using testing::RawTlsConnection;
using testing::TestCa;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/hai-tls-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = new std::string(dir);
    auto ca = TestCa::Create(*dir_ + "/ca");
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    ca_ = new TestCa(std::move(*ca));
    for (auto [stem, names, type] :
         {std::tuple{"server", std::vector<std::string>{"127.0.0.1", "localhost"}, KeyType::kEcdsa},
          std::tuple{"rsa", std::vector<std::string>{"127.0.0.1"}, KeyType::kRsa},
          std::tuple{"elsewhere", std::vector<std::string>{"elsewhere.test"}, KeyType::kEcdsa}}) {
      auto issued = ca_->Issue(stem, names, type);
      ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete ca_;
    delete dir_;
  }

  static std::string Cert(const std::string& stem) { return *dir_ + "/ca/" + stem + ".crt"; }
  static std::string Key(const std::string& stem) { return *dir_ + "/ca/" + stem + ".key"; }

  // Serves /echo over HTTPS with `stem`'s certificate.
  Status Serve(const std::string& stem) { return Serve(Cert(stem), Key(stem)); }
  Status Serve(const std::string& cert, const std::string& key) {
    ServerOptions opts;
    opts.tls_cert_file = cert;
    opts.tls_key_file = key;
    server_ = std::make_unique<Server>(opts, &router_, &registry_);
    return server_->Start();
  }
  void SetUp() override {
    router_.Add("POST", "/echo",
                [](Request& r) { return Response::Text(200, r.body, "text/plain"); });
    AddStandardRoutes(&router_, &registry_, nullptr);
  }

  HttpUrl Url(const std::string& host = "127.0.0.1") const {
    return HttpUrl{host, server_->port(), true};
  }

  static std::string* dir_;
  static TestCa* ca_;
  Router router_;
  metrics::Registry registry_;
  std::unique_ptr<Server> server_;
};

std::string* TlsTest::dir_ = nullptr;
TestCa* TlsTest::ca_ = nullptr;

TEST_F(TlsTest, HttpsWithTheCaWorksLikeHttp) {
  ASSERT_TRUE(Serve("server").ok());
  for (const char* host : {"127.0.0.1", "localhost"}) {
    Client client(Url(host), ca_->ca_file());
    for (int i = 0; i < 2; ++i) {  // the second on the kept-alive connection
      auto r = client.Send("POST", "/echo", "over tls", {{"X-Request-Id", "tls-1"}});
      ASSERT_TRUE(r.ok()) << host << ": " << r.status().ToString();
      EXPECT_EQ(r->status, 200);
      EXPECT_EQ(r->body, "over tls");
      EXPECT_EQ(r->Header("X-Request-Id"), "tls-1");
    }
  }
  Client client(Url(), ca_->ca_file());
  auto metrics = client.Send("GET", "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find(
                "hai_http_requests_total{method=\"POST\",route=\"/echo\",status=\"200\"} 4"),
            std::string::npos)
      << metrics->body;
}

TEST_F(TlsTest, ACertificateNoTrustedCaSignedIsRefused) {
  ASSERT_TRUE(Serve("server").ok());
  // The system's store does not hold the test CA.
  Client system_store(Url(), "");
  auto r = system_store.Send("POST", "/echo", "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_NE(r.status().message().find("certificate was not accepted"), std::string::npos)
      << r.status().message();
  // Nor does another CA.
  auto other = TestCa::Create(*dir_ + "/other-ca");
  ASSERT_TRUE(other.ok());
  Client other_ca(Url(), other->ca_file());
  auto o = other_ca.Send("POST", "/echo", "x");
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("certificate was not accepted"), std::string::npos)
      << o.status().message();
}

TEST_F(TlsTest, ACertificateForAnotherHostIsRefused) {
  ASSERT_TRUE(Serve("elsewhere").ok());
  Client client(Url(), ca_->ca_file());
  auto r = client.Send("POST", "/echo", "x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not name 127.0.0.1"), std::string::npos)
      << r.status().message();
}

TEST_F(TlsTest, OnlyTls12AndLaterAreSpoken) {
  for (const char* stem : {"server", "rsa"}) {
    server_.reset();
    ASSERT_TRUE(Serve(stem).ok());
    auto tls11 = RawTlsConnection::Open(server_->port(), TLS1_VERSION, TLS1_1_VERSION);
    EXPECT_FALSE(tls11.ok()) << stem << " accepted " << tls11->version();
    auto tls12 = RawTlsConnection::Open(server_->port(), TLS1_2_VERSION, TLS1_2_VERSION);
    ASSERT_TRUE(tls12.ok()) << stem << ": " << tls12.status().ToString();
    EXPECT_EQ(tls12->version(), "TLSv1.2");
    ASSERT_TRUE(tls12->Write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok());
    EXPECT_EQ(tls12->ReadUntil("\r\n").rfind("HTTP/1.1 200", 0), 0u);
    auto best = RawTlsConnection::Open(server_->port(), TLS1_2_VERSION, TLS1_3_VERSION);
    ASSERT_TRUE(best.ok()) << best.status().ToString();
    EXPECT_EQ(best->version(), "TLSv1.3");
  }
}

TEST_F(TlsTest, PlainHttpAndHttpsDoNotMix) {
  ASSERT_TRUE(Serve("server").ok());
  Client plain("127.0.0.1", server_->port(), 5000);
  auto r = plain.Send("POST", "/echo", "x");
  EXPECT_FALSE(r.ok()) << "a plain request was answered: " << r->status;

  Router router;
  metrics::Registry registry;
  Server http_server(ServerOptions{}, &router, &registry);
  ASSERT_TRUE(http_server.Start().ok());
  Client tls(HttpUrl{"127.0.0.1", http_server.port(), true}, ca_->ca_file(), 5000);
  auto t = tls.Send("GET", "/healthz");
  EXPECT_FALSE(t.ok());
}

TEST_F(TlsTest, StartNamesTheFileAtFault) {
  const std::string missing = *dir_ + "/missing.crt";
  Status st = Serve(missing, Key("server"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(missing), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("No such file"), std::string::npos) << st.message();

  st = Serve(Cert("server"), *dir_ + "/missing.key");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(*dir_ + "/missing.key"), std::string::npos) << st.message();

  st = Serve(Cert("server"), Key("elsewhere"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "TLS key " + Key("elsewhere") + " does not match the certificate " + Cert("server"));

  const std::string junk = *dir_ + "/junk.pem";
  std::ofstream(junk) << "not a certificate\n";
  st = Serve(junk, Key("server"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(junk + ": holds no PEM certificate"), std::string::npos)
      << st.message();
  st = Serve(Cert("server"), junk);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("TLS key " + junk), std::string::npos) << st.message();

  // The same checks before a daemon changes anything.
  EXPECT_TRUE(CheckServerTlsFiles(Cert("server"), Key("server")).ok());
  EXPECT_EQ(CheckServerTlsFiles(Cert("server"), Key("elsewhere")).message(),
            "TLS key " + Key("elsewhere") + " does not match the certificate " + Cert("server"));

  st = Serve(Cert("server"), "");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("only the certificate"), std::string::npos) << st.message();
}

TEST_F(TlsTest, CaFilesAreCheckedAtStart) {
  EXPECT_TRUE(CheckCaFile(ca_->ca_file()).ok());
  Status missing = CheckCaFile(*dir_ + "/nope.crt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find(*dir_ + "/nope.crt"), std::string::npos);
  Status key = CheckCaFile(Key("server"));
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.message().find("holds no PEM certificate"), std::string::npos);
  // A CA file that cannot be read makes every https call fail, saying so.
  ASSERT_TRUE(Serve("server").ok());
  Client client(Url(), *dir_ + "/nope.crt");
  auto r = client.Send("GET", "/healthz");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot load the CA file " + *dir_ + "/nope.crt"),
            std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace hai::http
