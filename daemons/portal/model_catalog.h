#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "lib/base/status.h"

namespace hai::portal {

// One file of the shipped catalogue (profiles/catalog/*.toml): a model's
// card facts, `available = false` until its weights are imported. The
// format is described in profiles/catalog/README.md.
struct CatalogEntry {
  std::string file;  // for messages
  std::string name;
  ModelFacts facts;
  ModelSource source = ModelSource::kCatalog;  // or kDemo
  // Where the appliance itself writes this model's weights, relative to the
  // data directory ("models/demo"); empty for models that must be imported.
  std::string weights_dir;
  std::string digest;  // SHA-256 of the file's text: a changed file updates the card
};

// Parses one entry; errors name `file` and the key ("qwen.toml: params_b: …").
Result<CatalogEntry> ParseCatalogEntry(std::string_view text, const std::string& file);

// Every *.toml of `dir` in name order (other files are ignored). A missing
// directory is an empty catalogue; any bad file, or two files with the same
// model name, is an error naming the file and the key.
Result<std::vector<CatalogEntry>> LoadCatalog(const std::string& dir);

}  // namespace hai::portal
