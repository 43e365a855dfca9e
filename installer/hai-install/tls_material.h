#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::install {

// What hai-install needs to know of a certificate.
struct CertificateInfo {
  std::string subject;
  std::vector<std::string> names;  // subjectAltName DNS names and IP addresses, as text
  time_t not_before = 0;
  time_t not_after = 0;
};

struct KeyAndCertificate {
  std::string key_pem;  // PKCS#8
  std::string cert_pem;
};

// Reads the first certificate of a PEM text.
Result<CertificateInfo> InspectCertificate(const std::string& cert_pem);
// OK when the private key (PEM) is the certificate's.
Status CheckKeyMatches(const std::string& cert_pem, const std::string& key_pem);
// OK when `cert_pem` verifies against the CA certificate(s) in `ca_pem` for a
// TLS server at `host` (an address or a DNS name), at the current time.
Status VerifyServerCertificate(const std::string& cert_pem, const std::string& ca_pem,
                               const std::string& host);
// A new EC P-256 key and a self-signed certificate for it, valid `days`
// from now, naming `names` (DNS names and IP addresses) as subjectAltName.
// It is its own CA (basicConstraints CA:TRUE), so clients trust it as ca.crt.
Result<KeyAndCertificate> MakeSelfSigned(const std::string& common_name,
                                         const std::vector<std::string>& names, int days);

// The first PEM certificate block of a text (a chain's leaf).
std::string FirstCertificateBlock(const std::string& pem);

}  // namespace hai::install
