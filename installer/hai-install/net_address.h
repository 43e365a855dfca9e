#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::install {

// Plain IPv4 or IPv6 address text ("10.0.0.1", "fd00::1"); no names, no ports.
bool IsIpAddress(const std::string& text);
bool IsIpv6(const std::string& text);
// "10.0.0.0/24", "fd00::/64" or a bare address (one host). The message says
// what is wrong, without the key (the caller names it).
Status CheckCidr(const std::string& text);
// The host part of a URL: IPv6 addresses go in brackets.
std::string UrlHost(const std::string& address);

}  // namespace hai::install
