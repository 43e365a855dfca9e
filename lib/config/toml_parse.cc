#include "lib/config/toml_parse.h"

#include <sstream>

namespace hai::config {

Result<toml::table> ParseToml(std::string_view text, const std::string& source_name) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return Status::InvalidArgument(msg.str());
  }
}

}  // namespace hai::config
