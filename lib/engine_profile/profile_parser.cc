#include "lib/engine_profile/profile_parser.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <optional>
#include <sstream>

#include "lib/config/toml_parse.h"
#include "lib/engine_profile/engine_args.h"
#include "lib/engine_profile/metric_map.h"
#include "lib/engine_profile/placeholder.h"

namespace hai::engine_profile {
namespace {

// Where in which file a value sits; builds the errors that name both.
struct Where {
  std::string file;
  std::string prefix;  // "" at the top level, "params.max_model_len." inside a table

  std::string Key(std::string_view key) const { return prefix + std::string(key); }
  Status Fail(std::string_view key, std::string_view what) const {
    return Status::InvalidArgument(file + ": " + Key(key) + ": " + std::string(what), Key(key));
  }
  Where Inside(std::string_view key) const { return {file, Key(key) + "."}; }
};

Status CheckKeys(const toml::table& table, const Where& at,
                 std::initializer_list<std::string_view> known) {
  for (const auto& [key, node] : table) {
    if (std::find(known.begin(), known.end(), key.str()) == known.end())
      return at.Fail(key.str(), "unknown key");
  }
  return Status::Ok();
}

Status ReadString(const toml::table& t, const Where& at, std::string_view key, bool required,
                  std::string* out) {
  const toml::node* node = t.get(key);
  if (!node) return required ? at.Fail(key, "required") : Status::Ok();
  if (!node->is_string()) return at.Fail(key, "expected a string");
  *out = *node->value<std::string>();
  if (required && out->empty()) return at.Fail(key, "must not be empty");
  return Status::Ok();
}

Status ReadStrings(const toml::table& t, const Where& at, std::string_view key, bool required,
                   std::vector<std::string>* out) {
  const toml::node* node = t.get(key);
  if (!node) return required ? at.Fail(key, "required") : Status::Ok();
  const toml::array* arr = node->as_array();
  if (!arr) return at.Fail(key, "expected an array of strings");
  out->clear();
  for (const toml::node& item : *arr) {
    if (!item.is_string()) return at.Fail(key, "expected an array of strings");
    out->push_back(*item.value<std::string>());
  }
  if (required && out->empty()) return at.Fail(key, "must not be empty");
  return Status::Ok();
}

// A table of string values, such as [env] or [metric_map].
Status ReadStringTable(const toml::table& t, const Where& at, std::string_view key,
                       const std::function<Status(const std::string&, std::string)>& add) {
  const toml::node* node = t.get(key);
  if (!node) return Status::Ok();
  const toml::table* table = node->as_table();
  if (!table) return at.Fail(key, "expected a table");
  Where inside = at.Inside(key);
  for (const auto& [name, value] : *table) {
    if (!value.is_string()) return inside.Fail(name.str(), "expected a string");
    HAI_RETURN_IF_ERROR(add(std::string(name.str()), *value.value<std::string>()));
  }
  return Status::Ok();
}

bool IsProfileName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsParamName(std::string_view name) {
  if (name.empty() || name.size() > 64 || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status ReadCategories(const toml::table& t, const Where& at, EngineProfile* p) {
  std::vector<std::string> names;
  HAI_RETURN_IF_ERROR(ReadStrings(t, at, "categories", true, &names));
  for (const std::string& n : names) {
    std::optional<Category> c = ParseCategory(n);
    if (!c)
      return at.Fail("categories", "\"" + n +
                                       "\" is not a category (text-generation, embedding, rerank, "
                                       "image-generation, speech-generation, video-generation)");
    if (p->ServesCategory(*c)) return at.Fail("categories", "\"" + n + "\" is listed twice");
    p->categories.push_back(*c);
  }
  return Status::Ok();
}

Status ReadVendors(const toml::table& t, const Where& at, EngineProfile* p) {
  std::vector<std::string> names;
  HAI_RETURN_IF_ERROR(ReadStrings(t, at, "vendors", true, &names));
  for (const std::string& n : names) {
    std::optional<accel::Vendor> v = accel::ParseVendor(n);
    if (!v)
      return at.Fail("vendors", "\"" + n +
                                    "\" is not a vendor (ascend, metax, hygon, mthreads, ppu, "
                                    "nvidia, cpu)");
    if (p->SupportsVendor(*v)) return at.Fail("vendors", "\"" + n + "\" is listed twice");
    p->vendors.push_back(*v);
  }
  return Status::Ok();
}

Status ReadParam(const toml::node& node, const Where& at, const std::string& name,
                 ParamSpec* spec) {
  const toml::table* t = node.as_table();
  if (!t) return at.Fail(name, "expected a table");
  Where in = at.Inside(name);
  HAI_RETURN_IF_ERROR(CheckKeys(*t, in, {"kind", "default", "args", "description"}));
  std::string kind = "string";
  HAI_RETURN_IF_ERROR(ReadString(*t, in, "kind", false, &kind));
  if (kind == "string") {
    spec->kind = ParamKind::kString;
  } else if (kind == "integer") {
    spec->kind = ParamKind::kInteger;
  } else if (kind == "number") {
    spec->kind = ParamKind::kNumber;
  } else {
    return in.Fail("kind", "expected \"string\", \"integer\" or \"number\"");
  }
  if (const toml::node* d = t->get("default")) {
    if (!d->is_string()) return in.Fail("default", "expected a string (quote numbers: \"4096\")");
    spec->default_value = *d->value<std::string>();
    if (Status st = CheckParamValue(*spec, *spec->default_value); !st.ok())
      return in.Fail("default", st.message());
  }
  HAI_RETURN_IF_ERROR(ReadStrings(*t, in, "args", false, &spec->args));
  HAI_RETURN_IF_ERROR(ReadString(*t, in, "description", false, &spec->description));
  if (spec->args.empty() && !spec->default_value)
    return at.Fail(name, "needs args (added when it has a value) or a default (a placeholder)");
  return Status::Ok();
}

Status ReadParams(const toml::table& t, const Where& at, EngineProfile* p) {
  const toml::node* node = t.get("params");
  if (!node) return Status::Ok();
  const toml::table* table = node->as_table();
  if (!table) return at.Fail("params", "expected a table of [params.NAME] tables");
  Where in = at.Inside("params");
  for (const auto& [key, value] : *table) {
    std::string name(key.str());
    if (!IsParamName(name))
      return in.Fail(name, "a parameter name is lower-case letters, digits and '_'");
    if (IsLaunchPlaceholder(name) || name == kValuePlaceholder)
      return in.Fail(name, "this name is a launch placeholder; choose another");
    HAI_RETURN_IF_ERROR(ReadParam(value, in, name, &p->params[name]));
  }
  return Status::Ok();
}

Status ReadConfigFile(const toml::node& node, const Where& at, std::string_view key,
                      ConfigFileTemplate* file) {
  const toml::table* t = node.as_table();
  if (!t) return at.Fail(key, "expected a table");
  Where in = at.Inside(key);
  HAI_RETURN_IF_ERROR(CheckKeys(*t, in, {"path", "content", "format"}));
  HAI_RETURN_IF_ERROR(ReadString(*t, in, "path", true, &file->path));
  HAI_RETURN_IF_ERROR(ReadString(*t, in, "content", true, &file->content));
  std::string format = "text";
  HAI_RETURN_IF_ERROR(ReadString(*t, in, "format", false, &format));
  if (format != "text" && format != "json")
    return in.Fail("format", "expected \"text\" or \"json\"");
  file->json = format == "json";
  constexpr std::string_view kRoot = "{work_dir}/";
  std::string_view rest =
      std::string_view(file->path).substr(std::min(file->path.size(), kRoot.size()));
  if (!file->path.starts_with(kRoot) || rest.empty() || rest.find("..") != std::string::npos)
    return in.Fail("path", "must be \"{work_dir}/NAME\" without \"..\"");
  return Status::Ok();
}

Status ReadConfigFiles(const toml::table& t, const Where& at, EngineProfile* p) {
  const toml::node* node = t.get("config_files");
  if (!node) return Status::Ok();
  const toml::array* arr = node->as_array();
  if (!arr) return at.Fail("config_files", "expected [[config_files]] tables");
  for (size_t i = 0; i < arr->size(); ++i) {
    ConfigFileTemplate file;
    HAI_RETURN_IF_ERROR(
        ReadConfigFile(*arr->get(i), at, "config_files[" + std::to_string(i) + "]", &file));
    for (const ConfigFileTemplate& other : p->config_files)
      if (other.path == file.path)
        return at.Fail("config_files[" + std::to_string(i) + "].path", "written twice");
    p->config_files.push_back(std::move(file));
  }
  return Status::Ok();
}

Status ReadPaths(const toml::table& t, const Where& at, EngineProfile* p) {
  HAI_RETURN_IF_ERROR(ReadString(t, at, "health_path", true, &p->health_path));
  HAI_RETURN_IF_ERROR(ReadString(t, at, "metrics_path", false, &p->metrics_path));
  if (!p->health_path.starts_with('/')) return at.Fail("health_path", "must start with '/'");
  if (!p->metrics_path.empty() && !p->metrics_path.starts_with('/'))
    return at.Fail("metrics_path", "must start with '/'");
  if (const toml::node* n = t.get("ready_timeout_s")) {
    constexpr int64_t kMax = 86400;
    std::optional<int64_t> v = n->value<int64_t>();
    if (!n->is_integer() || *v < 1 || *v > kMax)
      return at.Fail("ready_timeout_s", "expected an integer from 1 to 86400");
    p->ready_timeout_s = static_cast<int>(*v);
  }
  return Status::Ok();
}

Status ReadMetricMap(const toml::table& t, const Where& at, EngineProfile* p) {
  Where in = at.Inside("metric_map");
  return ReadStringTable(t, at, "metric_map", [&](const std::string& from, std::string to) {
    if (!IsValidMetricName(from)) return in.Fail(from, "not a Prometheus metric name");
    if (!IsCanonicalMetric(to))
      return in.Fail(from, "\"" + to +
                               "\" is not a canonical metric (see CanonicalMetricNames in "
                               "lib/engine_profile/metric_map.h)");
    p->metric_map.emplace(from, std::move(to));
    return Status::Ok();
  });
}

Status ReadFlags(const toml::table& t, const Where& at, EngineProfile* p) {
  HAI_RETURN_IF_ERROR(ReadStrings(t, at, "command", true, &p->command));
  if (p->command.front().empty()) return at.Fail("command[0]", "must not be empty");
  HAI_RETURN_IF_ERROR(ReadStrings(t, at, "reserved_flags", false, &p->reserved_flags));
  for (const std::string& f : p->reserved_flags)
    if (FlagName(f) != f) return at.Fail("reserved_flags", "\"" + f + "\" is not a flag");
  return Status::Ok();
}

// Every placeholder used must be one a launch fills or a parameter with a
// default; {value} only inside a parameter's args.
Status CheckTemplate(const EngineProfile& p, const Where& at, const std::string& key,
                     const std::string& text, bool in_param_args) {
  Result<std::vector<std::string>> names = PlaceholderNames(text);
  if (!names.ok()) return at.Fail(key, names.status().message());
  for (const std::string& name : *names) {
    if (IsLaunchPlaceholder(name)) continue;
    if (name == kValuePlaceholder) {
      if (in_param_args) continue;
      return at.Fail(key, "{value} is only known inside a parameter's args");
    }
    auto it = p.params.find(name);
    if (it == p.params.end()) return at.Fail(key, "unknown placeholder {" + name + "}");
    if (!it->second.default_value)
      return at.Fail(key, "{" + name + "} is a parameter without a default; give params." + name +
                              " a default to use it here");
  }
  return Status::Ok();
}

Status CheckTemplates(const EngineProfile& p, const Where& at) {
  for (size_t i = 0; i < p.command.size(); ++i)
    HAI_RETURN_IF_ERROR(
        CheckTemplate(p, at, "command[" + std::to_string(i) + "]", p.command[i], false));
  for (const auto& [name, value] : p.env)
    HAI_RETURN_IF_ERROR(CheckTemplate(p, at, "env." + name, value, false));
  for (const auto& [name, spec] : p.params)
    for (size_t i = 0; i < spec.args.size(); ++i)
      HAI_RETURN_IF_ERROR(CheckTemplate(
          p, at, "params." + name + ".args[" + std::to_string(i) + "]", spec.args[i], true));
  for (size_t i = 0; i < p.config_files.size(); ++i) {
    std::string key = "config_files[" + std::to_string(i) + "]";
    HAI_RETURN_IF_ERROR(CheckTemplate(p, at, key + ".path", p.config_files[i].path, false));
    HAI_RETURN_IF_ERROR(CheckTemplate(p, at, key + ".content", p.config_files[i].content, false));
  }
  return Status::Ok();
}

Status ReadProfile(const toml::table& root, const Where& at, EngineProfile* p) {
  HAI_RETURN_IF_ERROR(
      CheckKeys(root, at,
                {"name", "display_name", "description", "categories", "vendors",
                 "runs_on_simulated_devices", "command", "reserved_flags", "env", "params",
                 "config_files", "health_path", "metrics_path", "ready_timeout_s", "metric_map"}));
  HAI_RETURN_IF_ERROR(ReadString(root, at, "name", true, &p->name));
  if (!IsProfileName(p->name))
    return at.Fail("name", "lower-case letters, digits and '-', at most 64");
  HAI_RETURN_IF_ERROR(ReadString(root, at, "display_name", true, &p->display_name));
  HAI_RETURN_IF_ERROR(ReadString(root, at, "description", false, &p->description));
  HAI_RETURN_IF_ERROR(ReadCategories(root, at, p));
  HAI_RETURN_IF_ERROR(ReadVendors(root, at, p));
  if (const toml::node* n = root.get("runs_on_simulated_devices")) {
    if (!n->is_boolean()) return at.Fail("runs_on_simulated_devices", "expected true or false");
    p->runs_on_simulated_devices = *n->value<bool>();
  }
  HAI_RETURN_IF_ERROR(ReadFlags(root, at, p));
  Where env_at = at.Inside("env");
  HAI_RETURN_IF_ERROR(ReadStringTable(root, at, "env", [&](const std::string& name, std::string v) {
    if (!IsValidEnvName(name)) return env_at.Fail(name, "not a variable name");
    p->env.emplace(name, std::move(v));
    return Status::Ok();
  }));
  HAI_RETURN_IF_ERROR(ReadParams(root, at, p));
  HAI_RETURN_IF_ERROR(ReadConfigFiles(root, at, p));
  HAI_RETURN_IF_ERROR(ReadPaths(root, at, p));
  HAI_RETURN_IF_ERROR(ReadMetricMap(root, at, p));
  return CheckTemplates(*p, at);
}

}  // namespace

Result<EngineProfile> ParseProfile(std::string_view text, const std::string& source_name) {
  HAI_ASSIGN_OR_RETURN(toml::table root, config::ParseToml(text, source_name));
  EngineProfile profile;
  HAI_RETURN_IF_ERROR(ReadProfile(root, Where{source_name, ""}, &profile));
  return profile;
}

Result<EngineProfile> LoadProfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the engine profile");
  std::ostringstream text;
  text << in.rdbuf();
  HAI_ASSIGN_OR_RETURN(EngineProfile profile, ParseProfile(text.str(), path));
  std::string stem = std::filesystem::path(path).stem().string();
  if (profile.name != stem)
    return Status::InvalidArgument(
        path + ": name: \"" + profile.name + "\" must match the file name (\"" + stem + "\")",
        "name");
  return profile;
}

Result<std::vector<EngineProfile>> LoadProfiles(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") paths.push_back(entry.path().string());
  }
  if (ec)
    return Status::NotFound(dir + ": cannot read the engine profile directory: " + ec.message());
  std::sort(paths.begin(), paths.end());
  // Names equal file stems, so a second profile of one name (a copied file
  // whose name was not changed) is refused by LoadProfile.
  std::vector<EngineProfile> profiles;
  for (const std::string& path : paths) {
    HAI_ASSIGN_OR_RETURN(EngineProfile profile, LoadProfile(path));
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace hai::engine_profile
