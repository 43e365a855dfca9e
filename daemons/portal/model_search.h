#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "lib/base/status.h"
#include "lib/http/message.h"

namespace hai::portal {

// The plaza's list request. Lists hold the values asked for: categories,
// vendors and series match any of theirs, capabilities must all be present.
struct ModelQuery {
  std::vector<ModelCategory> categories;
  std::vector<std::string> capabilities;
  std::vector<std::string> vendors;  // case-insensitive
  std::vector<std::string> series;   // case-insensitive
  std::optional<bool> available;
  std::optional<int64_t> context_min, context_max;  // tokens, inclusive
  std::optional<double> params_min, params_max;     // billions, inclusive
  std::string q;                                    // fuzzy text
  std::string sort;  // relevance, name, params, context, updated; "" = relevance with q, else name
  bool descending = false;
  int64_t limit = 50;
  int64_t offset = 0;
};

// Query parameters → ModelQuery; a bad value is a 400 naming the parameter.
// List parameters may repeat or hold comma-separated values.
Result<ModelQuery> ParseModelQuery(const http::Request& req);

// Counts for the plaza's facets. Category and vendor count the models that
// pass every other filter (so unchosen values show what choosing them would
// give); capability counts the models that pass every filter.
struct ModelFacets {
  std::map<std::string, int64_t> category;  // every category, zero included
  std::map<std::string, int64_t> capability;
  std::map<std::string, int64_t> vendor;
};

struct ModelSearchResult {
  std::vector<const Model*> items;  // the requested page
  int64_t total = 0;                // matches before paging
  ModelFacets facets;
};

// Filters, ranks, sorts and pages `models` (already narrowed to what the
// caller may see). Pointers in the result point into `models`.
ModelSearchResult SearchModels(const std::vector<Model>& models, const ModelQuery& query);

// How well free text `q` matches a model's name, display name, series and
// vendor; nullopt when some word of `q` matches nothing. Exact and substring
// matches score above typo-tolerant ones; `fuzzy` is set when a word needed
// the edit-distance match.
struct TextMatch {
  double score = 0;
  bool fuzzy = false;
};
std::optional<TextMatch> MatchText(const Model& model, std::string_view q);

// Optimal-string-alignment distance (insertions, deletions, substitutions,
// adjacent transpositions), giving up above `bound` (returns bound + 1).
int EditDistance(std::string_view a, std::string_view b, int bound);

}  // namespace hai::portal
