#include "installer/hai-install/hai_toml.h"

#include "installer/hai-install/net_address.h"
#include "installer/hai-install/settings.h"

namespace hai::install {
namespace {

std::string Url(const std::string& scheme, const std::string& host, int port) {
  return scheme + "://" + UrlHost(host) + ":" + std::to_string(port);
}

}  // namespace

std::string TomlString(const std::string& value) {
  std::string out = "\"";
  for (char ch : value) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string RenderHaiToml(const PlanInput& in, const HaiTomlInputs& extra) {
  const InstallConfig& c = in.config;
  const bool tls = c.tls_mode != TlsMode::kOff;
  const std::string https = tls ? "https" : "http";
  auto kv = [](const std::string& key, const std::string& value) {
    return key + " = " + TomlString(value) + "\n";
  };
  std::string t = GeneratedHeader(in);
  t += "\n[cluster]\n";
  t += kv("token_file", c.TokenPath());
  t += kv("portal_url", Url(https, c.control_address, 8080));
  t += kv("scheduler_url", Url("http", c.control_address, 7001));
  if (tls) t += kv("ca_file", extra.has_ca ? kTlsCa : "");

  t += "\n[log]\n" + kv("level", c.log_level);

  if (c.control()) {
    t += "\n[portal]\n";
    t += kv("data_dir", c.data_dir);
    t += kv("listen", "0.0.0.0");
    t += "port = 8080\n";
    t += kv("gateway_url", Url(https, c.GatewayAddress(), 8000));
    if (tls) {
      t += "secure_cookies = true\n";
      t += kv("tls_cert_file", kTlsCert);
      t += kv("tls_key_file", kTlsKey);
    }
    t += "\n[scheduler]\n";
    t += kv("data_dir", c.data_dir);
    t += kv("listen", "0.0.0.0");
    t += "port = 7001\n";
  }

  t += "\n[agent]\n";
  t += kv("node_name", c.name);
  t += kv("listen", "0.0.0.0");
  t += "port = 7002\n";
  t += kv("advertise_url", Url("http", c.address, 7002));
  t += kv("scheduler_url", Url("http", c.control_address, 7001));
  t += kv("data_dir", c.data_dir);
  if (!extra.agent_profile_path.empty()) t += kv("profile", extra.agent_profile_path);
  if (!c.agent_labels.empty()) {
    t += "labels = [";
    for (size_t i = 0; i < c.agent_labels.size(); ++i)
      t += (i ? ", " : "") + TomlString(c.agent_labels[i]);
    t += "]\n";
  }

  t += "\n[gateway]\n";
  t += kv("data_dir", c.data_dir);
  t += kv("listen", "0.0.0.0");
  t += "port = 8000\n";
  if (tls) {
    t += kv("tls_cert_file", kTlsCert);
    t += kv("tls_key_file", kTlsKey);
  }
  return t;
}

}  // namespace hai::install
