#include "lib/http/router.h"

namespace hai::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

// "{name...}": the placeholder that takes the rest of the path.
bool IsRest(const std::string& segment) {
  return segment.size() > 5 && segment.front() == '{' &&
         segment.compare(segment.size() - 4, 4, "...}") == 0;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler)});
}

bool Router::MatchPattern(const std::string& pattern, const std::string& path,
                          std::map<std::string, std::string>* params) {
  if (path.empty() || path[0] != '/') return false;
  std::vector<std::string> want = Split(pattern), got = Split(path);
  const bool rest = !want.empty() && IsRest(want.back());
  if (rest ? got.size() < want.size() : want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (rest && i + 1 == want.size()) {
      std::string tail = got[i];
      for (size_t j = i + 1; j < got.size(); ++j) tail += "/" + got[j];
      if (tail.empty()) return false;
      found[w.substr(1, w.size() - 5)] = std::move(tail);
    } else if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = got[i];
    } else if (w != got[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

Router::Match Router::Find(Request& req, const Route** route) const {
  bool path_known = false;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(r.pattern, req.path, &params)) continue;
    path_known = true;
    if (r.method != req.method) continue;
    req.path_params = std::move(params);
    req.route = r.pattern;
    *route = &r;
    return Match::kFound;
  }
  return path_known ? Match::kWrongMethod : Match::kNoPath;
}

}  // namespace hai::http
