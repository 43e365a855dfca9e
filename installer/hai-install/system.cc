#include "installer/hai-install/system.h"

namespace hai::install {

std::string CommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& a : argv) {
    if (!line.empty()) line += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\"'$\\*?;&|<>()") == std::string::npos;
    line += plain ? a : "'" + a + "'";
  }
  return line;
}

Result<CommandResult> RunChecked(System& system, const std::vector<std::string>& argv,
                                 const std::string& input) {
  HAI_ASSIGN_OR_RETURN(CommandResult result, system.Run(argv, input));
  if (result.exit_code != 0) {
    std::string said = result.err.empty() ? result.out : result.err;
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
    return Status::Internal(CommandLine(argv) + ": exit " + std::to_string(result.exit_code) +
                            (said.empty() ? "" : ": " + said));
  }
  return result;
}

}  // namespace hai::install
