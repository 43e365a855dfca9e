// Streamed responses and client-disconnect detection, over real loopback sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "lib/http/client.h"
#include "lib/http/server.h"
#include "lib/http/test_tls.h"

namespace hai::http {
namespace {

using namespace std::chrono_literals;

// Polls `done` up to `tries` times, 10 ms apart; bounded, never asserts on time.
bool WaitFor(const std::function<bool()>& done, int tries = 1000) {
  for (int i = 0; i < tries; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

constexpr uint64_t kSized = 3 * 1024 * 1024 + 7;
unsigned char SizedByte(uint64_t i) { return static_cast<unsigned char>((i * 7) % 251); }

// Every test runs over plain HTTP and over HTTPS (the parameter).
class StreamTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    char dir[] = "/tmp/hai-stream-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = new std::string(dir);
    auto ca = testing::TestCa::Create(*dir_);
    ASSERT_TRUE(ca.ok()) << ca.status().ToString();
    auto issued = ca->Issue("server", {"127.0.0.1"});
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    ca_file_ = new std::string(ca->ca_file());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete ca_file_;
  }

  static bool Tls() { return GetParam(); }
  Client MakeClient(int timeout_ms = 10000) const {
    return Client(HttpUrl{"127.0.0.1", server_->port(), Tls()}, *ca_file_, timeout_ms);
  }

  void SetUp() override {
    router_.Add("GET", "/three", [](Request&) {
      return Response::Stream("text/event-stream", [](const StreamWrite& write) {
        for (int i = 0; i < 3; ++i)
          if (!write("data: " + std::to_string(i) + "\n\n")) return false;
        return true;
      });
    });
    router_.Add("GET", "/endless", [this](Request&) {
      return Response::Stream("text/plain", [this](const StreamWrite& write) {
        // Bounded: 20 000 pieces at 1 ms is far longer than any client here waits.
        for (int i = 0; i < 20000; ++i) {
          if (!write("piece " + std::to_string(i) + "\n")) {
            write_failed_ = true;
            break;
          }
          ++pieces_written_;
          std::this_thread::sleep_for(1ms);
        }
        producer_done_ = true;
        return !write_failed_.load();
      });
    });
    router_.Add("GET", "/wait", [this](Request& req) {
      wait_started_ = true;
      for (int i = 0; i < 2000 && !gone_seen_; ++i) {
        if (req.client_gone && req.client_gone()) gone_seen_ = true;
        std::this_thread::sleep_for(5ms);
      }
      return Response::Json(200, {{"gone", gone_seen_.load()}});
    });
    router_.Add("GET", "/probe", [](Request& req) {
      bool probe = static_cast<bool>(req.client_gone);
      return Response::Json(200, {{"gone", probe && req.client_gone()}, {"probe", probe}});
    });
    // A sized body of kSized bytes: byte i is i * 7 mod 251.
    router_.Add("GET", "/sized", [](Request&) {
      return Response::Sized("application/octet-stream", kSized,
                             [](uint64_t offset, uint64_t length, const StreamWrite& write) {
                               std::string piece(std::min<uint64_t>(length, 64 * 1024), '\0');
                               for (size_t i = 0; i < piece.size(); ++i)
                                 piece[i] = static_cast<char>(SizedByte(offset + i));
                               return write(piece);
                             });
    });
    // Says it has kSized bytes but fails after the first piece.
    router_.Add("GET", "/sized-broken", [](Request&) {
      return Response::Sized("application/octet-stream", kSized,
                             [](uint64_t offset, uint64_t, const StreamWrite& write) {
                               if (offset > 0) return false;
                               return write(std::string(4096, 'x'));
                             });
    });
    AddStandardRoutes(&router_, &registry_, nullptr);
    ServerOptions options;
    if (Tls()) {
      options.tls_cert_file = *dir_ + "/server.crt";
      options.tls_key_file = *dir_ + "/server.key";
    }
    server_ = std::make_unique<Server>(options, &router_, &registry_);
    ASSERT_TRUE(server_->Start().ok());
  }

  static std::string* dir_;
  static std::string* ca_file_;

  Router router_;
  metrics::Registry registry_;
  std::unique_ptr<Server> server_;
  std::atomic<bool> write_failed_{false};
  std::atomic<bool> producer_done_{false};
  std::atomic<int> pieces_written_{0};
  std::atomic<bool> gone_seen_{false};
  std::atomic<bool> wait_started_{false};
};

// A browser always sends Accept-Encoding: gzip; a compressed stream would
// hold every piece until it ends. The first piece of an endless text stream
// must arrive, uncompressed, while the stream still runs.
TEST_P(StreamTest, StreamsAreNotCompressedEvenWhenTheClientAcceptsGzip) {
  Client client = MakeClient(10000);
  std::string first;
  int written_by_then = 0;
  auto r = client.SendStreaming("GET", "/endless", "", {{"Accept-Encoding", "gzip, deflate"}},
                                [&](std::string_view data) {
                                  if (first.empty()) written_by_then = pieces_written_;
                                  first.append(data);
                                  return first.find('\n') == std::string::npos;
                                });
  EXPECT_EQ(first.rfind("piece 0\n", 0), 0u) << first;
  // Compressed, nothing comes until zlib's buffer fills: thousands of pieces
  // (about 9 000 measured). Live, the first comes after a handful.
  EXPECT_LT(written_by_then, 2000) << "pieces were held back";
  (void)r;
}

TEST_P(StreamTest, PiecesArriveInOrderAndAreCounted) {
  Client client = MakeClient();
  std::string body;
  auto r = client.SendStreaming("GET", "/three", "", {}, [&](std::string_view d) {
    body.append(d);
    return true;
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"), "text/event-stream");
  EXPECT_FALSE(r->Header("X-Request-Id").empty());
  EXPECT_EQ(body, "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  // The plain client reads the same chunked body whole.
  auto whole = client.Send("GET", "/three");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->body, body);
  // Recorded once each stream has ended.
  EXPECT_TRUE(WaitFor([&] {
    auto m = client.Send("GET", "/metrics");
    return m.ok() && m->body.find(
                         "hai_http_requests_total{method=\"GET\",route=\"/three\","
                         "status=\"200\"} 2") != std::string::npos;
  }));
}

TEST_P(StreamTest, WriteFailsOnceTheClientHasGone) {
  Client client = MakeClient();
  int pieces = 0;
  auto r = client.SendStreaming("GET", "/endless", "", {}, [&](std::string_view) {
    return ++pieces < 3;  // hang up after the third piece
  });
  EXPECT_FALSE(r.ok());
  ASSERT_TRUE(WaitFor([&] { return producer_done_.load(); }));
  EXPECT_TRUE(write_failed_);
}

TEST_P(StreamTest, CancelEndsACallThatWaitsOnAQuietServer) {
  Client client = MakeClient(60000);
  std::atomic<bool> returned{false};
  Result<ClientResponse> r = Status::Internal("not called");
  std::thread call([&] {
    r = client.SendStreaming("GET", "/wait", "", {}, [](std::string_view) { return true; });
    returned = true;
  });
  // Cancelled only once the server runs the handler: a call cancelled before
  // its request arrived leaves no handler to see the hang-up.
  EXPECT_TRUE(WaitFor([&] { return wait_started_.load(); }));
  EXPECT_TRUE(WaitFor([&] {
    client.Cancel();
    return returned.load();
  }));
  call.join();
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_TRUE(WaitFor([&] { return gone_seen_.load(); })) << "the server sees the hang-up";
}

TEST_P(StreamTest, ProbeSeesAClientThatClosedDuringTheHandler) {
  const std::string request = "GET /wait HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  if (Tls()) {
    auto tls = testing::RawTlsConnection::Open(server_->port(), TLS1_2_VERSION, TLS1_3_VERSION);
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    ASSERT_TRUE(tls->Write(request).ok());
    EXPECT_TRUE(WaitFor([&] { return wait_started_.load(); }));  // the handler runs
    tls->Close();
    EXPECT_TRUE(WaitFor([&] { return gone_seen_.load(); }));
    return;
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  EXPECT_TRUE(WaitFor([&] { return wait_started_.load(); }));  // the handler runs
  close(fd);
  EXPECT_TRUE(WaitFor([&] { return gone_seen_.load(); }));
}

TEST_P(StreamTest, SizedBodiesCarryContentLengthAndArriveWhole) {
  Client client = MakeClient();
  std::string body;
  auto r = client.SendStreaming("GET", "/sized", "", {{"Accept-Encoding", "gzip, deflate"}},
                                [&](std::string_view d) {
                                  body.append(d);
                                  return true;
                                });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(kSized));
  EXPECT_EQ(r->Header("Content-Encoding"), "");
  EXPECT_EQ(r->Header("Transfer-Encoding"), "");
  ASSERT_EQ(body.size(), kSized);
  bool same = true;
  for (size_t i = 0; i < body.size() && same; ++i)
    same = static_cast<unsigned char>(body[i]) == SizedByte(i);
  EXPECT_TRUE(same);
  // Ranges are not offered: a Range header still gets the whole body.
  auto whole = client.Send("GET", "/sized", "", {{"Range", "bytes=1000000-1000009"}});
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body, body);
}

TEST_P(StreamTest, AFailingSizedBodyIsAnErrorForTheClient) {
  Client client = MakeClient();
  size_t received = 0;
  auto r = client.SendStreaming("GET", "/sized-broken", "", {}, [&](std::string_view d) {
    received += d.size();
    return true;
  });
  EXPECT_FALSE(r.ok());
  EXPECT_LT(received, kSized);
  EXPECT_TRUE(WaitFor([&] {
    auto m = client.Send("GET", "/metrics");
    return m.ok() && m->body.find("route=\"/sized-broken\"") != std::string::npos;
  }));
}

TEST_P(StreamTest, ProbeSaysPresentWhileTheClientWaits) {
  Request by_hand;
  EXPECT_FALSE(by_hand.client_gone);  // requests built in tests carry no probe
  Client client = MakeClient();
  for (int i = 0; i < 3; ++i) {  // also on a kept-alive connection
    auto r = client.Send("GET", "/probe");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body, "{\"gone\":false,\"probe\":true}");
  }
}

std::string* StreamTest::dir_ = nullptr;
std::string* StreamTest::ca_file_ = nullptr;

INSTANTIATE_TEST_SUITE_P(PlainAndTls, StreamTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& tls) {
                           return tls.param ? "Https" : "Http";
                         });

}  // namespace
}  // namespace hai::http
