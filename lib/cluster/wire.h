#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::cluster {

// What an agent tells the scheduler when it starts (and again whenever its
// inventory changes or the scheduler no longer knows it).
struct Registration {
  std::string node;
  std::string agent_url;  // where the scheduler and portal reach the agent
  std::map<std::string, std::string> labels;
  accel::NodeInventory inventory;
  std::string agent_version;
};

// The fast-changing part of one device, sent every heartbeat.
struct Telemetry {
  int index = 0;
  int64_t memory_used_mib = -1;
  double utilization = -1;
  double temperature_c = -1;
  double power_w = -1;
  accel::Health health = accel::Health::kUnknown;
  int64_t ecc_errors = -1;
};

struct Heartbeat {
  std::string node;
  int64_t seq = 0;  // increases by one per heartbeat; a restart starts again at 1
  std::vector<Telemetry> devices;
};

// JSON wire format. Decoding is strict: a missing or mistyped field is an
// InvalidArgument naming it, so a bad agent message never reaches the registry.
nlohmann::json ToJson(const accel::Device& d);
nlohmann::json ToJson(const accel::NodeInventory& inv);
nlohmann::json ToJson(const Registration& r);
nlohmann::json ToJson(const Heartbeat& h);
Result<accel::Device> DeviceFromJson(const nlohmann::json& j);
Result<Registration> RegistrationFromJson(const nlohmann::json& j);
Result<Heartbeat> HeartbeatFromJson(const nlohmann::json& j);

// Node names are DNS-label-like: 1–63 of [a-z0-9-], not starting with '-'.
Status CheckNodeName(const std::string& name);

}  // namespace hai::cluster
