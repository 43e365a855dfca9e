#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/accel/device.h"
#include "lib/accel/vendor_adapter.h"
#include "lib/base/status.h"
#include "lib/engine_profile/engine_profile.h"

namespace hai::engine_profile {

// One replica's launch, as the deployment controller and the agent know it.
// Each field fills the placeholder of the same name:
//   {model_path} {served_name} {host} {port} {engine_bin_dir} {work_dir}
//   {vendor}              "ascend", "nvidia", … ("cpu" without accelerators)
//   {device_ids}          physical indices, "2,3" (the vendor tool's numbering)
//   {logical_device_ids}  what the engine sees behind the visible-devices
//                         variables: "0,1"
//   {device_count}        "2"
//   {tp}                  tensor-parallel size
struct LaunchContext {
  std::string model_path;  // absolute; a checkpoint directory (a .gguf file for llama.cpp)
  std::string served_name;
  std::string host = "127.0.0.1";
  int port = 0;  // 1..65535
  accel::Vendor vendor = accel::Vendor::kCpu;
  std::vector<int> device_ids;  // from the placement; empty for kCpu
  bool simulated = false;       // the devices come from a hardware profile
  int tp = 0;                   // 0: one rank per device (at least 1)
  std::string engine_bin_dir;   // absolute; where hai-engine is installed
  std::string work_dir;         // absolute; the replica's directory: cwd and config files
  std::map<std::string, std::string> params;     // values for the profile's [params]
  std::vector<std::string> extra_args;           // the deployment's engine arguments, verbatim
  std::map<std::string, std::string> extra_env;  // the deployment's environment, verbatim
};

// A file to write (mode 0600 is enough: only the engine reads it) before spawning.
struct ConfigFile {
  std::string path;
  std::string content;
};

// Everything the agent needs to spawn and watch the engine. argv is executed
// directly (argv[0] without a '/' is looked up on PATH), never through a shell.
struct LaunchSpec {
  std::vector<std::string> argv;
  // Set on top of the agent's environment, sorted by name: the profile's env,
  // the vendor's visible-devices variables, then the deployment's env.
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<ConfigFile> files;
  std::string working_dir;  // = LaunchContext::work_dir
  std::string health_path;
  std::string metrics_path;
  int ready_timeout_s = 0;
};

// Renders `profile` for `context`. The argv is the command, then each
// parameter that has a value (by name) with its args, then the deployment's
// arguments; a deployment argument that names a parameter's flag replaces that
// parameter's args, and one that names a flag of the command (or of
// reserved_flags) is refused. The visible-devices variables come from the
// vendor's adapter in `adapters` and cannot be overridden.
// Errors (InvalidArgument unless noted), with `field` set for the portal:
//   vendor    the profile does not run on the vendor
//   devices   no devices for an accelerator vendor, devices for cpu, bad ids,
//             simulated devices for a profile that needs real ones
//             (FailedPrecondition), tp out of range
//   params.X, args[i], env.X   a bad value, argument or variable
//   model_path, served_name, host, port, work_dir, engine_bin_dir
// and a template error naming the profile and key, such as a placeholder the
// launch has no value for or a config file that does not render to JSON.
Result<LaunchSpec> Render(const EngineProfile& profile, const LaunchContext& context,
                          const accel::AdapterRegistry& adapters);

// argv as one line for logs and the replica's process list: elements with
// characters a shell treats specially are single-quoted. Display only.
std::string DisplayCommand(const std::vector<std::string>& argv);

}  // namespace hai::engine_profile
