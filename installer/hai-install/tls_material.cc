#include "installer/hai-install/tls_material.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "installer/hai-install/net_address.h"

namespace hai::install {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
void FreeBio(BIO* b) { BIO_free(b); }
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, FreeBio>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;

// The last OpenSSL error as text, clearing the queue.
std::string SslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

Result<X509Ptr> ReadCertificate(const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return Status::InvalidArgument("not a PEM certificate: " + SslError());
  return cert;
}

Result<KeyPtr> ReadKey(const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  // An empty passphrase callback: encrypted keys fail instead of prompting.
  KeyPtr key(PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) return Status::InvalidArgument("not an unencrypted PEM private key: " + SslError());
  return key;
}

time_t ToTime(const ASN1_TIME* t) {
  tm parts{};
  if (!t || ASN1_TIME_to_tm(t, &parts) != 1) return 0;
  return timegm(&parts);
}

Status AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return Status::Internal("certificate extension '" + value + "': " + SslError());
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok == 1 ? Status::Ok() : Status::Internal("X509_add_ext: " + SslError());
}

std::string SubjectAltNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ",") + std::string(IsIpAddress(n) ? "IP:" : "DNS:") + n;
  return out;
}

}  // namespace

std::string FirstCertificateBlock(const std::string& pem) {
  const std::string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
  size_t b = pem.find(begin);
  size_t e = b == std::string::npos ? b : pem.find(end, b);
  if (e == std::string::npos) return "";
  return pem.substr(b, e + end.size() - b) + "\n";
}

Result<CertificateInfo> InspectCertificate(const std::string& cert_pem) {
  HAI_ASSIGN_OR_RETURN(X509Ptr cert, ReadCertificate(cert_pem));
  CertificateInfo info;
  char subject[512];
  X509_NAME_oneline(X509_get_subject_name(cert.get()), subject, sizeof(subject));
  info.subject = subject;
  info.not_before = ToTime(X509_get0_notBefore(cert.get()));
  info.not_after = ToTime(X509_get0_notAfter(cert.get()));
  NamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* s = name->d.dNSName;
      info.names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                              static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {};
      int family = ASN1_STRING_length(ip) == 4 ? AF_INET : AF_INET6;
      if (inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof(text)))
        info.names.emplace_back(text);
    }
  }
  return info;
}

Status CheckKeyMatches(const std::string& cert_pem, const std::string& key_pem) {
  HAI_ASSIGN_OR_RETURN(X509Ptr cert, ReadCertificate(cert_pem));
  HAI_ASSIGN_OR_RETURN(KeyPtr key, ReadKey(key_pem));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("the private key is not the certificate's");
  }
  return Status::Ok();
}

Status VerifyServerCertificate(const std::string& cert_pem, const std::string& ca_pem,
                               const std::string& host) {
  HAI_ASSIGN_OR_RETURN(X509Ptr cert, ReadCertificate(cert_pem));
  StorePtr store(X509_STORE_new());
  BioPtr bio = MemoryBio(ca_pem);
  int added = 0;
  while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    added += X509_STORE_add_cert(store.get(), ca);
    X509_free(ca);
  }
  ERR_clear_error();
  if (added == 0) return Status::InvalidArgument("the CA file holds no certificate");
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (IsIpAddress(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  }
  if (X509_verify_cert(ctx.get()) != 1)
    return Status::InvalidArgument(
        X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  return Status::Ok();
}

Result<KeyAndCertificate> MakeSelfSigned(const std::string& common_name,
                                         const std::vector<std::string>& names, int days) {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Status::Internal("EC P-256 key: " + SslError());
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return Status::Internal("RAND_bytes: " + SslError());
  serial[0] &= 0x7f;  // a positive INTEGER
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  // An hour back: a node whose clock is a little behind still accepts it.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("HAI appliance"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), subject);
  X509_set_pubkey(cert.get(), key.get());
  HAI_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  HAI_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign"));
  HAI_RETURN_IF_ERROR(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth"));
  HAI_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));
  if (!names.empty())
    HAI_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_alt_name, SubjectAltNames(names)));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return Status::Internal("signing the certificate: " + SslError());

  KeyAndCertificate out;
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
      1)
    return Status::Internal("writing the key: " + SslError());
  out.key_pem = BioText(key_bio.get());
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1)
    return Status::Internal("writing the certificate: " + SslError());
  out.cert_pem = BioText(cert_bio.get());
  return out;
}

}  // namespace hai::install
