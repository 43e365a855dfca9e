#pragma once

#include <string_view>

namespace hai::model {

// The text hai-model init learns its tokenizer from: a few KB of English and
// Simplified Chinese prose about clinical work and hospital administration,
// with dates, doses, room numbers and punctuation, so that the vocabulary
// holds the kinds of pieces the appliance's users type.
std::string_view TrainingCorpus();

}  // namespace hai::model
