#include "daemons/portal/model_json.h"

#include <set>

#include "lib/base/time_format.h"

namespace hai::portal {
namespace {

using nlohmann::json;

// Typed, strict reads of one JSON object: the first wrong type is kept and
// named, and Finish() refuses fields nobody read.
class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {}

  const json* Find(const std::string& key) {
    read_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  void Text(const std::string& key, std::optional<std::string>* out) {
    const json* v = Find(key);
    if (!v) return;
    if (!v->is_string()) return Fail(key, "must be a string");
    *out = v->get<std::string>();
  }
  void Texts(const std::string& key, std::optional<std::vector<std::string>>* out) {
    const json* v = Find(key);
    if (!v) return;
    if (!v->is_array()) return Fail(key, "must be an array of strings");
    std::vector<std::string> items;
    for (const json& item : *v) {
      if (!item.is_string()) return Fail(key, "must be an array of strings");
      items.push_back(item.get<std::string>());
    }
    *out = std::move(items);
  }
  void Number(const std::string& key, std::optional<std::optional<double>>* out) {
    const json* v = Find(key);
    if (!v) return;
    if (v->is_null())
      *out = std::optional<double>();
    else if (v->is_number())
      *out = std::optional<double>(v->get<double>());
    else
      Fail(key, "must be a number or null");
  }
  void Integer(const std::string& key, std::optional<std::optional<int64_t>>* out) {
    const json* v = Find(key);
    if (!v) return;
    if (v->is_null())
      *out = std::optional<int64_t>();
    else if (v->is_number_integer())
      *out = std::optional<int64_t>(v->get<int64_t>());
    else
      Fail(key, "must be an integer or null");
  }
  void Ids(const std::string& key, std::optional<std::vector<int64_t>>* out) {
    const json* v = Find(key);
    if (!v) return;
    if (!v->is_array()) return Fail(key, "must be an array of organisation ids");
    std::vector<int64_t> ids;
    for (const json& item : *v) {
      if (!item.is_number_integer() || item.get<int64_t>() <= 0)
        return Fail(key, "must be an array of organisation ids");
      ids.push_back(item.get<int64_t>());
    }
    *out = std::move(ids);
  }
  void Fail(const std::string& key, const std::string& what) {
    if (error_.ok()) error_ = Status::InvalidArgument("field '" + key + "' " + what, key);
  }
  Status Finish() const {
    if (!error_.ok()) return error_;
    for (const auto& [key, value] : object_.items())
      if (!read_.count(key)) return Status::InvalidArgument("unknown field '" + key + "'", key);
    return Status::Ok();
  }

 private:
  const json& object_;
  std::set<std::string> read_;
  Status error_;
};

Result<json> ParseObject(const std::string& text) {
  json body = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Status::InvalidArgument("request body is not valid JSON");
  if (!body.is_object()) return Status::InvalidArgument("request body must be a JSON object");
  return body;
}

Status ReadEvaluations(FieldReader& reader, ModelPatch* p) {
  const json* v = reader.Find("evaluation_results");
  if (!v) return Status::Ok();
  const std::string field = "evaluation_results";
  if (!v->is_array())
    return Status::InvalidArgument("field '" + field + "' must be an array", field);
  std::vector<EvaluationResult> results;
  for (const json& e : *v) {
    if (!e.is_object() || !e.value("dataset", json()).is_string() ||
        !e.value("metric", json()).is_string() || !e.value("score", json()).is_number())
      return Status::InvalidArgument(
          "field '" + field + "' entries need dataset (string), metric (string), score (number)",
          field);
    EvaluationResult r{e["dataset"].get<std::string>(), e["metric"].get<std::string>(),
                       e["score"].get<double>(), std::nullopt, ""};
    if (e.contains("note")) {
      if (!e["note"].is_string())
        return Status::InvalidArgument("field '" + field + "' note must be a string", field);
      r.note = e["note"].get<std::string>();
    }
    if (e.contains("evaluated_at") && !e["evaluated_at"].is_null()) {
      auto t = e["evaluated_at"].is_string() ? ParseTime(e["evaluated_at"].get<std::string>())
                                             : std::nullopt;
      if (!t)
        return Status::InvalidArgument(
            "field '" + field + "' evaluated_at must be an ISO-8601 time", field);
      r.evaluated_at = *t;
    }
    for (const auto& [key, value] : e.items())
      if (key != "dataset" && key != "metric" && key != "score" && key != "note" &&
          key != "evaluated_at")
        return Status::InvalidArgument("field '" + field + "' entries have no '" + key + "'",
                                       field);
    results.push_back(std::move(r));
  }
  p->evaluation_results = std::move(results);
  return Status::Ok();
}

Status ReadPatchFields(FieldReader& r, ModelPatch* p) {
  std::optional<std::string> category, visibility;
  r.Text("display_name", &p->display_name);
  r.Text("category", &category);
  r.Texts("capabilities", &p->capabilities);
  r.Text("series", &p->series);
  r.Text("vendor", &p->vendor);
  r.Number("params_b", &p->params_b);
  r.Integer("context_length", &p->context_length);
  r.Text("licence", &p->licence);
  r.Text("introduction", &p->introduction);
  r.Texts("use_cases", &p->use_cases);
  r.Texts("highlights", &p->highlights);
  r.Texts("compatible_engines", &p->compatible_engines);
  r.Text("visibility", &visibility);
  r.Ids("visible_org_ids", &p->visible_org_ids);
  HAI_RETURN_IF_ERROR(ReadEvaluations(r, p));
  HAI_RETURN_IF_ERROR(r.Finish());
  if (category) {
    p->category = ParseCategory(*category);
    if (!p->category)
      return Status::InvalidArgument("category: '" + *category +
                                         "' is not one of text-generation, image-generation, "
                                         "speech-generation, video-generation, embedding, rerank",
                                     "category");
  }
  if (visibility) {
    if (*visibility != "all" && *visibility != "orgs")
      return Status::InvalidArgument("visibility: must be \"all\" or \"orgs\"", "visibility");
    p->visible_to_all = *visibility == "all";
    if (*p->visible_to_all && p->visible_org_ids && !p->visible_org_ids->empty())
      return Status::InvalidArgument("visible_org_ids: must be empty when visibility is \"all\"",
                                     "visible_org_ids");
  }
  if (p->display_name && p->display_name->empty())
    return Status::InvalidArgument("display_name: must not be empty", "display_name");
  return Status::Ok();
}

json OptNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json OptInt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

json ArtifactJson(const ModelArtifact& a, const std::string& path, bool detail) {
  json out = {{"path", path},
              {"format", a.format},
              {"model_type", a.model_type},
              {"architecture", a.architecture},
              {"total_bytes", a.total_bytes}};
  if (detail) {
    json files = json::array();
    for (const ModelFile& f : a.files)
      files.push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
    out["files"] = std::move(files);
  }
  return out;
}

}  // namespace

json ModelJson(const Model& m, const std::string& weights_path, bool detail) {
  const ModelFacts& f = m.facts;
  json evaluations = json::array();
  for (const EvaluationResult& r : m.evaluation_results)
    evaluations.push_back(
        {{"dataset", r.dataset},
         {"metric", r.metric},
         {"score", r.score},
         {"note", r.note},
         {"evaluated_at", r.evaluated_at ? json(FormatIso8601(*r.evaluated_at)) : json(nullptr)}});
  json versions = json::array();
  for (const ModelVersion& v : m.versions)
    versions.push_back({{"version", v.version},
                        {"imported_at", FormatIso8601(v.imported_at)},
                        {"total_bytes", v.total_bytes},
                        {"digest", v.digest}});
  return {
      {"id", m.id},
      {"name", m.name},
      {"display_name", f.display_name},
      {"category", CategoryName(f.category)},
      {"capabilities", f.capabilities},
      {"series", f.series},
      {"vendor", f.vendor},
      {"params_b", OptNumber(f.params_b)},
      {"context_length", OptInt(f.context_length)},
      {"licence", f.licence},
      {"introduction", f.introduction},
      {"use_cases", f.use_cases},
      {"highlights", f.highlights},
      {"evaluation_results", std::move(evaluations)},
      {"compatible_engines", f.compatible_engines},
      {"available", m.available},
      {"artifact", m.artifact ? ArtifactJson(*m.artifact, weights_path, detail) : json(nullptr)},
      {"version", m.versions.empty() ? json(nullptr) : json(m.versions.back().version)},
      {"versions", std::move(versions)},
      {"visibility", m.visible_to_all ? "all" : "orgs"},
      {"visible_org_ids", m.visible_to_all ? std::vector<int64_t>() : m.visible_org_ids},
      {"source", SourceName(m.source)},
      {"created_at", FormatIso8601(m.created_at)},
      {"updated_at", FormatIso8601(m.updated_at)}};
}

json FacetsJson(const ModelFacets& facets) {
  return {
      {"category", facets.category}, {"capability", facets.capability}, {"vendor", facets.vendor}};
}

Result<ModelPatch> ParseModelPatch(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(json body, ParseObject(text));
  FieldReader r(body);
  ModelPatch patch;
  HAI_RETURN_IF_ERROR(ReadPatchFields(r, &patch));
  return patch;
}

Result<ImportBody> ParseImportBody(const std::string& text) {
  HAI_ASSIGN_OR_RETURN(json body, ParseObject(text));
  FieldReader r(body);
  ImportBody out;
  std::optional<std::string> path, name, version;
  r.Text("path", &path);
  r.Text("name", &name);
  r.Text("version", &version);
  HAI_RETURN_IF_ERROR(ReadPatchFields(r, &out.request.patch));
  if (!path) return Status::InvalidArgument("field 'path' is required", "path");
  out.path = *path;
  out.request.name = name.value_or("");
  out.request.version = version.value_or("");
  return out;
}

}  // namespace hai::portal
