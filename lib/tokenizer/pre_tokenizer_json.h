#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/tokenizer/pre_tokenizer.h"

namespace hai::tokenizer {

// What a tokenizer.json "pre_tokenizer" amounts to.
struct PreTokenizerSpec {
  std::vector<SplitRule> rules;
  bool byte_level = false;  // a ByteLevel step is present
  bool add_prefix_space = false;
};

// Appends the rules of `node` (one pre-tokenizer object, `where` its path) to
// `spec`: Sequence, Split (Regex or String pattern, the five behaviours as
// Hugging Face spells them, invert), ByteLevel (its GPT-2 regex when
// use_regex), Digits, Whitespace, WhitespaceSplit, BertPreTokenizer. Anything
// else is an error naming the type.
Status ParsePreTokenizer(const nlohmann::json& node, const std::string& where,
                         PreTokenizerSpec* spec);

}  // namespace hai::tokenizer
