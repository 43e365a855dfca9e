// The plaza's search: a registry holds hundreds of models at most, so the
// visible ones are filtered, ranked and counted in memory rather than in SQL.
#include "daemons/portal/model_search.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "daemons/portal/list_query.h"

namespace hai::portal {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Letters, digits and any non-ASCII byte (so CJK words are words too).
bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

std::vector<std::string> Runs(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : text) {
    if (IsWordByte(c)) {
      cur += static_cast<char>(c);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string Compact(std::string_view text) {
  std::string out;
  for (unsigned char c : text)
    if (IsWordByte(c)) out += static_cast<char>(c);
  return out;
}

// A run and its letter/digit pieces: "qwen2" gives "qwen2", "qwen", "2".
void AddTokens(const std::string& run, std::set<std::string>* tokens) {
  tokens->insert(run);
  size_t start = 0;
  for (size_t i = 1; i <= run.size(); ++i) {
    if (i == run.size() || IsDigit(run[i]) != IsDigit(run[i - 1])) {
      if (start > 0 || i < run.size()) tokens->insert(run.substr(start, i - start));
      start = i;
    }
  }
}

// How many edits a word of this length may be off: none for one or two
// characters, one up to six, two beyond.
int AllowedEdits(size_t length) { return length <= 2 ? 0 : length <= 6 ? 1 : 2; }

struct Haystack {
  std::vector<std::string> fields;   // lower-case
  std::vector<std::string> compact;  // lower-case, word bytes only
  std::set<std::string> tokens;
  std::set<std::string> leading;  // tokens of each field's first word: "qwen" of Qwen2.5-7B
};

Haystack HaystackOf(const Model& m) {
  Haystack h;
  for (const std::string* field :
       {&m.name, &m.facts.display_name, &m.facts.series, &m.facts.vendor}) {
    if (field->empty()) continue;
    h.fields.push_back(Lower(*field));
    h.compact.push_back(Compact(h.fields.back()));
    std::vector<std::string> runs = Runs(h.fields.back());
    for (const std::string& run : runs) AddTokens(run, &h.tokens);
    if (!runs.empty()) AddTokens(runs[0], &h.leading);
  }
  return h;
}

// Best score of one word of the query against the tokens: 2 for a token it
// begins, less for a near miss; nullopt for none. A match on a field's first
// word (the family in "DeepSeek-R1-Distill-Qwen-7B") ranks a little higher.
std::optional<double> MatchRun(const std::string& run, const Haystack& h, bool* fuzzy) {
  std::optional<double> best_score;
  auto offer = [&](const std::string& token, double score) {
    if (h.leading.count(token)) score += 0.5;
    if (!best_score || score > *best_score) best_score = score;
  };
  for (const std::string& token : h.tokens)
    if (token.rfind(run, 0) == 0) offer(token, 2.0);
  if (best_score) return best_score;
  const int bound = AllowedEdits(run.size());
  if (bound == 0) return std::nullopt;
  for (const std::string& token : h.tokens) {
    // Short words must at least begin right: "glm" must not find "gem".
    if (run.size() <= 4 && token[0] != run[0]) continue;
    int best = bound + 1;
    for (size_t len = run.size() > 1 ? run.size() - 1 : 1; len <= run.size() + 1; ++len) {
      if (len > token.size()) break;
      best = std::min(best, EditDistance(run, std::string_view(token).substr(0, len), bound));
    }
    if (best <= bound) offer(token, 1.0 - 0.25 * best);
  }
  if (best_score) *fuzzy = true;
  return best_score;
}

std::optional<double> MatchTerm(const std::string& term, const Haystack& h, bool* fuzzy) {
  for (const std::string& field : h.fields) {
    size_t at = field.find(term);
    if (at == std::string::npos) continue;
    bool word_start = at == 0 || !IsWordByte(static_cast<unsigned char>(field[at - 1]));
    return word_start ? 3.0 : 2.0;
  }
  const std::string compact = Compact(term);
  if (!compact.empty())
    for (const std::string& field : h.compact)
      if (field.find(compact) != std::string::npos) return 2.0;
  std::vector<std::string> runs = Runs(term);
  if (runs.empty()) return std::nullopt;
  double total = 0;
  for (const std::string& run : runs) {
    auto score = MatchRun(run, h, fuzzy);
    if (!score) return std::nullopt;
    total += *score;
  }
  return total / static_cast<double>(runs.size());
}

std::vector<std::string> ListParam(const http::Request& req, const std::string& name) {
  std::vector<std::string> out;
  auto [begin, end] = req.query.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    std::string item;
    for (size_t i = 0; i <= it->second.size(); ++i) {
      if (i == it->second.size() || it->second[i] == ',') {
        size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
        if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
        item.clear();
      } else {
        item += it->second[i];
      }
    }
  }
  return out;
}

Result<std::optional<double>> QueryNumber(const http::Request& req, const std::string& name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return std::optional<double>();
  double v = 0;
  auto [p, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc() || p != raw->data() + raw->size() || v < 0)
    return Status::InvalidArgument(name + " must be a non-negative number", name);
  return std::optional<double>(v);
}

Result<std::optional<int64_t>> QueryCount(const http::Request& req, const std::string& name) {
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> v, QueryInt(req, name));
  if (v && *v < 0) return Status::InvalidArgument(name + " must not be negative", name);
  return v;
}

Status ParseFilters(const http::Request& req, ModelQuery* q) {
  for (const std::string& c : ListParam(req, "category")) {
    auto cat = ParseCategory(c);
    if (!cat)
      return Status::InvalidArgument("category '" + c +
                                         "' is not one of text-generation, image-generation, "
                                         "speech-generation, video-generation, embedding, rerank",
                                     "category");
    q->categories.push_back(*cat);
  }
  for (const std::string& c : ListParam(req, "capability")) {
    if (!IsKnownCapability(c))
      return Status::InvalidArgument("capability '" + c + "' is not a known capability",
                                     "capability");
    q->capabilities.push_back(c);
  }
  for (const std::string& v : ListParam(req, "vendor")) q->vendors.push_back(Lower(v));
  for (const std::string& s : ListParam(req, "series")) q->series.push_back(Lower(s));
  if (auto a = req.Query("available"); a && !a->empty()) {
    if (*a != "true" && *a != "false")
      return Status::InvalidArgument("available must be true or false", "available");
    q->available = *a == "true";
  }
  HAI_ASSIGN_OR_RETURN(q->context_min, QueryCount(req, "context_min"));
  HAI_ASSIGN_OR_RETURN(q->context_max, QueryCount(req, "context_max"));
  if (q->context_min && q->context_max && *q->context_min > *q->context_max)
    return Status::InvalidArgument("context_max is below context_min", "context_max");
  HAI_ASSIGN_OR_RETURN(q->params_min, QueryNumber(req, "params_min"));
  HAI_ASSIGN_OR_RETURN(q->params_max, QueryNumber(req, "params_max"));
  if (q->params_min && q->params_max && *q->params_min > *q->params_max)
    return Status::InvalidArgument("params_max is below params_min", "params_max");
  return Status::Ok();
}

Status ParseWindow(const http::Request& req, ModelQuery* q) {
  q->q = req.Query("q").value_or("");
  if (q->q.size() > 200) return Status::InvalidArgument("q must be at most 200 characters", "q");
  std::string sort = req.Query("sort").value_or("");
  q->descending = !sort.empty() && sort[0] == '-';
  q->sort = q->descending ? sort.substr(1) : sort;
  static const std::set<std::string> kSorts = {"",       "relevance", "name",
                                               "params", "context",   "updated"};
  if (!kSorts.count(q->sort) || (q->descending && q->sort.empty()))
    return Status::InvalidArgument(
        "sort must be one of: relevance, name, params, context, updated (prefix - to reverse)",
        "sort");
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt(req, "limit"));
  if (limit && (*limit < 1 || *limit > 500))
    return Status::InvalidArgument("limit must be an integer from 1 to 500", "limit");
  HAI_ASSIGN_OR_RETURN(std::optional<int64_t> offset, QueryInt(req, "offset"));
  if (offset && *offset < 0)
    return Status::InvalidArgument("offset must be a non-negative integer", "offset");
  q->limit = limit.value_or(50);
  q->offset = offset.value_or(0);
  return Status::Ok();
}

