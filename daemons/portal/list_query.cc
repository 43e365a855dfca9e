#include "daemons/portal/list_query.h"

#include <charconv>

namespace hai::portal {
namespace {

std::optional<int64_t> ToInt(const std::string& s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

Result<ListWindow> ParseListWindow(const http::Request& req,
                                   const std::map<std::string, std::string>& sortable,
                                   const std::string& default_sort) {
  ListWindow w;
  if (auto limit = req.Query("limit")) {
    auto v = ToInt(*limit);
    if (!v || *v < 1 || *v > 500)
      return Status::InvalidArgument("limit must be an integer from 1 to 500", "limit");
    w.limit = *v;
  }
  if (auto offset = req.Query("offset")) {
    auto v = ToInt(*offset);
    if (!v || *v < 0) return Status::InvalidArgument("offset must be a non-negative integer", "offset");
    w.offset = *v;
  }
  std::string sort = req.Query("sort").value_or(default_sort);
  bool desc = !sort.empty() && sort[0] == '-';
  std::string field = desc ? sort.substr(1) : sort;
  auto it = sortable.find(field);
  if (it == sortable.end()) {
    std::string allowed;
    for (const auto& [k, v] : sortable) allowed += (allowed.empty() ? "" : ", ") + k;
    return Status::InvalidArgument("sort must be one of: " + allowed + " (prefix - to reverse)",
                                   "sort");
  }
  w.order_by = it->second + (desc ? " DESC" : " ASC");
  return w;
}

Where& Where::And(std::string fragment, std::vector<Value> values) {
  clauses_.push_back(std::move(fragment));
  for (Value& v : values) values_.push_back(std::move(v));
  return *this;
}

Where& Where::AndIn(const std::string& expr, const std::vector<int64_t>& ids,
                   const std::string& suffix) {
  std::vector<Value> values;
  std::string in = Placeholders(ids, &values);
  return And(expr + " IN " + in + suffix, std::move(values));
}

std::string Where::Placeholders(const std::vector<int64_t>& ids, std::vector<Value>* values) {
  std::string in;
  for (int64_t id : ids) {
    in += in.empty() ? "?" : ", ?";
    values->push_back(id);
  }
  return "(" + (in.empty() ? std::string("NULL") : in) + ")";
}

std::string Where::Sql() const {
  std::string sql;
  for (const std::string& c : clauses_) sql += (sql.empty() ? " WHERE " : " AND ") + ("(" + c + ")");
  return sql;
}

int Where::Bind(store::Statement& s, int first) const {
  int pos = first;
  for (const Value& v : values_) {
    if (v.is_int) s.Bind(pos++, v.i);
    else s.Bind(pos++, v.s);
  }
  return pos;
}

Result<std::optional<int64_t>> QueryInt(const http::Request& req, const std::string& name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return std::optional<int64_t>();
  auto v = ToInt(*raw);
  if (!v) return Status::InvalidArgument(name + " must be an integer", name);
  return std::optional<int64_t>(*v);
}

Result<int64_t> PathId(const http::Request& req, const std::string& name) {
  auto v = ToInt(req.Param(name));
  if (!v || *v <= 0) return Status::NotFound("no such resource: " + req.path);
  return *v;
}

std::string ContainsPattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace hai::portal
