#include "installer/hai-install/install_config.h"

#include <algorithm>

#include "installer/hai-install/cpu_list.h"
#include "installer/hai-install/net_address.h"
#include "lib/cluster/wire.h"

namespace hai::install {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// A host name or an address as chrony takes it: no spaces, no quotes.
bool IsHostName(const std::string& s) {
  return !s.empty() && s.size() <= 253 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") ==
             std::string::npos;
}

// A name useradd/groupadd accept (no ':' or ',' that would break /etc/group).
bool IsGroupName(const std::string& s) {
  return !s.empty() && s.size() <= 32 && s[0] != '-' &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
             std::string::npos;
}

Status ReadNode(const config::File& file, const std::string& host_address, InstallConfig* c) {
  config::Section s = file.Get("node");
  std::string role;
  s.Read("name", &c->name);
  s.Read("role", &role);
  s.Read("address", &c->address);
  HAI_RETURN_IF_ERROR(s.Finish());
  if (c->name.empty()) return ConfigError(c->source, "node.name", "required (this node's name)");
  if (Status st = cluster::CheckNodeName(c->name); !st.ok())
    return ConfigError(c->source, "node.name", st.message());
  if (role == "control") {
    c->role = Role::kControl;
  } else if (role == "worker") {
    c->role = Role::kWorker;
  } else {
    return ConfigError(c->source, "node.role",
                       role.empty() ? "required: \"control\" or \"worker\""
                                    : "expected \"control\" or \"worker\", got \"" + role + "\"");
  }
  if (c->address.empty()) c->address = host_address;
  if (c->address.empty())
    return ConfigError(c->source, "node.address",
                       "this host has no IPv4 address to default to; set it");
  if (!IsIpAddress(c->address))
    return ConfigError(c->source, "node.address", "'" + c->address + "' is not an IP address");
  return Status::Ok();
}

Status ReadCluster(const config::File& file, InstallConfig* c) {
  config::Section s = file.Get("cluster");
  s.Read("control_address", &c->control_address);
  s.Read("addresses", &c->addresses);
  s.Read("vip", &c->vip);
  s.Read("token_file", &c->token_file);
  s.Read("data_dir", &c->data_dir);
  HAI_RETURN_IF_ERROR(s.Finish());
  if (c->addresses.empty()) c->addresses = {c->address};
  for (const std::string& a : c->addresses)
    if (!IsIpAddress(a))
      return ConfigError(c->source, "cluster.addresses", "'" + a + "' is not an IP address");
  if (!Contains(c->addresses, c->address))
    return ConfigError(c->source, "cluster.addresses",
                       "must list this node's address " + c->address);
  if (c->control_address.empty())
    c->control_address = c->control() ? c->address : c->addresses.front();
  if (!IsIpAddress(c->control_address))
    return ConfigError(c->source, "cluster.control_address",
                       "'" + c->control_address + "' is not an IP address");
  if (!c->control() && c->control_address == c->address)
    return ConfigError(c->source, "cluster.control_address",
                       "a worker needs the control node's address (set it, or list the control "
                       "node first in cluster.addresses)");
  if (!Contains(c->addresses, c->control_address))
    return ConfigError(c->source, "cluster.addresses",
                       "must list the control address " + c->control_address);
  if (!c->vip.empty() && !IsIpAddress(c->vip))
    return ConfigError(c->source, "cluster.vip", "'" + c->vip + "' is not an IP address");
  if (!c->control() && c->token_file.empty())
    return ConfigError(c->source, "cluster.token_file",
                       "a worker needs the cluster token: copy /var/lib/hai/cluster-token from the "
                       "control node and name the copy here");
  if (!c->token_file.empty() && c->token_file.front() != '/')
    return ConfigError(c->source, "cluster.token_file", "must be an absolute path");
  if (c->data_dir.empty() || c->data_dir.front() != '/')
    return ConfigError(c->source, "cluster.data_dir", "must be an absolute path");
  while (c->data_dir.size() > 1 && c->data_dir.back() == '/') c->data_dir.pop_back();
  return Status::Ok();
}

Status ReadNtp(const config::File& file, InstallConfig* c) {
  config::Section s = file.Get("ntp");
  s.Read("servers", &c->ntp_servers);
  HAI_RETURN_IF_ERROR(s.Finish());
  for (const std::string& server : c->ntp_servers)
    if (!IsHostName(server))
      return ConfigError(c->source, "ntp.servers",
                         "'" + server + "' is not a host name or address");
  return Status::Ok();
}

Status ReadTuning(const config::File& file, InstallConfig* c) {
  config::Section s = file.Get("tuning");
  s.Read("profile", &c->tuning_profile);
  s.Read("isolcpus", &c->isolcpus);
  s.Read("nohz_full", &c->nohz_full);
  HAI_RETURN_IF_ERROR(s.Finish());
  if (c->tuning_profile.empty() || c->tuning_profile.find_first_of("/. ") != std::string::npos)
    return ConfigError(c->source, "tuning.profile",
                       "expected a profile name (a file in profiles/tuning without .toml)");
  if (!c->isolcpus.empty())
    if (Status st = CheckCpuList(c->isolcpus, true); !st.ok())
      return ConfigError(c->source, "tuning.isolcpus", st.message());
  if (!c->nohz_full.empty())
    if (Status st = CheckCpuList(c->nohz_full, false); !st.ok())
      return ConfigError(c->source, "tuning.nohz_full", st.message());
  return Status::Ok();
}

Status ReadTls(const config::File& file, InstallConfig* c) {
  config::Section s = file.Get("tls");
  std::string mode = "self-signed";
  s.Read("mode", &mode);
  s.Read("cert_file", &c->tls_cert_file);
  s.Read("key_file", &c->tls_key_file);
  s.Read("ca_file", &c->tls_ca_file);
  s.Read("extra_names", &c->tls_extra_names);
  s.Read("validity_days", &c->tls_validity_days, 31, 36500);
  HAI_RETURN_IF_ERROR(s.Finish());
  if (mode == "self-signed") {
    c->tls_mode = TlsMode::kSelfSigned;
  } else if (mode == "provided") {
    c->tls_mode = TlsMode::kProvided;
  } else if (mode == "off") {
    c->tls_mode = TlsMode::kOff;
  } else {
    return ConfigError(c->source, "tls.mode",
                       "expected \"self-signed\", \"provided\" or \"off\", got \"" + mode + "\"");
  }
  // A worker serves the cluster's one certificate, made on the control node.
  bool needs_files =
      c->tls_mode == TlsMode::kProvided || (c->tls_mode == TlsMode::kSelfSigned && !c->control());
  if (needs_files) {
    std::string why = c->tls_mode == TlsMode::kProvided
                          ? "required with mode \"provided\""
                          : "a worker uses the control node's certificate: copy "
                            "/etc/hai/tls/hai.crt and hai.key from it and name the copies";
    if (c->tls_cert_file.empty()) return ConfigError(c->source, "tls.cert_file", why);
    if (c->tls_key_file.empty()) return ConfigError(c->source, "tls.key_file", why);
  }
  for (const char* key : {"cert_file", "key_file", "ca_file"}) {
    const std::string& path = key == std::string("cert_file")  ? c->tls_cert_file
                              : key == std::string("key_file") ? c->tls_key_file
                                                               : c->tls_ca_file;
    if (!path.empty() && path.front() != '/')
      return ConfigError(c->source, std::string("tls.") + key, "must be an absolute path");
  }
  for (const std::string& name : c->tls_extra_names)
    if (!IsHostName(name))
      return ConfigError(c->source, "tls.extra_names",
                         "'" + name + "' is not a DNS name or address");
  return Status::Ok();
}

Status ReadFirewall(const config::File& file, InstallConfig* c) {
  config::Section s = file.Get("firewall");
  s.Read("enabled", &c->firewall_enabled);
  s.Read("admin_from", &c->admin_from);
  s.Read("ssh_port", &c->ssh_port, 1, 65535);
  HAI_RETURN_IF_ERROR(s.Finish());
  for (const std::string& cidr : c->admin_from)
    if (Status st = CheckCidr(cidr); !st.ok())
      return ConfigError(c->source, "firewall.admin_from", st.message());
  return Status::Ok();
}

Status ReadAgentAndLog(const config::File& file, InstallConfig* c) {
  config::Section agent = file.Get("agent");
  agent.Read("profile", &c->agent_profile);
  agent.Read("labels", &c->agent_labels);
  agent.Read("device_groups", &c->agent_device_groups);
  HAI_RETURN_IF_ERROR(agent.Finish());
  for (const std::string& group : c->agent_device_groups)
    if (!IsGroupName(group))
      return ConfigError(c->source, "agent.device_groups",
                         "'" + group + "' is not a group name (letters, digits, _ . -)");
  for (const std::string& label : c->agent_labels) {
    size_t eq = label.find('=');
    if (eq == std::string::npos || eq == 0 || label.find('"') != std::string::npos)
      return ConfigError(c->source, "agent.labels", "'" + label + "' is not key=value");
  }
  if (c->agent_profile.find('"') != std::string::npos)
    return ConfigError(c->source, "agent.profile", "must not contain quotes");
  config::Section log = file.Get("log");
  log.Read("level", &c->log_level);
  HAI_RETURN_IF_ERROR(log.Finish());
  static const std::vector<std::string> kLevels = {"debug", "info", "warning", "error"};
  if (!Contains(kLevels, c->log_level))
    return ConfigError(c->source, "log.level", "expected debug, info, warning or error");
  return Status::Ok();
}

}  // namespace

