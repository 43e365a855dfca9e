#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai {

// Writes `content` plus a newline to `path` with mode 0600, through a
// temporary file renamed into place: the secret appears whole or not at all,
// and an existing file's looser mode is not inherited.
Status WriteSecretFile(const std::string& path, const std::string& content);

}  // namespace hai
