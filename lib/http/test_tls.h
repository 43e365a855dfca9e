// TLS material and a raw TLS client for tests: a throwaway certificate
// authority made at test time (no private key is ever committed) and a
// client whose protocol versions the test chooses.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lib/base/status.h"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace hai::http::testing {

enum class KeyType { kEcdsa, kRsa };

// A certificate authority for one test run: its certificate is `ca_file`
// (PEM) in the folder given to Create; Issue() signs server certificates.
// Not thread-safe.
class TestCa {
 public:
  static Result<TestCa> Create(const std::string& dir);
  TestCa(TestCa&&) noexcept;
  TestCa& operator=(TestCa&&) noexcept;
  ~TestCa();

  const std::string& ca_file() const { return ca_file_; }

  struct Issued {
    std::string cert_file;  // <dir>/<stem>.crt: the server's certificate
    std::string key_file;   // <dir>/<stem>.key: its private key (mode 0600)
  };
  // A server certificate valid for `names` (IP addresses and DNS names, its
  // subjectAltNames; the first is also its common name).
  Result<Issued> Issue(const std::string& stem, const std::vector<std::string>& names,
                       KeyType key = KeyType::kEcdsa);

 private:
  TestCa() = default;
  struct Pki;
  std::unique_ptr<Pki> pki_;
  std::string dir_;
  std::string ca_file_;
};

// A TLS connection to 127.0.0.1:port that accepts any certificate and
// speaks only the protocol versions between `min_version` and `max_version`
// (TLS1_1_VERSION …), at OpenSSL security level 0 so that this client
// itself never refuses an old version: what is refused, the server refused.
class RawTlsConnection {
 public:
  static Result<RawTlsConnection> Open(int port, int min_version, int max_version);
  RawTlsConnection(RawTlsConnection&&) noexcept;
  RawTlsConnection& operator=(RawTlsConnection&&) noexcept;
  ~RawTlsConnection();

  // The version agreed ("TLSv1.2", "TLSv1.3").
  std::string version() const;
  Status Write(const std::string& data);
  // Reads until `marker` has arrived or the server closes; what came.
  std::string ReadUntil(const std::string& marker);
  // Sends close_notify and closes the socket.
  void Close();

 private:
  RawTlsConnection() = default;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
};

}  // namespace hai::http::testing
