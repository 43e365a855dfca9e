#include "lib/http/test_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <utility>

#include "lib/http/tls.h"

namespace hai::http::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

Result<Key> NewKey(KeyType type) {
  Key key(type == KeyType::kRsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
  if (!key) return Status::Internal("cannot make a key: " + OpensslReason());
  return key;
}

Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return Status::Internal("bad extension " + value + ": " + OpensslReason());
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (added != 1) return Status::Internal("cannot add extension " + value);
  return Status::Ok();
}

// An unsigned certificate for `key` named `common_name`, issued by `issuer`
// (null: by itself); valid from an hour ago for two days.
Result<Cert> NewCert(EVP_PKEY* key, const std::string& common_name, X509* issuer, long serial) {
  Cert cert(X509_new());
  if (!cert) return Status::Internal("cannot make a certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2 * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("HAI tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer ? issuer : cert.get();
  HAI_RETURN_IF_ERROR(AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash"));
  if (issuer)
    HAI_RETURN_IF_ERROR(
        AddExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always"));
  return cert;
}

Status Sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) <= 0)
    return Status::Internal("cannot sign: " + OpensslReason());
  return Status::Ok();
}

Status WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return Status::Internal("cannot write " + path);
  if (key) ::fchmod(fileno(f), 0600);
  const bool ok = key ? PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1
                      : PEM_write_X509(f, cert) == 1;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed) return Status::Internal("cannot write " + path);
  return Status::Ok();
}

// "IP:127.0.0.1,DNS:localhost" for {"127.0.0.1", "localhost"}.
std::string AltNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    in6_addr any;
    const bool ip =
        inet_pton(AF_INET, n.c_str(), &any) == 1 || inet_pton(AF_INET6, n.c_str(), &any) == 1;
    out += (out.empty() ? "" : ",") + std::string(ip ? "IP:" : "DNS:") + n;
  }
  return out;
}

}  // namespace

struct TestCa::Pki {
  Key key;
  Cert cert;
  long serial = 1;
};

TestCa::TestCa(TestCa&&) noexcept = default;
TestCa& TestCa::operator=(TestCa&&) noexcept = default;
TestCa::~TestCa() = default;

Result<TestCa> TestCa::Create(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create " + dir + ": " + ec.message());
  TestCa ca;
  ca.dir_ = dir;
  ca.ca_file_ = dir + "/ca.crt";
  ca.pki_ = std::make_unique<Pki>();
  HAI_ASSIGN_OR_RETURN(ca.pki_->key, NewKey(KeyType::kEcdsa));
  HAI_ASSIGN_OR_RETURN(ca.pki_->cert, NewCert(ca.pki_->key.get(), "HAI test CA", nullptr, 1));
  X509* cert = ca.pki_->cert.get();
  HAI_RETURN_IF_ERROR(AddExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE"));
  HAI_RETURN_IF_ERROR(AddExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign"));
  HAI_RETURN_IF_ERROR(Sign(cert, ca.pki_->key.get()));
  HAI_RETURN_IF_ERROR(WritePem(ca.ca_file_, cert, nullptr));
  return ca;
}

Result<TestCa::Issued> TestCa::Issue(const std::string& stem, const std::vector<std::string>& names,
                                     KeyType type) {
  if (names.empty()) return Status::InvalidArgument("a certificate needs a name");
  HAI_ASSIGN_OR_RETURN(Key key, NewKey(type));
  HAI_ASSIGN_OR_RETURN(Cert cert,
                       NewCert(key.get(), names.front(), pki_->cert.get(), ++pki_->serial));
  HAI_RETURN_IF_ERROR(
      AddExtension(cert.get(), pki_->cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  HAI_RETURN_IF_ERROR(AddExtension(cert.get(), pki_->cert.get(), NID_ext_key_usage, "serverAuth"));
  HAI_RETURN_IF_ERROR(
      AddExtension(cert.get(), pki_->cert.get(), NID_subject_alt_name, AltNames(names)));
  HAI_RETURN_IF_ERROR(Sign(cert.get(), pki_->key.get()));
  Issued out{dir_ + "/" + stem + ".crt", dir_ + "/" + stem + ".key"};
  HAI_RETURN_IF_ERROR(WritePem(out.cert_file, cert.get(), nullptr));
  HAI_RETURN_IF_ERROR(WritePem(out.key_file, nullptr, key.get()));
  return out;
}

RawTlsConnection::RawTlsConnection(RawTlsConnection&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      fd_(std::exchange(other.fd_, -1)) {}

RawTlsConnection& RawTlsConnection::operator=(RawTlsConnection&& other) noexcept {
  if (this != &other) {
    Close();
    ctx_ = std::exchange(other.ctx_, nullptr);
    ssl_ = std::exchange(other.ssl_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

RawTlsConnection::~RawTlsConnection() { Close(); }

Result<RawTlsConnection> RawTlsConnection::Open(int port, int min_version, int max_version) {
  RawTlsConnection c;
  c.fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c.fd_ < 0) return Status::Internal("no socket");
  timeval timeout{10, 0};  // a handshake that hangs fails the test instead
  ::setsockopt(c.fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(c.fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(c.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    return Status::Unavailable("cannot connect to port " + std::to_string(port));
  c.ctx_ = SSL_CTX_new(TLS_client_method());
  if (!c.ctx_) return Status::Internal("no TLS context");
  SSL_CTX_set_security_level(c.ctx_, 0);
  SSL_CTX_set_cipher_list(c.ctx_, "ALL:@SECLEVEL=0");
  SSL_CTX_set_min_proto_version(c.ctx_, min_version);
  SSL_CTX_set_max_proto_version(c.ctx_, max_version);
  SSL_CTX_set_verify(c.ctx_, SSL_VERIFY_NONE, nullptr);
  c.ssl_ = SSL_new(c.ctx_);
  if (!c.ssl_) return Status::Internal("no TLS connection");
  SSL_set_fd(c.ssl_, c.fd_);
  ERR_clear_error();
  if (SSL_connect(c.ssl_) != 1)
    return Status::Unavailable("TLS handshake refused: " + OpensslReason());
  return c;
}

std::string RawTlsConnection::version() const { return ssl_ ? SSL_get_version(ssl_) : ""; }

Status RawTlsConnection::Write(const std::string& data) {
  if (!ssl_ || SSL_write(ssl_, data.data(), static_cast<int>(data.size())) <= 0)
    return Status::Unavailable("TLS write failed: " + OpensslReason());
  return Status::Ok();
}

std::string RawTlsConnection::ReadUntil(const std::string& marker) {
  std::string got;
  char buf[4096];
  while (ssl_ && got.find(marker) == std::string::npos) {
    const int n = SSL_read(ssl_, buf, sizeof(buf));
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ERR_clear_error();
  return got;
}

void RawTlsConnection::Close() {
  if (ssl_) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (ctx_) {
    SSL_CTX_free(ctx_);
    ctx_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  ERR_clear_error();
}

}  // namespace hai::http::testing
