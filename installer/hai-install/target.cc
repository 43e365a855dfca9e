#include "installer/hai-install/target.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace hai::install {
namespace {

// The value of KEY= in os-release text, without quotes.
std::string OsReleaseValue(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + "=", 0) != 0) continue;
    std::string value = line.substr(key.size() + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\''))
      value = value.substr(1, value.size() - 2);
    return value;
  }
  return "";
}

bool Mentions(const std::string& words, const std::string& word) {
  std::istringstream in(words);
  for (std::string w; in >> w;)
    if (w == word) return true;
  return false;
}

}  // namespace

std::string DistroName(Distro distro) { return distro == Distro::kDebian ? "debian" : "redhat"; }

Distro DetectDistro(const std::string& root) {
  for (const char* file : {"/etc/os-release", "/usr/lib/os-release"}) {
    std::ifstream in(root + file);
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    std::string ids =
        OsReleaseValue(text.str(), "ID") + " " + OsReleaseValue(text.str(), "ID_LIKE");
    if (Mentions(ids, "debian") || Mentions(ids, "ubuntu")) return Distro::kDebian;
    for (const char* id : {"openEuler", "openeuler", "kylin", "rhel", "fedora", "centos"})
      if (Mentions(ids, id)) return Distro::kRedHat;
  }
  if (access((root + "/etc/chrony").c_str(), F_OK) == 0) return Distro::kDebian;
  if (access((root + "/etc/chrony.conf").c_str(), F_OK) == 0) return Distro::kRedHat;
  return Distro::kDebian;
}

DistroPaths PathsFor(Distro distro) {
  if (distro == Distro::kDebian)
    return {"/etc/chrony/chrony.conf", "/etc/chrony/conf.d",      "chrony.service",
            "/etc/nftables.conf",      "/etc/nftables.d/hai.nft", "/etc/nftables.d/*.nft"};
  return {"/etc/chrony.conf",      "/etc/chrony.d",
          "chronyd.service",       "/etc/sysconfig/nftables.conf",
          "/etc/nftables/hai.nft", "/etc/nftables/hai.nft"};
}

}  // namespace hai::install
