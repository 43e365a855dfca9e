// Step "cluster-token": the secret the daemons present to each other, in
// <data_dir>/cluster-token (0600 hai:hai). The control node keeps a good
// token it has and makes one when missing (43 URL-safe characters, as the
// portal makes it); a worker installs a copy of the control node's.
#include <fstream>
#include <sstream>

#include "installer/hai-install/file_state.h"
#include "installer/hai-install/settings.h"
#include "lib/base/random.h"

namespace hai::install {
namespace {

// The portal refuses a token shorter than this (docs/configuration.md).
constexpr size_t kMinTokenChars = 32;

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

bool GoodToken(const std::string& line) {
  return line.size() >= kMinTokenChars && line.find_first_of(" \t\r") == std::string::npos;
}

}  // namespace

Result<Step> PlanClusterToken(const PlanInput& in) {
  const InstallConfig& c = in.config;
  std::string content;
  if (!c.token_file.empty()) {
    // An input of the install, read where hai-install runs (not under --root).
    std::ifstream file(c.token_file);
    if (!file) return ConfigError(c.source, "cluster.token_file", "cannot read " + c.token_file);
    std::stringstream text;
    text << file.rdbuf();
    std::string token = FirstLine(text.str());
    if (!GoodToken(token))
      return ConfigError(c.source, "cluster.token_file",
                         c.token_file + " does not hold a cluster token (at least " +
                             std::to_string(kMinTokenChars) + " characters on its first line)");
    content = token + "\n";
  } else {
    auto existing = ReadFileState(in.Path(c.TokenPath()));
    content = existing.ok() && GoodToken(FirstLine(existing->content)) ? existing->content
                                                                       : RandomToken(32) + "\n";
  }
  Step step;
  step.id = "cluster-token";
  step.description = c.token_file.empty() ? "cluster token (kept, or made when missing)"
                                          : "cluster token copied from " + c.token_file;
  step.files.push_back(FileSpec::Directory(c.data_dir, 0700, "hai", "hai"));
  FileSpec token = FileSpec::File(c.TokenPath(), content, 0600, "hai", "hai");
  token.secret = true;
  step.files.push_back(token);
  return step;
}

}  // namespace hai::install
