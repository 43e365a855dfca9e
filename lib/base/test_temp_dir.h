#pragma once

// Tests only: a fresh directory under $TMPDIR, removed with everything in it
// when the object goes.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace hai::test {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "hai-test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + ".XXXXXX")).string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }  // "" when it could not be made
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `text` to File(name) and returns that path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::string file = File(name);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    return file;
  }

 private:
  std::string path_;
};

}  // namespace hai::test
