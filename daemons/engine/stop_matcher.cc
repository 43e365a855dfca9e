#include "daemons/engine/stop_matcher.h"

#include <algorithm>
#include <utility>

namespace hai::engine {

StopMatcher::StopMatcher(std::vector<std::string> stops, bool include_stop_in_output)
    : include_stop_(include_stop_in_output) {
  for (std::string& s : stops)
    if (!s.empty()) stops_.push_back(std::move(s));
}

StopMatcher::Outcome StopMatcher::Push(std::string_view piece, bool may_stop) {
  Outcome out;
  std::string text = std::move(held_);
  held_.clear();
  text.append(piece);
  if (!may_stop || stops_.empty()) {
    out.text = std::move(text);
    return out;
  }
  size_t best_pos = std::string::npos;
  const std::string* best = nullptr;
  for (const std::string& stop : stops_) {
    size_t pos = text.find(stop);
    if (pos < best_pos) {
      best_pos = pos;
      best = &stop;
    }
  }
  if (best != nullptr) {
    out.text = text.substr(0, best_pos);
    if (include_stop_) out.text += *best;
    out.stop = *best;
    return out;
  }
  const size_t hold = HoldBackLength(text);
  held_ = text.substr(text.size() - hold);
  text.resize(text.size() - hold);
  out.text = std::move(text);
  return out;
}

std::string StopMatcher::Flush() { return std::exchange(held_, std::string()); }

// The longest tail of `text` that some stop string begins with (shorter than
// that stop string, which would have matched whole).
size_t StopMatcher::HoldBackLength(std::string_view text) const {
  size_t longest_stop = 0;
  for (const std::string& stop : stops_) longest_stop = std::max(longest_stop, stop.size());
  for (size_t len = std::min(text.size(), longest_stop - 1); len > 0; --len) {
    std::string_view tail = text.substr(text.size() - len);
    for (const std::string& stop : stops_)
      if (stop.size() > len && std::string_view(stop).starts_with(tail)) return len;
  }
  return 0;
}

}  // namespace hai::engine
