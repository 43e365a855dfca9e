#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::netconf {

// Small file helpers for /etc files under --root and for sysfs/configfs.

// NotFound when the file does not exist.
Result<std::string> ReadText(const std::string& path);
// Writes through a temporary file and rename, creating parent directories:
// a crash never leaves half a config file.
Status WriteFileAtomic(const std::string& path, const std::string& text, unsigned mode = 0644);
// Writes into an existing file in place (sysfs and configfs attributes
// cannot be renamed over).
Status WriteAttribute(const std::string& path, const std::string& value);
bool PathExists(const std::string& path);
// `root` + `path` ("" root = the host's own /).
std::string UnderRoot(const std::string& root, const std::string& path);

}  // namespace hai::netconf
