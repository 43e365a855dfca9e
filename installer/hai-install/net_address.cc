#include "installer/hai-install/net_address.h"

#include <arpa/inet.h>

namespace hai::install {

bool IsIpv6(const std::string& text) {
  in6_addr a6;
  return inet_pton(AF_INET6, text.c_str(), &a6) == 1;
}

bool IsIpAddress(const std::string& text) {
  in_addr a4;
  return inet_pton(AF_INET, text.c_str(), &a4) == 1 || IsIpv6(text);
}

Status CheckCidr(const std::string& text) {
  size_t slash = text.find('/');
  std::string address = text.substr(0, slash);
  if (!IsIpAddress(address))
    return Status::InvalidArgument("'" + text + "' is not an address or address/prefix");
  if (slash == std::string::npos) return Status::Ok();
  std::string prefix = text.substr(slash + 1);
  int max = IsIpv6(address) ? 128 : 32;
  if (prefix.empty() || prefix.size() > 3 ||
      prefix.find_first_not_of("0123456789") != std::string::npos || std::stoi(prefix) > max)
    return Status::InvalidArgument("'" + text + "': the prefix length must be 0 to " +
                                   std::to_string(max));
  return Status::Ok();
}

std::string UrlHost(const std::string& address) {
  return IsIpv6(address) ? "[" + address + "]" : address;
}

}  // namespace hai::install
