#include "lib/http/tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

namespace hai::http {
namespace {

// TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AES-GCM or
// ChaCha20-Poly1305, for RSA and ECDSA certificates alike.
constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL";

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

// Opens `path` for reading; the error names what the file is for.
Result<File> OpenFile(const std::string& what, const std::string& path) {
  if (path.empty()) return Status::InvalidArgument(what + ": no file given");
  File f(std::fopen(path.c_str(), "r"));
  if (!f)
    return Status::FailedPrecondition(what + " " + path +
                                      ": cannot read it: " + std::strerror(errno));
  return f;
}

// The number of PEM certificates in `f` (0 when it holds none).
int CountCertificates(FILE* f) {
  int n = 0;
  while (X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr)) {
    X509_free(cert);
    ++n;
  }
  ERR_clear_error();  // the read past the last one queues "no start line"
  return n;
}

}  // namespace

Status ConfigureServerTls(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file) {
  ERR_clear_error();
  {
    HAI_ASSIGN_OR_RETURN(File cert, OpenFile("TLS certificate", cert_file));
    if (CountCertificates(cert.get()) == 0)
      return Status::FailedPrecondition("TLS certificate " + cert_file +
                                        ": holds no PEM certificate");
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1)
    return Status::FailedPrecondition("TLS certificate " + cert_file + ": " + OpensslReason());
  HAI_ASSIGN_OR_RETURN(File key_in, OpenFile("TLS key", key_file));
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      PEM_read_PrivateKey(key_in.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  if (!key)
    return Status::FailedPrecondition("TLS key " + key_file + ": holds no PEM private key (" +
                                      OpensslReason() + ")");
  // Checks the key against the certificate as well.
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return Status::FailedPrecondition("TLS key " + key_file + " does not match the certificate " +
                                      cert_file);
  }
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
    return Status::Internal("cannot set the TLS protocol and ciphers: " + OpensslReason());
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  return Status::Ok();
}

Status CheckServerTlsFiles(const std::string& cert_file, const std::string& key_file) {
  std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return Status::Internal("cannot create a TLS context: " + OpensslReason());
  return ConfigureServerTls(ctx.get(), cert_file, key_file);
}

void ConfigureClientTls(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

Status CheckTlsKeys(const std::string& source, const std::string& section,
                    const std::string& cert_file, const std::string& key_file) {
  if (cert_file.empty() == key_file.empty()) return Status::Ok();
  const std::string missing = section + (cert_file.empty() ? ".tls_cert_file" : ".tls_key_file");
  const std::string given = section + (cert_file.empty() ? ".tls_key_file" : ".tls_cert_file");
  return Status::InvalidArgument(
      source + ": " + missing + ": must be set when " + given + " is (HTTPS needs both)", missing);
}

Status CheckCaFile(const std::string& ca_file) {
  HAI_ASSIGN_OR_RETURN(File f, OpenFile("CA file", ca_file));
  if (CountCertificates(f.get()) == 0)
    return Status::FailedPrecondition("CA file " + ca_file + ": holds no PEM certificate");
  return Status::Ok();
}

std::string OpensslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

std::string CertificateRejection(long verify_result, const std::string& host) {
  if (verify_result == X509_V_OK) return "the server's certificate does not name " + host;
  return std::string("the server's certificate was not accepted: ") +
         X509_verify_cert_error_string(verify_result);
}

void IgnoreBrokenPipes() { std::signal(SIGPIPE, SIG_IGN); }

}  // namespace hai::http
