#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::install {

// What a command printed and how it ended.
struct CommandResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Everything hai-install does to the running system besides writing files:
// running the system's tools and reading or writing live kernel values under
// /proc and /sys. The seam unit tests use to make any one of them fail; the
// real implementation (RealSystem) runs the real tools.
class System {
 public:
  virtual ~System() = default;

  // Runs argv (argv[0] looked up on PATH, never through a shell) with `input`
  // on its standard input. An error only when it could not be started; a
  // non-zero exit is a result.
  virtual Result<CommandResult> Run(const std::vector<std::string>& argv,
                                    const std::string& input) = 0;
  // The same with nothing on its standard input.
  Result<CommandResult> Run(const std::vector<std::string>& argv) { return Run(argv, ""); }
  // The text of a live file (/proc/sys/..., /sys/...).
  virtual Result<std::string> ReadLive(const std::string& path) = 0;
  // Writes `value` to a live file; an error says why it could not.
  virtual Status WriteLive(const std::string& path, const std::string& value) = 0;
  // The entries of a live directory (/sys/block), names only.
  virtual Result<std::vector<std::string>> ListLive(const std::string& dir) = 0;
  // Whether we run inside a container, where kernel settings belong to the host.
  virtual bool InContainer() = 0;
  // This host's first global IPv4 address, "" when it has none.
  virtual std::string HostAddress() = 0;
};

// The command as a person would type it, for plans and error messages.
std::string CommandLine(const std::vector<std::string>& argv);

// Runs argv; a non-zero exit is an error naming the command and what it said.
Result<CommandResult> RunChecked(System& system, const std::vector<std::string>& argv,
                                 const std::string& input = "");

}  // namespace hai::install
