#include "lib/engine_profile/engine_args.h"

#include <array>

namespace hai::engine_profile {
namespace {

// Text that means something only to a shell.
constexpr std::array<std::string_view, 8> kShellSyntax{";", "|", "&", "`", "$(", "${", "<", ">"};

bool HasControlChar(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string Quoted(std::string_view s) {
  constexpr size_t kShown = 60;
  std::string shown(s.substr(0, kShown));
  if (s.size() > kShown) shown += "…";
  return "\"" + shown + "\"";
}

Status CheckOne(const std::string& arg, const std::string& field) {
  if (arg.size() > kMaxEngineArgBytes)
    return Status::InvalidArgument(
        field + ": longer than " + std::to_string(kMaxEngineArgBytes) + " bytes", field);
  if (HasControlChar(arg))
    return Status::InvalidArgument(field + ": contains a control character", field);
  for (std::string_view mark : kShellSyntax) {
    if (arg.find(mark) == std::string::npos) continue;
    return Status::InvalidArgument(field + ": " + Quoted(arg) + " contains '" + std::string(mark) +
                                       "': engine arguments go to the engine as they are, never "
                                       "through a shell",
                                   field);
  }
  std::string_view flag = FlagName(arg);
  if (!flag.empty() && flag.find(' ') != std::string_view::npos) {
    std::string_view name = flag.substr(0, flag.find(' '));
    return Status::InvalidArgument(field + ": " + Quoted(arg) +
                                       " holds a flag and its value in one argument; give " +
                                       std::string(name) + " and its value as two arguments",
                                   field);
  }
  return Status::Ok();
}

}  // namespace

std::string_view FlagName(std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-') return {};
  char second = arg[1];
  if ((second >= '0' && second <= '9') || second == '.') return {};  // a negative number
  return arg.substr(0, arg.find('='));
}

Status CheckEngineArgs(const std::vector<std::string>& args) {
  if (args.size() > kMaxEngineArgs)
    return Status::InvalidArgument(
        "args: at most " + std::to_string(kMaxEngineArgs) + " engine arguments", "args");
  for (size_t i = 0; i < args.size(); ++i)
    HAI_RETURN_IF_ERROR(CheckOne(args[i], "args[" + std::to_string(i) + "]"));
  return Status::Ok();
}

bool IsValidEnvName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

Status CheckEngineEnv(const std::map<std::string, std::string>& env) {
  if (env.size() > kMaxEngineEnv)
    return Status::InvalidArgument("env: at most " + std::to_string(kMaxEngineEnv) + " variables",
                                   "env");
  for (const auto& [name, value] : env) {
    if (!IsValidEnvName(name))
      return Status::InvalidArgument("env: " + Quoted(name) +
                                         " is not a variable name (letters, digits and '_', not "
                                         "starting with a digit)",
                                     "env");
    std::string field = "env." + name;
    if (value.size() > kMaxEngineArgBytes)
      return Status::InvalidArgument(
          field + ": longer than " + std::to_string(kMaxEngineArgBytes) + " bytes", field);
    if (HasControlChar(value))
      return Status::InvalidArgument(field + ": contains a control character", field);
  }
  return Status::Ok();
}

}  // namespace hai::engine_profile