bool HasAll(const std::vector<std::string>& have, const std::vector<std::string>& want) {
  for (const std::string& w : want)
    if (std::find(have.begin(), have.end(), w) == have.end()) return false;
  return true;
}

// The filters other than category and vendor.
bool PassesOthers(const Model& m, const ModelQuery& q) {
  const ModelFacts& f = m.facts;
  if (!HasAll(f.capabilities, q.capabilities)) return false;
  if (!q.series.empty() &&
      std::find(q.series.begin(), q.series.end(), Lower(f.series)) == q.series.end())
    return false;
  if (q.available && m.available != *q.available) return false;
  if ((q.context_min || q.context_max) && !f.context_length) return false;
  if (q.context_min && *f.context_length < *q.context_min) return false;
  if (q.context_max && *f.context_length > *q.context_max) return false;
  if ((q.params_min || q.params_max) && !f.params_b) return false;
  if (q.params_min && *f.params_b < *q.params_min) return false;
  if (q.params_max && *f.params_b > *q.params_max) return false;
  return true;
}

bool PassesCategory(const Model& m, const ModelQuery& q) {
  return q.categories.empty() || std::find(q.categories.begin(), q.categories.end(),
                                           m.facts.category) != q.categories.end();
}

bool PassesVendor(const Model& m, const ModelQuery& q) {
  return q.vendors.empty() ||
         std::find(q.vendors.begin(), q.vendors.end(), Lower(m.facts.vendor)) != q.vendors.end();
}

