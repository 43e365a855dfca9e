#include "hwcheck/tool_runner.h"

#include <string_view>

namespace hai::hwcheck {

const std::string& ToolRun::text() const {
  static const std::string kEmpty;
  return output.ok() ? output->stdout_text : kEmpty;
}

ToolRun ToolRunner::Run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  ToolRun run;
  run.output = runner_.Run(argv, timeout);
  const std::string command = accel::JoinArgv(argv);
  if (!run.output.ok()) {
    run.problem = run.output.status().message();
    run.missing = run.problem.find("not found") != std::string::npos;
    run.evidence = evidence_.Save(command, "$ " + command + "\n# " + run.problem + "\n");
    return run;
  }
  const accel::CommandOutput& out = *run.output;
  std::string kept = "$ " + command + "\n# exit " + std::to_string(out.exit_code) + "\n" +
                     out.stdout_text;
  if (!out.stderr_text.empty()) kept += "\n# stderr\n" + out.stderr_text;
  run.evidence = evidence_.Save(command, kept);
  if (out.exit_code != 0) run.problem = accel::ToolFailed(argv, out).message();
  return run;
}

}  // namespace hai::hwcheck
