#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::engine_profile {

// Profile templates are plain text with placeholders: '{', a name of lower-case
// letters, digits and '_' (starting with a letter or '_'), then '}'. Every
// other brace is literal text, so JSON config templates need no escaping.
// "{{name}}" (another tool's syntax) is refused rather than half-expanded.

// What every launch can fill (see LaunchContext in launch.h): model_path,
// served_name, host, port, device_ids, logical_device_ids, device_count, tp,
// vendor, engine_bin_dir, work_dir. A profile's parameters add their own names;
// {value} stands for a parameter's value inside its args.
const std::vector<std::string_view>& LaunchPlaceholderNames();
bool IsLaunchPlaceholder(std::string_view name);
inline constexpr std::string_view kValuePlaceholder = "value";

// The placeholder names in `text`, in order of appearance (repeats kept).
Result<std::vector<std::string>> PlaceholderNames(std::string_view text);

// A placeholder's value, or null when it has none.
using Lookup = std::function<const std::string*(std::string_view name)>;

// How a value is written into the text.
enum class Escape {
  kNone,
  kJsonString,  // as the inside of a JSON string literal
};

// `text` with every placeholder replaced. A placeholder without a value is an
// InvalidArgument naming it; the caller adds where the template came from.
Result<std::string> Expand(std::string_view text, const Lookup& lookup,
                           Escape escape = Escape::kNone);

// `value` escaped for the inside of a JSON string literal.
std::string JsonEscape(std::string_view value);

}  // namespace hai::engine_profile
