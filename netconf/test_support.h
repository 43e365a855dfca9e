#pragma once

// Test-only helpers for netconf_test: fixture paths, a temporary directory
// and a HostNetwork double that keeps links in memory.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "lib/accel/fake_command_runner.h"
#include "netconf/fabric_plan.h"
#include "netconf/host_network.h"
#include "lib/base/test_temp_dir.h"

namespace hai::netconf::testing {

inline std::string Testdata(const std::string& name) {
  return std::string(HAI_NETCONF_TESTDATA) + "/" + name;
}
inline std::string FabricProfile(const std::string& name) {
  return std::string(HAI_FABRIC_PROFILES) + "/" + name;
}
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
inline std::string Fixture(const std::string& name) {
  return accel::StripFixtureHeader(ReadAll(Testdata(name)));
}
inline void WriteAll(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}
inline FabricPlan LoadProfile(const std::string& name) {
  auto plan = LoadFabricPlan(FabricProfile(name));
  if (!plan.ok()) throw std::runtime_error(plan.status().message());
  return *plan;
}

// A directory removed with everything in it when the test ends.
using TempDir = ::hai::test::TempDir;

// Links kept in memory; a link in `no_dcb` answers DCB as a veth does.
class FakeHostNetwork final : public HostNetwork {
 public:
  void AddLink(const std::string& name, int mtu = 1500, bool up = false) {
    LinkState s;
    s.name = name;
    s.exists = true;
    s.mtu = mtu;
    s.up = up;
    links_[name] = s;
  }
  std::map<std::string, LinkState> links_;
  std::map<std::string, DcbConfig> dcb_;
  std::set<std::string> no_dcb;
  std::vector<std::string> calls;

  Result<LinkState> GetLink(const std::string& name) override {
    auto it = links_.find(name);
    if (it == links_.end()) return LinkState{name};
    return it->second;
  }
  Status SetLinkUp(const std::string& name, bool up) override {
    calls.push_back("up " + name);
    return Mutate(name, [&](LinkState& s) { s.up = up; });
  }
  Status SetMtu(const std::string& name, int mtu) override {
    calls.push_back("mtu " + name + " " + std::to_string(mtu));
    return Mutate(name, [&](LinkState& s) { s.mtu = mtu; });
  }
  Status AddAddress(const std::string& name, const std::string& cidr) override {
    calls.push_back("addr " + name + " " + cidr);
    return Mutate(name, [&](LinkState& s) {
      if (std::find(s.addresses.begin(), s.addresses.end(), cidr) == s.addresses.end())
        s.addresses.push_back(cidr);
      std::sort(s.addresses.begin(), s.addresses.end());
    });
  }
  Status RemoveAddress(const std::string& name, const std::string& cidr) override {
    return Mutate(name, [&](LinkState& s) { std::erase(s.addresses, cidr); });
  }
  Status ReplaceRoute(const std::string& name, const RouteSpec& route) override {
    calls.push_back("route " + name + " " + route.destination);
    return Mutate(name, [&](LinkState& s) {
      std::erase_if(s.routes, [&](const RouteSpec& r) { return r.destination == route.destination; });
      s.routes.push_back(route);
    });
  }
  Result<DcbConfig> GetDcb(const std::string& name) override {
    if (no_dcb.contains(name))
      return Status::FailedPrecondition("DCB on " + name + ": not supported by this device");
    return dcb_[name];
  }
  Status SetDcb(const std::string& name, const DcbConfig& config) override {
    calls.push_back("dcb " + name);
    if (no_dcb.contains(name))
      return Status::FailedPrecondition("DCB on " + name + ": not supported by this device");
    dcb_[name] = config;
    return Status::Ok();
  }
  Result<PfcCounters> GetPfcCounters(const std::string&) override { return PfcCounters{}; }

 private:
  template <typename F>
  Status Mutate(const std::string& name, F f) {
    auto it = links_.find(name);
    if (it == links_.end()) return Status::NotFound("no link " + name);
    f(it->second);
    return Status::Ok();
  }
};

}  // namespace hai::netconf::testing
