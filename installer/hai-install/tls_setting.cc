// Step "tls": /etc/hai/tls/{hai.crt,hai.key,ca.crt} for the portal's and
// gateways' HTTPS. Self-signed on the control node: one certificate for the
// whole cluster (every address, the VIP, localhost), kept while it is good
// and made again when missing, not matching its key, within 30 days of
// expiry, or lacking a name; ca.crt is the certificate itself. Workers and
// mode "provided" install the files the install config names, after
// checking them.
#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "installer/hai-install/file_state.h"
#include "installer/hai-install/settings.h"
#include "installer/hai-install/tls_material.h"
#include "installer/hai-install/tls_probe.h"

namespace hai::install {
namespace {

constexpr time_t kRenewBefore = 30 * 86400;

std::vector<std::string> WantedNames(const InstallConfig& c) {
  std::vector<std::string> names = {c.name, "localhost", "127.0.0.1"};
  for (const std::string& a : c.addresses) names.push_back(a);
  if (!c.vip.empty()) names.push_back(c.vip);
  for (const std::string& n : c.tls_extra_names) names.push_back(n);
  std::vector<std::string> unique;
  for (const std::string& n : names)
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
  return unique;
}

// Whether the self-signed pair already there can stay.
bool Keep(const std::string& cert, const std::string& key, const std::vector<std::string>& names,
          time_t now) {
  auto info = InspectCertificate(cert);
  if (!info.ok() || !CheckKeyMatches(cert, key).ok()) return false;
  if (info->not_after <= now + kRenewBefore) return false;
  for (const std::string& n : names)
    if (std::find(info->names.begin(), info->names.end(), n) == info->names.end()) return false;
  return true;
}

Result<std::string> ReadInput(const InstallConfig& c, const std::string& key,
                              const std::string& path) {
  std::ifstream in(path);
  if (!in) return ConfigError(c.source, key, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Material {
  std::string cert, key, ca;  // ca "" = none (the system's store)
};

// The files the install config names, checked: a certificate that is valid
// now, its key, and (self-signed copies) this node's address among its names.
Result<Material> ProvidedMaterial(const PlanInput& in) {
  const InstallConfig& c = in.config;
  Material m;
  HAI_ASSIGN_OR_RETURN(m.cert, ReadInput(c, "tls.cert_file", c.tls_cert_file));
  HAI_ASSIGN_OR_RETURN(m.key, ReadInput(c, "tls.key_file", c.tls_key_file));
  auto info = InspectCertificate(m.cert);
  if (!info.ok()) return ConfigError(c.source, "tls.cert_file", info.status().message());
  if (info->not_after <= in.now)
    return ConfigError(c.source, "tls.cert_file", c.tls_cert_file + " has expired");
  if (Status st = CheckKeyMatches(m.cert, m.key); !st.ok())
    return ConfigError(c.source, "tls.key_file", c.tls_key_file + ": " + st.message());
  if (c.tls_mode == TlsMode::kSelfSigned) {
    if (std::find(info->names.begin(), info->names.end(), c.address) == info->names.end())
      return ConfigError(c.source, "tls.cert_file",
                         c.tls_cert_file + " does not name this node's address " + c.address +
                             ": add it to the control node's cluster.addresses and run "
                             "hai-install there first");
    m.ca = FirstCertificateBlock(m.cert);
  } else if (!c.tls_ca_file.empty()) {
    HAI_ASSIGN_OR_RETURN(m.ca, ReadInput(c, "tls.ca_file", c.tls_ca_file));
    if (auto ca = InspectCertificate(m.ca); !ca.ok())
      return ConfigError(c.source, "tls.ca_file", ca.status().message());
  }
  return m;
}

Result<Material> SelfSignedMaterial(const PlanInput& in) {
  const InstallConfig& c = in.config;
  std::vector<std::string> names = WantedNames(c);
  auto cert = ReadFileState(in.Path(kTlsCert));
  auto key = ReadFileState(in.Path(kTlsKey));
  Material m;
  if (cert.ok() && key.ok() && Keep(cert->content, key->content, names, in.now)) {
    m.cert = cert->content;
    m.key = key->content;
  } else {
    HAI_ASSIGN_OR_RETURN(KeyAndCertificate made,
                         MakeSelfSigned("HAI cluster " + c.name, names, c.tls_validity_days));
    m.cert = made.cert_pem;
    m.key = made.key_pem;
  }
  m.ca = m.cert;
  return m;
}

}  // namespace

Result<Step> PlanTls(const PlanInput& in) {
  const InstallConfig& c = in.config;
  Step step;
  step.id = "tls";
  if (c.tls_mode == TlsMode::kOff) {
    step.description = "TLS off: the portal and gateways serve plain HTTP";
    return step;
  }
  bool make = c.tls_mode == TlsMode::kSelfSigned && c.control();
  HAI_ASSIGN_OR_RETURN(Material m, make ? SelfSignedMaterial(in) : ProvidedMaterial(in));
  step.description = make ? "TLS: the cluster's self-signed certificate (kept, or made)"
                          : "TLS: certificate from " + c.tls_cert_file;
  step.files.push_back(FileSpec::Directory("/etc/hai", 0750, "root", "hai"));
  step.files.push_back(FileSpec::Directory(kTlsDir, 0750, "root", "hai"));
  step.files.push_back(FileSpec::File(kTlsCert, m.cert, 0644));
  FileSpec key = FileSpec::File(kTlsKey, m.key, 0640, "root", "hai");
  key.secret = true;
  step.files.push_back(key);
  step.files.push_back(m.ca.empty() ? FileSpec::Absent(kTlsCa)
                                    : FileSpec::File(kTlsCa, m.ca, 0644));
  step.probes.push_back(std::make_shared<TlsProbe>(c.address));
  return step;
}

}  // namespace hai::install
