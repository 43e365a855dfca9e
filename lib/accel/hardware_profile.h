#pragma once

#include <string>
#include <string_view>

#include "lib/accel/device.h"
#include "lib/base/status.h"

namespace hai::accel {

// A simulated node from a hardware profile (profiles/nodes/*.toml; the format
// is documented in profiles/nodes/README.md). Every device is marked
// `simulated = true` and health kOk; bus ids stay empty (there is no bus), and
// live values (utilisation, memory used, temperature, power) stay unknown until
// SimulatedTelemetry fills them. Errors name the file and the key.
Result<NodeInventory> LoadHardwareProfile(const std::string& path);
// The same from text; `source_name` stands for the file in messages.
Result<NodeInventory> ParseHardwareProfile(std::string_view text, const std::string& source_name);

}  // namespace hai::accel
