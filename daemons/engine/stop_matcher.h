#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hai::engine {

// Finds stop strings in a stream of detokenised text whose pieces may split a
// stop string anywhere. Text that could still be the start of a stop string is
// held back until it is clearly not; when a stop string completes, only the
// text before it is released (plus the stop string itself when
// include_stop_str_in_output). Of several stop strings the one that starts
// first wins; at the same position the one listed first. Pieces must be whole
// UTF-8 characters (StreamDecoder's output), so byte matching never splits a
// character. Not thread-safe: one per sequence.
class StopMatcher {
 public:
  StopMatcher(std::vector<std::string> stops, bool include_stop_in_output);

  struct Outcome {
    std::string text;                 // releasable now
    std::optional<std::string> stop;  // the stop string that ended the text
  };
  // `may_stop` false (before min_tokens are out): the text passes unchecked,
  // with whatever was held back before it.
  Outcome Push(std::string_view piece, bool may_stop = true);
  // The end of the stream without a stop: whatever was held back.
  std::string Flush();

 private:
  size_t HoldBackLength(std::string_view text) const;

  std::vector<std::string> stops_;  // non-empty strings only
  bool include_stop_;
  std::string held_;
};

}  // namespace hai::engine
