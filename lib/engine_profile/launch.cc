#include "lib/engine_profile/launch.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/engine_profile/engine_args.h"
#include "lib/engine_profile/placeholder.h"

namespace hai::engine_profile {
namespace {

using Values = std::map<std::string, std::string, std::less<>>;

// Errors about the profile itself carry the profile's name and key.
Status ProfileError(const EngineProfile& p, const std::string& key, const Status& st) {
  return Status(st.code(), "engine profile " + p.name + ": " + key + ": " + st.message(), key);
}

bool IsPlainText(std::string_view s, bool allow_space) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || (!allow_space && c == ' ')) return false;
  }
  return true;
}

std::string VendorList(const std::vector<accel::Vendor>& vendors) {
  std::string s;
  for (accel::Vendor v : vendors) {
    if (!s.empty()) s += ", ";
    s += accel::VendorName(v);
  }
  return s;
}

Status CheckText(std::string_view value, const std::string& field, bool absolute_path) {
  if (value.empty()) return Status::InvalidArgument(field + " is required", field);
  if (!IsPlainText(value, absolute_path) || value.size() > 4096)
    return Status::InvalidArgument(field + ": control characters" +
                                       std::string(absolute_path ? "" : " or spaces") +
                                       " are not allowed (at most 4096 bytes)",
                                   field);
  if (absolute_path && !value.starts_with('/'))
    return Status::InvalidArgument(field + ": must be an absolute path", field);
  return Status::Ok();
}

Status CheckContext(const LaunchContext& c) {
  HAI_RETURN_IF_ERROR(CheckText(c.model_path, "model_path", true));
  HAI_RETURN_IF_ERROR(CheckText(c.served_name, "served_name", false));
  HAI_RETURN_IF_ERROR(CheckText(c.host, "host", false));
  // Both follow a flag in argv; a leading '-' would read as the next flag.
  for (const auto& [value, field] :
       {std::pair{&c.served_name, "served_name"}, std::pair{&c.host, "host"}})
    if (value->starts_with('-'))
      return Status::InvalidArgument(std::string(field) + ": must not start with '-'", field);
  HAI_RETURN_IF_ERROR(CheckText(c.work_dir, "work_dir", true));
  if (!c.engine_bin_dir.empty())
    HAI_RETURN_IF_ERROR(CheckText(c.engine_bin_dir, "engine_bin_dir", true));
  if (c.port < 1 || c.port > 65535)
    return Status::InvalidArgument("port must be 1..65535, got " + std::to_string(c.port), "port");
  return Status::Ok();
}

// The vendor, devices and tensor-parallel size; returns the tp to use.
Result<int> CheckPlacement(const EngineProfile& p, const LaunchContext& c) {
  std::string vendor(accel::VendorName(c.vendor));
  if (!p.SupportsVendor(c.vendor))
    return Status::InvalidArgument("engine " + p.name + " does not run on " + vendor +
                                       " (it runs on " + VendorList(p.vendors) + ")",
                                   "vendor");
  if (c.simulated && !p.runs_on_simulated_devices)
    return Status(Code::kFailedPrecondition,
                  "engine " + p.name + " needs real " + vendor +
                      " devices, and these are simulated (a hardware profile); choose an engine "
                      "that runs on simulated devices",
                  "devices");
  bool cpu = c.vendor == accel::Vendor::kCpu;
  if (cpu && !c.device_ids.empty())
    return Status::InvalidArgument("a cpu launch has no devices", "devices");
  if (!cpu && c.device_ids.empty())
    return Status::InvalidArgument("a " + vendor + " launch needs at least one device", "devices");
  std::set<int> seen;
  for (int id : c.device_ids)
    if (id < 0 || !seen.insert(id).second)
      return Status::InvalidArgument("device ids must be distinct and not negative", "devices");
  int count = std::max<int>(1, static_cast<int>(c.device_ids.size()));
  if (c.tp == 0) return count;
  if (c.tp < 1 || c.tp > count)
    return Status::InvalidArgument("tp must be 1.." + std::to_string(count) + " for " +
                                       std::to_string(c.device_ids.size()) + " devices, got " +
                                       std::to_string(c.tp),
                                   "devices");
  return c.tp;
}

