#pragma once

#include <optional>
#include <string>

#include "lib/http/message.h"

namespace hai::http {

// Serves a built single-page app from `dir`. Paths with `..`, backslashes or
// NUL are refused (nullopt → 404). A path without a file extension that names
// no file falls back to index.html so client-side routes survive a reload.
std::optional<Response> ServeStatic(const std::string& dir, const std::string& path);
std::string MimeTypeFor(const std::string& path);

}  // namespace hai::http
