#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/base/status.h"

namespace hai::tokenizer {

// A compiled PCRE2 pattern in UTF mode with Unicode classes (PCRE2_UCP), so
// \p{L}, \p{N} and \s mean what the Hugging Face tokenizers mean by them. JIT
// compiled where the platform has it. Immutable and shareable across threads:
// each FindAll() call brings its own match data.
class Regex {
 public:
  struct Match {
    size_t begin;
    size_t end;
  };

  // `literal`: the pattern is a plain string to find, not a regular expression.
  static Result<std::unique_ptr<Regex>> Compile(std::string_view pattern, bool literal = false);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Every non-overlapping, non-empty match in `text`, left to right. `text`
  // must be valid UTF-8 (the caller checked; PCRE2 does not check again).
  // A match that PCRE2 cannot finish (a resource limit) ends the search: the
  // rest of the text is then left unmatched, never dropped.
  std::vector<Match> FindAll(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Code;
  Regex(std::string pattern, std::unique_ptr<Code> code);
  std::string pattern_;
  std::unique_ptr<Code> code_;
};

}  // namespace hai::tokenizer