Status AddParamValues(const EngineProfile& p, const LaunchContext& c, Values* values) {
  for (const auto& [name, value] : c.params) {
    auto it = p.params.find(name);
    if (it == p.params.end()) {
      std::string known;
      for (const auto& [n, spec] : p.params) {
        if (!known.empty()) known += ", ";
        known += n;
      }
      return Status::InvalidArgument("engine " + p.name + " has no parameter \"" + name +
                                         "\" (it has: " + (known.empty() ? "none" : known) + ")",
                                     "params." + name);
    }
    if (Status st = CheckParamValue(it->second, value); !st.ok())
      return Status::InvalidArgument("params." + name + ": " + st.message(), "params." + name);
  }
  for (const auto& [name, spec] : p.params) {
    auto it = c.params.find(name);
    if (it != c.params.end()) {
      (*values)[name] = it->second;
    } else if (spec.default_value) {
      (*values)[name] = *spec.default_value;
    }
  }
  return Status::Ok();
}

Values PlaceholderValues(const LaunchContext& c, int tp) {
  std::vector<int> logical;
  for (size_t i = 0; i < c.device_ids.size(); ++i) logical.push_back(static_cast<int>(i));
  Values v = {
      {"model_path", c.model_path},
      {"served_name", c.served_name},
      {"host", c.host},
      {"port", std::to_string(c.port)},
      {"device_ids", accel::JoinIndices(c.device_ids)},
      {"logical_device_ids", accel::JoinIndices(logical)},
      {"device_count", std::to_string(c.device_ids.size())},
      {"tp", std::to_string(tp)},
      {"vendor", std::string(accel::VendorName(c.vendor))},
      {"work_dir", c.work_dir},
  };
  if (!c.engine_bin_dir.empty()) v["engine_bin_dir"] = c.engine_bin_dir;
  return v;
}

Result<std::string> ExpandFor(const EngineProfile& p, const std::string& key,
                              const std::string& text, const Values& values,
                              Escape escape = Escape::kNone) {
  Lookup lookup = [&values](std::string_view name) -> const std::string* {
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
  };
  Result<std::string> out = Expand(text, lookup, escape);
  if (!out.ok()) return ProfileError(p, key, out.status());
  return out;
}

// Flags of the rendered command plus reserved_flags: never from a deployment.
std::set<std::string, std::less<>> FixedFlags(const EngineProfile& p,
                                              const std::vector<std::string>& command) {
  std::set<std::string, std::less<>> flags(p.reserved_flags.begin(), p.reserved_flags.end());
  for (const std::string& arg : command)
    if (std::string_view f = FlagName(arg); !f.empty()) flags.emplace(f);
  return flags;
}

Result<std::vector<std::string>> RenderArgv(const EngineProfile& p, const LaunchContext& c,
                                            const Values& values) {
  std::vector<std::string> argv;
  for (size_t i = 0; i < p.command.size(); ++i) {
    HAI_ASSIGN_OR_RETURN(std::string arg,
                         ExpandFor(p, "command[" + std::to_string(i) + "]", p.command[i], values));
    argv.push_back(std::move(arg));
  }
  HAI_RETURN_IF_ERROR(CheckEngineArgs(c.extra_args));
  auto fixed = FixedFlags(p, argv);
  std::set<std::string, std::less<>> user_flags;
  for (size_t i = 0; i < c.extra_args.size(); ++i) {
    std::string_view flag = FlagName(c.extra_args[i]);
    if (flag.empty()) continue;
    std::string field = "args[" + std::to_string(i) + "]";
    if (fixed.contains(flag))
      return Status::InvalidArgument(field + ": " + std::string(flag) +
                                         " is set by the engine profile " + p.name +
                                         " and cannot be given as an engine argument",
                                     field);
    user_flags.emplace(flag);
  }
  for (const auto& [name, spec] : p.params) {
    auto value = values.find(name);
    if (spec.args.empty() || value == values.end()) continue;
    Values with_value = values;
    with_value["value"] = value->second;
    std::vector<std::string> args;
    bool overridden = false;
    for (size_t i = 0; i < spec.args.size(); ++i) {
      HAI_ASSIGN_OR_RETURN(std::string arg,
                           ExpandFor(p, "params." + name + ".args[" + std::to_string(i) + "]",
                                     spec.args[i], with_value));
      std::string_view flag = FlagName(arg);
      overridden = overridden || (!flag.empty() && user_flags.contains(flag));
      args.push_back(std::move(arg));
    }
    if (!overridden) argv.insert(argv.end(), args.begin(), args.end());
  }
  argv.insert(argv.end(), c.extra_args.begin(), c.extra_args.end());
  return argv;
}