std::string RoleName(Role role) { return role == Role::kControl ? "control" : "worker"; }

std::string TlsModeName(TlsMode mode) {
  switch (mode) {
    case TlsMode::kSelfSigned:
      return "self-signed";
    case TlsMode::kProvided:
      return "provided";
    case TlsMode::kOff:
      return "off";
  }
  return "off";
}

Status ConfigError(const std::string& source, const std::string& key, const std::string& problem) {
  return Status::InvalidArgument(source + ": " + key + ": " + problem, key);
}

Result<InstallConfig> ReadInstallConfig(const config::File& file, const std::string& host_address) {
  InstallConfig c;
  c.source = file.source();
  HAI_RETURN_IF_ERROR(
      file.CheckSections({"node", "cluster", "ntp", "tuning", "tls", "firewall", "agent", "log"}));
  HAI_RETURN_IF_ERROR(ReadNode(file, host_address, &c));
  HAI_RETURN_IF_ERROR(ReadCluster(file, &c));
  HAI_RETURN_IF_ERROR(ReadNtp(file, &c));
  HAI_RETURN_IF_ERROR(ReadTuning(file, &c));
  HAI_RETURN_IF_ERROR(ReadTls(file, &c));
  HAI_RETURN_IF_ERROR(ReadFirewall(file, &c));
  HAI_RETURN_IF_ERROR(ReadAgentAndLog(file, &c));
  return c;
}

}  // namespace hai::install
