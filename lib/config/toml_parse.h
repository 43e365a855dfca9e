#pragma once

// TOML text → a toml++ table, with a parse error as an InvalidArgument that
// names the source, line and column ("vllm.toml:3:7: …"). For readers that
// walk the table themselves (profiles, the catalogue); hai.toml goes through
// config::File. Includes toml++: only for files that use it anyway.

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "lib/base/status.h"

namespace hai::config {

Result<toml::table> ParseToml(std::string_view text, const std::string& source_name);

}  // namespace hai::config
