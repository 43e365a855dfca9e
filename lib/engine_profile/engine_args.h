#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::engine_profile {

// Checks on what a deployment adds to an engine's launch: its engine
// arguments and environment. Both reach the process as they are (argv
// elements and environment entries, never a shell line), so anything that
// only means something to a shell is refused instead of silently passed on.

inline constexpr size_t kMaxEngineArgs = 256;
inline constexpr size_t kMaxEngineArgBytes = 8192;
inline constexpr size_t kMaxEngineEnv = 128;

// The flag an argument names: "--max-model-len" for "--max-model-len" and
// "--max-model-len=4096", "-ngl" for "-ngl"; "" for a value ("4096", "-1",
// "/models/q").
std::string_view FlagName(std::string_view arg);

// Each argument: at most kMaxEngineArgBytes, no control characters, no shell
// syntax (; | & ` $( ${ < >), not a flag and its value run together with a
// space. Errors are InvalidArgument with field "args[i]".
Status CheckEngineArgs(const std::vector<std::string>& args);

// A POSIX variable name: letters, digits and '_', not starting with a digit.
bool IsValidEnvName(std::string_view name);

// Names valid, values without control characters. Field "env.NAME".
Status CheckEngineEnv(const std::map<std::string, std::string>& env);

}  // namespace hai::engine_profile
