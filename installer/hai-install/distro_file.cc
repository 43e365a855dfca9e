#include "installer/hai-install/distro_file.h"

#include <algorithm>
#include <sstream>

#include "installer/hai-install/file_state.h"

namespace hai::install {
namespace {

std::string Unquote(std::string word) {
  if (word.size() >= 2 && word.front() == '"' && word.back() == '"')
    word = word.substr(1, word.size() - 2);
  return word;
}

bool In(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

FileSpec KeepMode(const std::string& path, std::string content, const FileState& state) {
  FileSpec spec = FileSpec::File(path, std::move(content), state.mode, std::to_string(state.uid),
                                 std::to_string(state.gid));
  return spec;
}

}  // namespace

bool HasDirective(const std::string& content, const std::vector<std::string>& keywords,
                  const std::vector<std::string>& targets) {
  std::istringstream in(content);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string first;
    if (!(words >> first) || !In(keywords, first)) continue;
    for (std::string w; words >> w;)
      if (In(targets, Unquote(w))) return true;
  }
  return false;
}

std::string ReadTargetFile(const PlanInput& in, const std::string& path) {
  auto state = ReadFileState(in.Path(path));
  return state.ok() ? state->content : "";
}

Result<FileSpec> DistroFileWithLine(const PlanInput& in, const std::string& path, bool needed,
                                    const std::string& comment, const std::string& line,
                                    const std::string& missing) {
  HAI_ASSIGN_OR_RETURN(FileState state, ReadFileState(in.Path(path)));
  if (!state.exists || state.is_dir) return Status::FailedPrecondition(missing);
  std::string content = state.content;
  if (needed) {
    if (!content.empty() && content.back() != '\n') content += "\n";
    content += "\n# " + comment + "\n" + line + "\n";
  }
  return KeepMode(path, content, state);
}

Result<FileSpec> DistroFileWithoutLine(const PlanInput& in, const std::string& path,
                                       const std::string& comment, const std::string& line) {
  HAI_ASSIGN_OR_RETURN(FileState state, ReadFileState(in.Path(path)));
  if (!state.exists || state.is_dir) return FileSpec::Absent(path);  // nothing of ours there
  std::string block = "\n# " + comment + "\n" + line + "\n";
  std::string content = state.content;
  if (size_t at = content.find(block); at != std::string::npos) content.erase(at, block.size());
  return KeepMode(path, content, state);
}

}  // namespace hai::install
