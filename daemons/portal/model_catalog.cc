#include "daemons/portal/model_catalog.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "lib/base/random.h"
#include "lib/config/toml_parse.h"

namespace hai::portal {
namespace {

namespace fs = std::filesystem;

// Reads the keys of one catalogue file into typed values; the first problem
// (wrong type, unknown key) is kept and named with the file and key.
class EntryReader {
 public:
  EntryReader(const toml::table& table, std::string file) : table_(table), file_(std::move(file)) {}

  void Text(std::string_view key, std::string* out) {
    const toml::node* n = Find(key);
    if (!n) return;
    if (auto v = n->value<std::string>(); v && n->is_string())
      *out = *v;
    else
      Fail(key, "expected a string");
  }
  void Texts(std::string_view key, std::vector<std::string>* out) {
    const toml::node* n = Find(key);
    if (!n) return;
    const toml::array* arr = n->as_array();
    if (!arr) return Fail(key, "expected a list of strings");
    out->clear();
    for (const toml::node& item : *arr) {
      if (!item.is_string()) return Fail(key, "expected a list of strings");
      out->push_back(*item.value<std::string>());
    }
  }
  void Number(std::string_view key, std::optional<double>* out) {
    const toml::node* n = Find(key);
    if (!n) return;
    if (n->is_floating_point())
      *out = *n->value<double>();
    else if (n->is_integer())
      *out = static_cast<double>(*n->value<int64_t>());
    else
      Fail(key, "expected a number");
  }
  void Integer(std::string_view key, std::optional<int64_t>* out) {
    const toml::node* n = Find(key);
    if (!n) return;
    if (n->is_integer())
      *out = *n->value<int64_t>();
    else
      Fail(key, "expected an integer");
  }
  // The first error met, or one for the first key nobody read.
  Status Finish() const {
    if (!error_.ok()) return error_;
    for (const auto& [key, value] : table_)
      if (!read_.count(std::string(key.str())))
        return Status::InvalidArgument(file_ + ": " + std::string(key.str()) + ": unknown key",
                                       std::string(key.str()));
    return Status::Ok();
  }
  Status Required(std::string_view key) const {
    return Status::InvalidArgument(file_ + ": " + std::string(key) + ": required",
                                   std::string(key));
  }

 private:
  const toml::node* Find(std::string_view key) {
    read_.insert(std::string(key));
    return table_.get(key);
  }
  void Fail(std::string_view key, std::string_view what) {
    if (error_.ok())
      error_ = Status::InvalidArgument(file_ + ": " + std::string(key) + ": " + std::string(what),
                                       std::string(key));
  }

  const toml::table& table_;
  std::string file_;
  std::set<std::string> read_;
  Status error_;
};

// "models/<folder>": inside the data directory's models folder, one level.
Status CheckWeightsDir(const std::string& dir, const std::string& file) {
  const std::string prefix = "models/";
  std::string rest = dir.rfind(prefix, 0) == 0 ? dir.substr(prefix.size()) : "";
  Status name = CheckModelName(rest, "weights_dir");
  if (!name.ok())
    return Status::InvalidArgument(
        file +
            ": weights_dir: must be \"models/<folder>\" (a folder of letters, digits, '.', "
            "'_', '-'), got \"" +
            dir + "\"",
        "weights_dir");
  return Status::Ok();
}

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path.string() + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<CatalogEntry> ParseCatalogEntry(std::string_view text, const std::string& file) {
  HAI_ASSIGN_OR_RETURN(toml::table root, config::ParseToml(text, file));
  CatalogEntry entry;
  entry.file = file;
  entry.digest = Sha256Hex(std::string(text));
  EntryReader r(root, file);
  std::string category, source = "catalog";
  ModelFacts& f = entry.facts;
  r.Text("name", &entry.name);
  r.Text("display_name", &f.display_name);
  r.Text("category", &category);
  r.Text("source", &source);
  r.Texts("capabilities", &f.capabilities);
  r.Text("series", &f.series);
  r.Text("vendor", &f.vendor);
  r.Number("params_b", &f.params_b);
  r.Integer("context_length", &f.context_length);
  r.Text("licence", &f.licence);
  r.Text("introduction", &f.introduction);
  r.Texts("use_cases", &f.use_cases);
  r.Texts("highlights", &f.highlights);
  r.Texts("compatible_engines", &f.compatible_engines);
  r.Text("weights_dir", &entry.weights_dir);
  HAI_RETURN_IF_ERROR(r.Finish());
  if (entry.name.empty()) return r.Required("name");
  if (Status st = CheckModelName(entry.name); !st.ok())
    return Status::InvalidArgument(file + ": " + st.message(), "name");
  if (f.display_name.empty()) return r.Required("display_name");
  if (category.empty()) return r.Required("category");
  auto parsed = ParseCategory(category);
  if (!parsed)
    return Status::InvalidArgument(file + ": category: '" + category +
                                       "' is not one of text-generation, image-generation, "
                                       "speech-generation, video-generation, embedding, rerank",
                                   "category");
  f.category = *parsed;
  auto src = ParseSource(source);
  if (!src || *src == ModelSource::kImport)
    return Status::InvalidArgument(file + ": source: must be \"catalog\" or \"demo\"", "source");
  entry.source = *src;
  if (entry.source == ModelSource::kDemo && entry.weights_dir.empty())
    return Status::InvalidArgument(file + ": weights_dir: required for a demo model",
                                   "weights_dir");
  if (!entry.weights_dir.empty()) HAI_RETURN_IF_ERROR(CheckWeightsDir(entry.weights_dir, file));
  if (Status st = CheckFacts(f); !st.ok())
    return Status::InvalidArgument(file + ": " + st.message(), st.field());
  return entry;
}

Result<std::vector<CatalogEntry>> LoadCatalog(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::vector<CatalogEntry>();
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".toml") files.push_back(it->path());
  if (ec) return Status::Unavailable(dir + ": cannot list the catalogue: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<CatalogEntry> entries;
  std::map<std::string, std::string> file_of;  // lower-case name → file
  for (const fs::path& path : files) {
    HAI_ASSIGN_OR_RETURN(std::string text, ReadText(path));
    HAI_ASSIGN_OR_RETURN(CatalogEntry entry, ParseCatalogEntry(text, path.string()));
    std::string key = entry.name;
    std::transform(key.begin(), key.end(), key.begin(), ::tolower);
    if (auto [it, fresh] = file_of.emplace(key, path.string()); !fresh)
      return Status::InvalidArgument(
          path.string() + ": name: '" + entry.name + "' is already the name in " + it->second,
          "name");
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace hai::portal
