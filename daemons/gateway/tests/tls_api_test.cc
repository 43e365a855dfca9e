// The portal and the gateway over HTTPS, as hai-install sets them up with TLS
// on: real processes with a certificate for 127.0.0.1 and localhost from a CA
// made for the run, the gateway asking the portal about keys and sending it
// call records over HTTPS ([cluster] ca_file), the portal's playground
// calling the gateway over HTTPS, and curl checking what is offered.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "daemons/gateway/tests/gateway_cluster_test.h"
#include "lib/http/test_tls.h"

namespace hai::gateway::testing {
namespace {

struct CurlRun {
  int exit_code = -1;
  std::string output;  // -v's lines and the -w text
};

// curl with `args` (stdout and stderr together).
CurlRun Curl(const std::string& args) {
  CurlRun run;
  FILE* pipe = popen(
      ("curl -sS -v -o /dev/null -w 'http_code=%{http_code}\\n' " + args + " 2>&1").c_str(), "r");
  if (!pipe) return run;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof(buf), pipe)) run.output.append(buf, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// "1.2" or "1.3" from curl's "SSL connection using TLSv1.x / …" line.
std::string TlsVersion(const std::string& curl_output) {
  const std::string marker = "SSL connection using TLSv";
  size_t at = curl_output.find(marker);
  return at == std::string::npos ? "" : curl_output.substr(at + marker.size(), 3);
}

class GatewayTlsTest : public GatewayClusterTest {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/hai-tls-api-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = new std::string(dir);
    auto ca = http::testing::TestCa::Create(*dir_);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    auto issued = ca->Issue("hai", {"127.0.0.1", "localhost"});
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    tls_ = new GatewayProcess::Tls{issued->cert_file, issued->key_file, ca->ca_file()};
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete tls_;
    delete dir_;
  }
  const GatewayProcess::Tls* Tls() const override { return tls_; }

  static std::string* dir_;
  static GatewayProcess::Tls* tls_;
};

std::string* GatewayTlsTest::dir_ = nullptr;
GatewayProcess::Tls* GatewayTlsTest::tls_ = nullptr;

TEST_F(GatewayTlsTest, CurlSeesTls12OrLaterAndNothingElse) {
  for (int port : {portal_->port(), gateway_->port()}) {
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/healthz";
    CurlRun trusted = Curl("--cacert " + tls_->ca_file + " " + url);
    EXPECT_EQ(trusted.exit_code, 0) << trusted.output;
    EXPECT_NE(trusted.output.find("http_code=200"), std::string::npos) << trusted.output;
    const std::string version = TlsVersion(trusted.output);
    EXPECT_TRUE(version == "1.2" || version == "1.3") << trusted.output;
    CurlRun by_name =
        Curl("--cacert " + tls_->ca_file + " https://localhost:" + std::to_string(port) +
             "/healthz --resolve localhost:" + std::to_string(port) + ":127.0.0.1");
    EXPECT_EQ(by_name.exit_code, 0) << by_name.output;
    // 60: the certificate cannot be verified without the CA.
    EXPECT_EQ(Curl(url).exit_code, 60);
    // curl made willing to speak TLS 1.1 (security level 0): the server refuses.
    CurlRun old = Curl("--cacert " + tls_->ca_file +
                       " --tlsv1.1 --tls-max 1.1 --ciphers "
                       "'DEFAULT:@SECLEVEL=0' " +
                       url);
    EXPECT_NE(old.exit_code, 0) << old.output;
    EXPECT_EQ(old.output.find("http_code=200"), std::string::npos) << old.output;
    // Plain HTTP on the HTTPS port gets no answer.
    CurlRun plain = Curl("http://127.0.0.1:" + std::to_string(port) + "/healthz");
    EXPECT_NE(plain.exit_code, 0) << plain.output;
    EXPECT_EQ(plain.output.find("http_code=200"), std::string::npos) << plain.output;
  }
}

TEST_F(GatewayTlsTest, KeysCallsCallLogsAndThePlaygroundGoOverHttps) {
  const int64_t service = CreateService("ward-chat", ward_);
  Deploy(service, 1);
  ASSERT_TRUE(WaitReady(service, 1)) << Replicas(service);
  const std::string key = MakeKey(ward_dev_, ward_, {"inference"});
  // The gateway asked the portal about the key over HTTPS: served.
  ASSERT_TRUE(WaitServed(key, "ward-chat"));
  // An unknown key: the portal answered (not 503 auth_unavailable).
  auto unknown = gateway_->Post("sk-hai-unknown-key-0000000000000000", "/v1/chat/completions",
                                Chat("ward-chat"));
  EXPECT_EQ(unknown.status, 401) << unknown.body;
  EXPECT_EQ(unknown.json["error"]["code"], "invalid_api_key") << unknown.body;

  auto chat = gateway_->Post(key, "/v1/chat/completions", Chat("ward-chat"));
  ASSERT_EQ(chat.status, 200) << chat.body;
  EXPECT_EQ(chat.json["object"], "chat.completion") << chat.body;
  auto stream = gateway_->Stream(key, "/v1/chat/completions", Chat("ward-chat", true));
  ASSERT_EQ(stream.status, 200);
  EXPECT_NE(stream.body.find("data: [DONE]"), std::string::npos) << stream.body;

  // Its call record reached the portal over HTTPS.
  json rows = Rows(chat.raw.Header("X-Request-Id"));
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["status_code"], 200);
  EXPECT_EQ(rows[0]["source"], "api");

  // The playground: the portal calls the gateway at its https:// gateway_url.
  auto played = portal_->Send("POST", "/api/v1/playground/chat/completions", ward_dev_,
                              json::parse(Chat("ward-chat")));
  ASSERT_EQ(played.status, 200) << played.raw;
  EXPECT_EQ(played.body["object"], "chat.completion") << played.raw;
  auto played_stream = portal_->Send("POST", "/api/v1/playground/chat/completions", ward_dev_,
                                     json::parse(Chat("ward-chat", true)));
  ASSERT_EQ(played_stream.status, 200) << played_stream.raw;
  EXPECT_NE(played_stream.raw.find("data: [DONE]"), std::string::npos) << played_stream.raw;
  json played_rows = Rows(played.request_id);
  ASSERT_EQ(played_rows.size(), 1u) << played_rows.dump();
  EXPECT_EQ(played_rows[0]["source"], "playground");
}

}  // namespace
}  // namespace hai::gateway::testing
