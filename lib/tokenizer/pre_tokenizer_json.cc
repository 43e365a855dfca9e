#include "lib/tokenizer/pre_tokenizer_json.h"

#include "lib/tokenizer/json_fields.h"

namespace hai::tokenizer {
namespace {

Status AddRule(std::string_view pattern, bool literal, SplitBehavior behavior, bool invert,
               const std::string& where, PreTokenizerSpec* spec) {
  auto regex = Regex::Compile(pattern, literal);
  if (!regex.ok()) return Status::InvalidArgument(where + ": " + regex.status().message());
  spec->rules.push_back({std::move(regex).value(), behavior, invert});
  return Status::Ok();
}

Result<SplitBehavior> ParseBehavior(const std::string& name, const std::string& where) {
  if (name == "Isolated") return SplitBehavior::kIsolated;
  if (name == "Removed") return SplitBehavior::kRemoved;
  if (name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (name == "Contiguous") return SplitBehavior::kContiguous;
  return Status::InvalidArgument(where + " '" + name + "' is not a split behavior");
}

Status ParseSplit(const JsonFields& fields, PreTokenizerSpec* spec) {
  const nlohmann::json* pattern = nullptr;
  HAI_RETURN_IF_ERROR(fields.Object("pattern", &pattern, true));
  const JsonFields pattern_fields(*pattern, fields.Path("pattern"));
  std::string regex_text;
  std::string literal_text;
  HAI_RETURN_IF_ERROR(pattern_fields.String("Regex", &regex_text, false));
  HAI_RETURN_IF_ERROR(pattern_fields.String("String", &literal_text, false));
  const bool literal = pattern_fields.IsMissing("Regex");
  if (literal && pattern_fields.IsMissing("String"))
    return Status::InvalidArgument(fields.Path("pattern") + " needs Regex or String");
  std::string behavior_name;
  HAI_RETURN_IF_ERROR(fields.String("behavior", &behavior_name, true));
  HAI_ASSIGN_OR_RETURN(SplitBehavior behavior,
                       ParseBehavior(behavior_name, fields.Path("behavior")));
  bool invert = false;
  HAI_RETURN_IF_ERROR(fields.Bool("invert", &invert));
  return AddRule(literal ? literal_text : regex_text, literal, behavior, invert, fields.where(),
                 spec);
}

Status ParseByteLevel(const JsonFields& fields, PreTokenizerSpec* spec) {
  // Hugging Face's defaults when the fields are absent.
  bool add_prefix_space = true;
  bool use_regex = true;
  HAI_RETURN_IF_ERROR(fields.Bool("add_prefix_space", &add_prefix_space));
  HAI_RETURN_IF_ERROR(fields.Bool("use_regex", &use_regex));
  spec->byte_level = true;
  spec->add_prefix_space = spec->add_prefix_space || add_prefix_space;
  if (!use_regex) return Status::Ok();
  return AddRule(kGpt2Pattern, false, SplitBehavior::kIsolated, false, fields.where(), spec);
}

}  // namespace

Status ParsePreTokenizer(const nlohmann::json& node, const std::string& where,
                         PreTokenizerSpec* spec) {
  if (!node.is_object()) return Status::InvalidArgument(where + " must be an object");
  const JsonFields fields(node, where);
  std::string type;
  HAI_RETURN_IF_ERROR(fields.String("type", &type, true));
  if (type == "Sequence") {
    const nlohmann::json* steps = nullptr;
    HAI_RETURN_IF_ERROR(fields.Array("pretokenizers", &steps, true));
    for (size_t i = 0; i < steps->size(); ++i) {
      HAI_RETURN_IF_ERROR(ParsePreTokenizer(
          (*steps)[i], fields.Path("pretokenizers") + "[" + std::to_string(i) + "]", spec));
    }
    return Status::Ok();
  }
  if (type == "Split") return ParseSplit(fields, spec);
  if (type == "ByteLevel") return ParseByteLevel(fields, spec);
  if (type == "Digits") {
    bool individual = false;
    HAI_RETURN_IF_ERROR(fields.Bool("individual_digits", &individual));
    return AddRule(individual ? R"(\p{N})" : R"(\p{N}+)", false, SplitBehavior::kIsolated, false,
                   where, spec);
  }
  if (type == "Whitespace")  // keeps words and runs of other non-space characters
    return AddRule(R"(\w+|[^\w\s]+)", false, SplitBehavior::kRemoved, true, where, spec);
  if (type == "WhitespaceSplit")
    return AddRule(R"(\s+)", false, SplitBehavior::kRemoved, false, where, spec);
  if (type == "BertPreTokenizer") {  // whitespace goes, each punctuation mark alone
    HAI_RETURN_IF_ERROR(AddRule(R"(\s+)", false, SplitBehavior::kRemoved, false, where, spec));
    return AddRule(R"([\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E])", false,
                   SplitBehavior::kIsolated, false, where, spec);
  }
  return Status::InvalidArgument(where + " type '" + type + "' is not supported");
}

}  // namespace hai::tokenizer
