#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::install {

// A kernel CPU list as isolcpus= and nohz_full= take it: "2-15,18,20-23".
// isolcpus may start with its flags ("managed_irq,domain,2-15"), which
// `allow_flags` permits. The message says what is wrong, without the key.
Status CheckCpuList(const std::string& text, bool allow_flags);

}  // namespace hai::install