struct Hit {
  const Model* model;
  double score;
};

// Orders hits by the requested field; unknown numbers sort last either way.
void SortHits(std::vector<Hit>* hits, const ModelQuery& q) {
  const std::string field = q.sort.empty() ? (q.q.empty() ? "name" : "relevance") : q.sort;
  const bool desc = q.descending;
  auto by_name = [](const Hit& a, const Hit& b) {
    std::string x = Lower(a.model->name), y = Lower(b.model->name);
    return x != y ? x < y : a.model->id < b.model->id;
  };
  auto optional_order = [&](const auto& x, const auto& y, const Hit& a, const Hit& b) {
    if (x.has_value() != y.has_value()) return x.has_value();
    if (!x || *x == *y) return by_name(a, b);
    return desc ? *x > *y : *x < *y;
  };
  std::stable_sort(hits->begin(), hits->end(), [&](const Hit& a, const Hit& b) {
    if (field == "relevance") {
      if (a.score != b.score) return desc ? a.score < b.score : a.score > b.score;
      return by_name(a, b);
    }
    if (field == "params")
      return optional_order(a.model->facts.params_b, b.model->facts.params_b, a, b);
    if (field == "context")
      return optional_order(a.model->facts.context_length, b.model->facts.context_length, a, b);
    if (field == "updated") {
      if (a.model->updated_at != b.model->updated_at)
        return desc ? a.model->updated_at > b.model->updated_at
                    : a.model->updated_at < b.model->updated_at;
      return by_name(a, b);
    }
    return desc ? by_name(b, a) : by_name(a, b);
  });
}

// The models the text selects, with their scores: the exact and substring
// matches when there are any, else the typo-tolerant ones.
std::vector<Hit> TextHits(const std::vector<Model>& models, const std::string& q) {
  std::vector<Hit> exact, fuzzy;
  for (const Model& m : models) {
    if (q.empty()) {
      exact.push_back({&m, 0});
      continue;
    }
    auto match = MatchText(m, q);
    if (!match) continue;
    (match->fuzzy ? fuzzy : exact).push_back({&m, match->score});
  }
  return exact.empty() ? fuzzy : exact;
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b, int bound) {
  const size_t n = a.size(), m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > bound) return bound + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    int row_min = bound + 1;
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > bound) return bound + 1;
  }
  return std::min(d[n][m], bound + 1);
}

std::optional<TextMatch> MatchText(const Model& model, std::string_view q) {
  const Haystack h = HaystackOf(model);
  const std::string query = Lower(q);
  TextMatch match;
  size_t terms = 0;
  for (size_t i = 0; i < query.size();) {
    size_t j = query.find(' ', i);
    if (j == std::string::npos) j = query.size();
    std::string term = query.substr(i, j - i);
    i = j + 1;
    if (term.empty()) continue;
    ++terms;
    auto score = MatchTerm(term, h, &match.fuzzy);
    if (!score) return std::nullopt;
    match.score += *score;
  }
  if (terms == 0) return std::nullopt;
  if (query == Lower(model.name) || query == Lower(model.facts.display_name)) match.score += 2;
  return match;
}

Result<ModelQuery> ParseModelQuery(const http::Request& req) {
  ModelQuery q;
  HAI_RETURN_IF_ERROR(ParseFilters(req, &q));
  HAI_RETURN_IF_ERROR(ParseWindow(req, &q));
  return q;
}

ModelSearchResult SearchModels(const std::vector<Model>& models, const ModelQuery& query) {
  ModelSearchResult result;
  for (ModelCategory c : AllCategories()) result.facets.category[std::string(CategoryName(c))] = 0;
  std::vector<Hit> hits;
  for (const Hit& hit : TextHits(models, query.q)) {
    const Model& m = *hit.model;
    const bool others = PassesOthers(m, query), category = PassesCategory(m, query),
               vendor = PassesVendor(m, query);
    if (others && vendor) ++result.facets.category[std::string(CategoryName(m.facts.category))];
    if (others && category && !m.facts.vendor.empty()) ++result.facets.vendor[m.facts.vendor];
    if (!(others && category && vendor)) continue;
    for (const std::string& cap : m.facts.capabilities) ++result.facets.capability[cap];
    hits.push_back(hit);
  }
  SortHits(&hits, query);
  result.total = static_cast<int64_t>(hits.size());
  for (size_t i = static_cast<size_t>(query.offset);
       i < hits.size() && result.items.size() < static_cast<size_t>(query.limit); ++i)
    result.items.push_back(hits[i].model);
  return result;
}

}  // namespace hai::portal
