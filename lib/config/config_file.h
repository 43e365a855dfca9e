#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace hai::config {

// sysexits.h EX_CONFIG: what every daemon exits with on a bad configuration.
inline constexpr int kExitConfig = 78;

// Reads one [section] of a TOML file into typed fields. Absent keys leave the
// field at its documented default; a key of the wrong type or range, or one
// the section does not know, is an error that names the file and the key.
class Section {
 public:
  Section(const toml::table* table, std::string name, std::string file);

  void Read(std::string_view key, std::string* out);
  void Read(std::string_view key, bool* out);
  void Read(std::string_view key, int64_t* out, int64_t min, int64_t max);
  void Read(std::string_view key, int* out, int min, int max);
  void Read(std::string_view key, std::vector<std::string>* out);

  // The first error met, or an error for the first key no Read() asked for.
  Status Finish() const;

 private:
  const void* Find(std::string_view key);
  void Fail(std::string_view key, std::string_view what);

  const toml::table* table_;
  std::string name_;
  std::string file_;
  std::set<std::string, std::less<>> read_;
  Status error_;
};

// A parsed configuration file. Not thread-safe; used once at start.
class File {
 public:
  static Result<File> Load(const std::string& path);
  static Result<File> Parse(std::string_view text, std::string source_name);

  File(File&&) noexcept;
  File& operator=(File&&) noexcept;
  ~File();

  Section Get(std::string_view section) const;
  // An error naming the first top-level table not in `known`.
  Status CheckSections(const std::vector<std::string_view>& known) const;
  const std::string& source() const { return source_; }

 private:
  File();
  std::unique_ptr<toml::table> root_;
  std::string source_;
};

// Every top-level table the appliance's hai.toml may hold; a daemon ignores
// the others' tables but still rejects names nobody knows (typos).
const std::vector<std::string_view>& KnownSections();

}  // namespace hai::config