Result<std::vector<std::pair<std::string, std::string>>> RenderEnv(
    const EngineProfile& p, const LaunchContext& c, const Values& values,
    const accel::AdapterRegistry& adapters) {
  std::map<std::string, std::string> env;
  for (const auto& [name, text] : p.env) {
    HAI_ASSIGN_OR_RETURN(env[name], ExpandFor(p, "env." + name, text, values));
  }
  std::map<std::string, std::string> devices;
  if (c.vendor != accel::Vendor::kCpu) {
    auto adapter = adapters.Create(accel::VendorName(c.vendor));
    if (!adapter.ok()) return Status::FailedPrecondition(adapter.status().message());
    devices = (*adapter)->VisibleDevicesEnv(c.device_ids);
  }
  for (const auto& [name, value] : devices) {
    if (env.contains(name))
      return ProfileError(p, "env." + name,
                          Status::InvalidArgument("set from the placement; remove it here"));
    env[name] = value;
  }
  HAI_RETURN_IF_ERROR(CheckEngineEnv(c.extra_env));
  for (const auto& [name, value] : c.extra_env) {
    if (devices.contains(name))
      return Status::InvalidArgument(
          "env." + name + ": the placement sets the visible devices; it cannot be overridden",
          "env." + name);
    env[name] = value;
  }
  return std::vector<std::pair<std::string, std::string>>(env.begin(), env.end());
}

Status CheckJson(const EngineProfile& p, const std::string& key, const std::string& text) {
  try {
    nlohmann::json parsed = nlohmann::json::parse(text);
    (void)parsed;  // only whether it parses matters
  } catch (const nlohmann::json::parse_error& e) {
    return ProfileError(p, key,
                        Status::InvalidArgument("the rendered file is not valid JSON (byte " +
                                                std::to_string(e.byte) + ")"));
  }
  return Status::Ok();
}

Result<std::vector<ConfigFile>> RenderFiles(const EngineProfile& p, const LaunchContext& c,
                                            const Values& values) {
  std::vector<ConfigFile> files;
  for (size_t i = 0; i < p.config_files.size(); ++i) {
    const ConfigFileTemplate& t = p.config_files[i];
    std::string key = "config_files[" + std::to_string(i) + "]";
    ConfigFile file;
    HAI_ASSIGN_OR_RETURN(file.path, ExpandFor(p, key + ".path", t.path, values));
    bool inside = file.path.starts_with(c.work_dir + "/") &&
                  file.path.find("/..", c.work_dir.size()) == std::string::npos;
    if (!inside)
      return ProfileError(
          p, key + ".path",
          Status::InvalidArgument("\"" + file.path + "\" is outside the replica's directory"));
    HAI_ASSIGN_OR_RETURN(file.content, ExpandFor(p, key + ".content", t.content, values,
                                                 t.json ? Escape::kJsonString : Escape::kNone));
    if (t.json) HAI_RETURN_IF_ERROR(CheckJson(p, key + ".content", file.content));
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace

Result<LaunchSpec> Render(const EngineProfile& profile, const LaunchContext& context,
                          const accel::AdapterRegistry& adapters) {
  HAI_ASSIGN_OR_RETURN(int tp, CheckPlacement(profile, context));
  HAI_RETURN_IF_ERROR(CheckContext(context));
  Values values = PlaceholderValues(context, tp);
  HAI_RETURN_IF_ERROR(AddParamValues(profile, context, &values));
  LaunchSpec spec;
  HAI_ASSIGN_OR_RETURN(spec.argv, RenderArgv(profile, context, values));
  HAI_ASSIGN_OR_RETURN(spec.env, RenderEnv(profile, context, values, adapters));
  HAI_ASSIGN_OR_RETURN(spec.files, RenderFiles(profile, context, values));
  spec.working_dir = context.work_dir;
  spec.health_path = profile.health_path;
  spec.metrics_path = profile.metrics_path;
  spec.ready_timeout_s = profile.ready_timeout_s;
  return spec;
}

std::string DisplayCommand(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
             std::string_view("_./:=,+@%-").find(ch) != std::string_view::npos;
    });
    if (!line.empty()) line += ' ';
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char ch : arg) line += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    line += '\'';
  }
  return line;
}

}  // namespace hai::engine_profile
