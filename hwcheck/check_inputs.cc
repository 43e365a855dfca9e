#include "hwcheck/check_inputs.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "lib/base/percent_encoding.h"

namespace hai::hwcheck {
namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) out.push_back(part);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

bool IsIpv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

Status PeerError(const std::string& flag, const std::string& value, const std::string& what) {
  return Status::InvalidArgument(flag + " " + value + ": " + what, flag);
}

Result<Peer> ParsePeer(const std::string& text) {
  const std::string flag = "--peer";
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return PeerError(flag, text, "expected NAME=HOST[:PORT]");
  Peer peer;
  peer.name = text.substr(0, eq);
  std::string rest = text.substr(eq + 1);
  std::string port_text;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string::npos) return PeerError(flag, text, "unclosed '[' in the address");
    peer.address = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return PeerError(flag, text, "expected ':' after ']'");
      port_text = rest.substr(close + 2);
    }
  } else {
    const size_t colon = rest.find(':');
    peer.address = rest.substr(0, colon);
    if (colon != std::string::npos) port_text = rest.substr(colon + 1);
  }
  if (peer.address.empty()) return PeerError(flag, text, "no host");
  peer.port = kDefaultServePort;
  if (!port_text.empty() || rest.find(':') != std::string::npos) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return PeerError(flag, text, "port \"" + port_text + "\" is not 1-65535");
    peer.port = port;
  }
  return peer;
}

}  // namespace

Result<std::vector<Peer>> ParsePeers(const std::vector<std::string>& peers,
                                     const std::vector<std::string>& npu_ips) {
  std::vector<Peer> out;
  std::map<std::string, size_t> index;
  for (const std::string& text : peers) {
    HAI_ASSIGN_OR_RETURN(Peer peer, ParsePeer(text));
    if (!index.emplace(peer.name, out.size()).second)
      return PeerError("--peer", text, "peer \"" + peer.name + "\" given twice");
    out.push_back(std::move(peer));
  }
  for (const std::string& text : npu_ips) {
    const std::string flag = "--peer-npu-ips";
    const size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
      return PeerError(flag, text, "expected NAME=ip0,ip1,...");
    auto it = index.find(text.substr(0, eq));
    if (it == index.end())
      return PeerError(flag, text, "no --peer named \"" + text.substr(0, eq) + "\"");
    Peer& peer = out[it->second];
    if (!peer.npu_addresses.empty())
      return PeerError(flag, text, "addresses of \"" + peer.name + "\" given twice");
    for (const std::string& ip : Split(text.substr(eq + 1), ',')) {
      if (!IsIpv4(ip)) return PeerError(flag, text, "\"" + ip + "\" is not an IPv4 address");
      peer.npu_addresses.push_back(ip);
    }
  }
  return out;
}

Result<std::string> BmcUrlWithPasswordFile(const std::string& url, const std::string& file) {
  if (file.empty()) return url;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Status::InvalidArgument("--bmc-password-file " + file + ": cannot read it",
                                   "--bmc-password-file");
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty())
    return Status::InvalidArgument("--bmc-password-file " + file + ": empty first line",
                                   "--bmc-password-file");
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return Status::InvalidArgument("--bmc: expected SCHEME://user@host[:port]", "--bmc");
  const size_t start = scheme_end + 3;
  const size_t slash = url.find('/', start);
  const std::string authority =
      url.substr(start, slash == std::string::npos ? slash : slash - start);
  const size_t at = authority.rfind('@');
  if (at == std::string::npos)
    return Status::InvalidArgument(
        "--bmc: a user is needed with --bmc-password-file "
        "(SCHEME://user@host[:port])",
        "--bmc");
  const std::string userinfo = authority.substr(0, at);
  const std::string user = userinfo.substr(0, userinfo.find(':'));
  return url.substr(0, start) + user + ":" + PercentEncode(password) + authority.substr(at) +
         (slash == std::string::npos ? "" : url.substr(slash));
}

std::string DefaultEvidenceDir(const std::string& json, const std::string& html) {
  auto strip = [](const std::string& path, const std::string& ext) {
    if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
      return path.substr(0, path.size() - ext.size());
    return path;
  };
  if (!json.empty()) return strip(json, ".json") + ".evidence";
  if (!html.empty()) return strip(html, ".html") + ".evidence";
  return "./hai-hwcheck-evidence";
}

}  // namespace hai::hwcheck
