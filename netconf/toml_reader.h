#pragma once

#include <toml++/toml.h>

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::netconf {

// Reads one TOML table of the fabric plan into typed fields, remembering the
// first error. Every message names the file and the full dotted key
// ("node[0].npu[2].address"), which is also the Status field. Keys no read
// asked for are errors at Finish(): a typo must not silently fall back to a
// default on a fabric where every hop has to agree.
class TomlReader {
 public:
  TomlReader(const toml::table* table, std::string path, std::string source, Status* error);

  bool Has(std::string_view key) const;
  void Int(std::string_view key, int* out, int min, int max);
  void OptionalInt(std::string_view key, std::optional<int>* out, int min, int max);
  void Bool(std::string_view key, bool* out);
  void String(std::string_view key, std::string* out);
  void Strings(std::string_view key, std::vector<std::string>* out);
  void Ints(std::string_view key, std::vector<int>* out, int min, int max);
  void Ints8(std::string_view key, std::array<int, 8>* out, int min, int max);
  // Array of tables ([[node]]); empty when absent.
  std::vector<const toml::table*> Tables(std::string_view key);
  // A sub-table ([roce]); nullptr when absent.
  const toml::table* Table(std::string_view key);

  std::string Path(std::string_view key) const;
  // Records an error for `key` (the first one wins).
  void Fail(std::string_view key, const std::string& what);
  void Finish();

 private:
  const toml::node* Find(std::string_view key);

  const toml::table* table_;
  std::string path_;
  std::string source_;
  Status* error_;
  std::set<std::string, std::less<>> read_;
};

// InvalidArgument "<source>: <key>: <what>" with field <key>.
Status PlanError(const std::string& source, const std::string& key, const std::string& what);

}  // namespace hai::netconf
