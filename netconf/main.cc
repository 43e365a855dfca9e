// hai-netconf: renders, applies, verifies and persists the fabric's RoCEv2
// lossless QoS plan on this node (docs/netconf.md).
#include <unistd.h>

#include <array>
#include <iostream>
#include <memory>

#include "lib/accel/command_runner.h"
#include "netconf/cli.h"
#include "netconf/netlink/netlink_host_network.h"

int main(int argc, char** argv) {
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  hai::accel::SubprocessRunner runner;
  hai::netconf::CliDeps deps;
  deps.runner = &runner;
  // Why netlink could not be opened goes to stderr; the report then says the
  // host NICs were not touched.
  deps.make_host_network = []() -> std::unique_ptr<hai::netconf::HostNetwork> {
    auto network = hai::netconf::MakeNetlinkHostNetworkOr();
    if (network.ok()) return std::move(*network);
    std::cerr << "hai-netconf: netlink: " << network.status().message() << "\n";
    return nullptr;
  };
  deps.hostname = host.data();
  return hai::netconf::RunNetconf({argv + 1, argv + argc}, deps, std::cout, std::cerr);
}
