#pragma once

#include <ostream>

namespace hai::model {

// The whole `hai-model` command line (init, inspect), writing to `out` and
// `err` so that tests run it in-process. Returns the exit status: 0 done,
// 1 failed (I/O, a corrupt checkpoint), 2 bad arguments.
int RunModelTool(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace hai::model
