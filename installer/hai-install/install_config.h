#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/config/config_file.h"

namespace hai::install {

enum class Role { kControl, kWorker };
enum class TlsMode { kSelfSigned, kProvided, kOff };

std::string RoleName(Role role);
std::string TlsModeName(TlsMode mode);

// The install config (/etc/hai/install.toml by convention): what this node
// is and how the cluster looks. Every key but node.name and node.role has a
// default (docs/hai-install.md); defaults that depend on others are resolved
// by ReadInstallConfig, so the struct holds the values hai-install uses.
struct InstallConfig {
  std::string source;  // the file, for messages

  // [node]
  std::string name;
  Role role = Role::kWorker;
  std::string address;  // default: this host's first global IPv4

  // [cluster]
  std::string control_address;         // control: address; worker: addresses[0]
  std::vector<std::string> addresses;  // every node's; default [address]
  std::string vip;                     // "" = none
  std::string token_file;              // where the token comes from; "" on control = make one
  std::string data_dir = "/var/lib/hai";

  // [ntp]
  // Upstream servers. A worker always follows the control node as well
  // (the contract's default [control_address]); control serves its own clock.
  std::vector<std::string> ntp_servers;

  // [tuning]
  std::string tuning_profile = "ascend-inference";
  std::string isolcpus;
  std::string nohz_full;

  // [tls]
  TlsMode tls_mode = TlsMode::kSelfSigned;
  std::string tls_cert_file;  // provided (and a worker's self-signed copy)
  std::string tls_key_file;
  std::string tls_ca_file;  // provided: the CA that signed it ("" = the system's store)
  std::vector<std::string> tls_extra_names;  // more SANs: DNS names or addresses
  int tls_validity_days = 3650;

  // [firewall]
  bool firewall_enabled = true;
  std::vector<std::string> admin_from;  // CIDRs for portal, gateway, ssh; [] = anywhere
  int ssh_port = 22;

  // [agent]
  std::string agent_profile;  // "" = real hardware; a profiles/nodes name or a path
  std::vector<std::string> agent_labels;
  // Accelerator drivers' groups `hai` joins where they exist (device nodes).
  std::vector<std::string> agent_device_groups = {"HwHiAiUser"};

  // [log]
  std::string log_level = "info";

  bool control() const { return role == Role::kControl; }
  // The address programs use for the gateway: the VIP when there is one.
  const std::string& GatewayAddress() const { return vip.empty() ? control_address : vip; }
  std::string TokenPath() const { return data_dir + "/cluster-token"; }
};

// Parses and checks the install config; `host_address` is the default of
// node.address. Errors read "FILE: key.path: problem" with the key as field.
Result<InstallConfig> ReadInstallConfig(const config::File& file, const std::string& host_address);

// "FILE: key: problem" as an InvalidArgument naming the key.
Status ConfigError(const std::string& source, const std::string& key, const std::string& problem);

}  // namespace hai::install
