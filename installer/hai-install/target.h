#pragma once

#include <string>

namespace hai::install {

// The two families the appliance installs on; they differ in where chrony
// and nftables keep their configuration and how kernel arguments are set.
enum class Distro {
  kDebian,  // Debian, Ubuntu (the cluster harness)
  kRedHat,  // openEuler, Kylin, and other RHEL-like systems
};

std::string DistroName(Distro distro);

// From ROOT/etc/os-release (ID, ID_LIKE); without one, from which of
// /etc/chrony/ (Debian) and /etc/chrony.conf (RHEL-like) exists.
Distro DetectDistro(const std::string& root);

// Where the distro keeps what hai-install touches.
struct DistroPaths {
  std::string chrony_main;       // the distro's own chrony.conf
  std::string chrony_dir;        // the directory it includes
  std::string chrony_unit;       // its service
  std::string nft_main;          // what nftables.service loads at boot
  std::string nft_file;          // our table
  std::string nft_include_glob;  // what nft_main includes to load it
};

DistroPaths PathsFor(Distro distro);

}  // namespace hai::install
