#pragma once

#include "lib/base/status.h"

namespace hai::http {

// The one place a Status code becomes an HTTP status.
int HttpStatusFor(Code code);
// And back, for clients reading our own error bodies.
Code CodeForHttpStatus(int status);

}  // namespace hai::http
