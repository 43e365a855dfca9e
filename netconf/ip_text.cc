#include "netconf/ip_text.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>

namespace hai::netconf {
namespace {

bool Parse4(const std::string& s, in_addr* out) { return inet_pton(AF_INET, s.c_str(), out) == 1; }
bool Parse6(const std::string& s, in6_addr* out) {
  return inet_pton(AF_INET6, s.c_str(), out) == 1;
}

uint32_t Mask(int prefix) { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }

}  // namespace

std::string CanonicalAddress(std::string_view text, bool* ipv6) {
  std::string s(text);
  std::array<char, INET6_ADDRSTRLEN> buf{};
  in_addr a4{};
  in6_addr a6{};
  if (Parse4(s, &a4)) {
    if (ipv6) *ipv6 = false;
    return inet_ntop(AF_INET, &a4, buf.data(), buf.size());
  }
  if (Parse6(s, &a6)) {
    if (ipv6) *ipv6 = true;
    return inet_ntop(AF_INET6, &a6, buf.data(), buf.size());
  }
  return "";
}

Result<Cidr> ParseCidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    return Status::InvalidArgument("'" + std::string(text) + "' is not a CIDR (address/prefix)");
  Cidr cidr;
  cidr.address = CanonicalAddress(text.substr(0, slash), &cidr.ipv6);
  std::string_view p = text.substr(slash + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), cidr.prefix);
  int max = cidr.ipv6 ? 128 : 32;
  if (cidr.address.empty() || p.empty() || ec != std::errc() || end != p.data() + p.size() ||
      cidr.prefix < 0 || cidr.prefix > max)
    return Status::InvalidArgument("'" + std::string(text) + "' is not a CIDR (address/prefix)");
  return cidr;
}

std::string Ipv4Netmask(int prefix) {
  in_addr a{htonl(Mask(prefix))};
  std::array<char, INET_ADDRSTRLEN> buf{};
  return inet_ntop(AF_INET, &a, buf.data(), buf.size());
}

bool SameIpv4Network(const Cidr& cidr, const std::string& address) {
  in_addr a{}, b{};
  if (cidr.ipv6 || !Parse4(cidr.address, &a) || !Parse4(address, &b)) return false;
  uint32_t m = Mask(cidr.prefix);
  return (ntohl(a.s_addr) & m) == (ntohl(b.s_addr) & m);
}

std::string CanonicalDestination(std::string_view text) {
  if (text == "default") return "default";
  auto cidr = ParseCidr(text);
  if (!cidr.ok()) return "";
  if (cidr->prefix == 0) return "default";
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (cidr->ipv6) {
    in6_addr a{};
    Parse6(cidr->address, &a);
    for (int bit = cidr->prefix; bit < 128; ++bit) a.s6_addr[bit / 8] &= ~(0x80 >> (bit % 8));
    return std::string(inet_ntop(AF_INET6, &a, buf.data(), buf.size())) + "/" +
           std::to_string(cidr->prefix);
  }
  in_addr a{};
  Parse4(cidr->address, &a);
  a.s_addr = htonl(ntohl(a.s_addr) & Mask(cidr->prefix));
  return std::string(inet_ntop(AF_INET, &a, buf.data(), buf.size())) + "/" +
         std::to_string(cidr->prefix);
}

}  // namespace hai::netconf
