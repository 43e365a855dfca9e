#pragma once

#include <string>

#include "lib/base/status.h"

// OpenSSL's context type, without its headers (the same typedef as OpenSSL's).
typedef struct ssl_ctx_st SSL_CTX;

namespace hai::http {

// What every HAI server and client agrees on for TLS, in one place: TLS 1.2
// or later (1.0 and 1.1 are refused), forward-secret AEAD ciphers for TLS 1.2
// (TLS 1.3's own suites all are), no compression, no renegotiation.

// Loads the certificate chain (PEM, leaf first) and its private key into a
// server's `ctx` and applies the settings above. Errors name the file.
Status ConfigureServerTls(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file);

// ConfigureServerTls on a scratch context: a daemon checks its certificate
// and key before it changes anything, rather than when it starts serving.
Status CheckServerTlsFiles(const std::string& cert_file, const std::string& key_file);

// The same protocol floor for a client's `ctx`.
void ConfigureClientTls(SSL_CTX* ctx);

// The configuration rule for a server's `<section>.tls_cert_file` and
// `tls_key_file`: both or neither. The error names `source` and the missing key.
Status CheckTlsKeys(const std::string& source, const std::string& section,
                    const std::string& cert_file, const std::string& key_file);

// OK when `ca_file` is a readable PEM file with at least one certificate, so a
// daemon finds a bad [cluster] ca_file at start rather than at its first call.
Status CheckCaFile(const std::string& ca_file);

// The oldest error OpenSSL queued (the cause; later ones add context),
// emptying the queue for the next call.
std::string OpensslReason();

// Why a server's certificate was not accepted, from OpenSSL's verify result
// (X509_V_OK: the chain was fine, so the certificate does not name `host`).
std::string CertificateRejection(long verify_result, const std::string& host);

// Ignores SIGPIPE for the whole process. OpenSSL writes to a socket with
// write(2), without MSG_NOSIGNAL, so a peer that hangs up during a TLS write
// would otherwise kill the daemon instead of failing that write.
void IgnoreBrokenPipes();

}  // namespace hai::http
