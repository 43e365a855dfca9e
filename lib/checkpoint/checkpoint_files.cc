// tokenizer_config.json and generation_config.json: the keys the engine uses.
#include "lib/checkpoint/checkpoint_files.h"

#include <climits>
#include <nlohmann/json.hpp>

namespace hai::checkpoint {
namespace {

using nlohmann::json;

Status KeyError(const std::string& file, const std::string& key, const std::string& what) {
  return Status::InvalidArgument(file + ": '" + key + "' " + what, key);
}

// obj[key] when `obj` is an object holding a string there, else "" (json's
// value() would throw on a key of another type).
std::string StringAt(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<json> ParseObject(const std::string& text, const std::string& file) {
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded() || !object.is_object()) {
    return Status::InvalidArgument(file + ": not a JSON object");
  }
  return object;
}

// A token written as "text", as {"content": "text", …} (an AddedToken) or null.
Result<std::optional<std::string>> TokenText(const json& object, const char* key,
                                             const std::string& file) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (it->is_string()) return std::optional<std::string>(it->get<std::string>());
  if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) {
    return std::optional<std::string>((*it)["content"].get<std::string>());
  }
  return KeyError(file, key, "must be a string or an object with \"content\"");
}

// chat_template is a string, or a list of {"name", "template"} of which the
// one named "default" is the chat template.
Result<std::string> ChatTemplate(const json& object, const std::string& file) {
  auto it = object.find("chat_template");
  if (it == object.end() || it->is_null()) return std::string();
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {
    for (const json& entry : *it) {
      if (StringAt(entry, "name") == "default" && entry.contains("template") &&
          entry["template"].is_string()) {
        return entry["template"].get<std::string>();
      }
    }
    return KeyError(file, "chat_template", "has no template named \"default\"");
  }
  return KeyError(file, "chat_template", "must be a string or a list of named templates");
}

Result<std::optional<int32_t>> TokenId(const json& object, const char* key,
                                       const std::string& file) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<int32_t>();
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > INT32_MAX) {
    return KeyError(file, key, "must be a token id");
  }
  return std::optional<int32_t>(static_cast<int32_t>(it->get<int64_t>()));
}

Result<std::optional<std::vector<int32_t>>> TokenIds(const json& object, const char* key,
                                                     const std::string& file) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::vector<int32_t>>();
  if (!it->is_array()) {
    HAI_ASSIGN_OR_RETURN(std::optional<int32_t> id, TokenId(object, key, file));
    return std::optional<std::vector<int32_t>>(std::vector<int32_t>{*id});
  }
  std::vector<int32_t> ids;
  for (const json& entry : *it) {
    if (!entry.is_number_integer() || entry.get<int64_t>() < 0 ||
        entry.get<int64_t>() > INT32_MAX) {
      return KeyError(file, key, "must be a token id or a list of them");
    }
    ids.push_back(static_cast<int32_t>(entry.get<int64_t>()));
  }
  return std::optional<std::vector<int32_t>>(std::move(ids));
}

Result<std::optional<double>> Number(const json& object, const char* key, double low, double high,
                                     const std::string& file) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<double>();
  if (!it->is_number() || !(it->get<double>() >= low && it->get<double>() <= high)) {
    return KeyError(file, key,
                    "must be a number from " + json(low).dump() + " to " + json(high).dump());
  }
  return std::optional<double>(it->get<double>());
}

Result<GenerationConfigFile> ReadIds(const json& object, const std::string& file) {
  GenerationConfigFile out;
  HAI_ASSIGN_OR_RETURN(out.bos_token_id, TokenId(object, "bos_token_id", file));
  HAI_ASSIGN_OR_RETURN(out.eos_token_ids, TokenIds(object, "eos_token_id", file));
  HAI_ASSIGN_OR_RETURN(out.pad_token_id, TokenId(object, "pad_token_id", file));
  return out;
}

}  // namespace

Result<TokenizerConfigFile> ParseTokenizerConfig(const std::string& text, const std::string& file) {
  HAI_ASSIGN_OR_RETURN(json object, ParseObject(text, file));
  TokenizerConfigFile out;
  HAI_ASSIGN_OR_RETURN(out.bos_token, TokenText(object, "bos_token", file));
  HAI_ASSIGN_OR_RETURN(out.eos_token, TokenText(object, "eos_token", file));
  HAI_ASSIGN_OR_RETURN(out.pad_token, TokenText(object, "pad_token", file));
  auto add_bos = object.find("add_bos_token");
  if (add_bos != object.end() && !add_bos->is_null()) {
    if (!add_bos->is_boolean()) return KeyError(file, "add_bos_token", "must be true or false");
    out.add_bos_token = add_bos->get<bool>();
  }
  HAI_ASSIGN_OR_RETURN(out.chat_template, ChatTemplate(object, file));
  return out;
}

Result<GenerationConfigFile> ParseSpecialIds(const std::string& text, const std::string& file) {
  HAI_ASSIGN_OR_RETURN(json object, ParseObject(text, file));
  return ReadIds(object, file);
}

Result<GenerationConfigFile> ParseGenerationConfig(const std::string& text,
                                                   const std::string& file) {
  HAI_ASSIGN_OR_RETURN(json object, ParseObject(text, file));
  HAI_ASSIGN_OR_RETURN(GenerationConfigFile out, ReadIds(object, file));
  HAI_ASSIGN_OR_RETURN(out.temperature, Number(object, "temperature", 0, 100, file));
  HAI_ASSIGN_OR_RETURN(out.top_p, Number(object, "top_p", 0, 1, file));
  auto top_k = object.find("top_k");
  if (top_k != object.end() && !top_k->is_null()) {
    if (!top_k->is_number_integer() || top_k->get<int64_t>() < 0 ||
        top_k->get<int64_t>() > INT_MAX) {
      return KeyError(file, "top_k", "must be a non-negative integer");
    }
    out.top_k = static_cast<int>(top_k->get<int64_t>());
  }
  return out;
}

std::string ExtractDefaultSystem(const std::string& chat_template) {
  // Qwen's templates write the default as one string literal:
  // '<|im_start|>system\nYou are … a helpful assistant.<|im_end|>\n'. The
  // "\n" is usually the two characters of a Jinja escape, sometimes a real
  // newline. Anything that looks like Jinja between the markers means the
  // message is built from variables, and nothing is extracted.
  static const std::string kOpen = "<|im_start|>system";
  static const std::string kClose = "<|im_end|>";
  for (size_t at = chat_template.find(kOpen); at != std::string::npos;
       at = chat_template.find(kOpen, at + 1)) {
    size_t begin = at + kOpen.size();
    if (chat_template.compare(begin, 2, "\\n") == 0) {
      begin += 2;
    } else if (chat_template.compare(begin, 1, "\n") == 0) {
      begin += 1;
    } else {
      continue;
    }
    size_t end = chat_template.find(kClose, begin);
    if (end == std::string::npos) break;
    std::string text = chat_template.substr(begin, end - begin);
    if (text.find_first_of("{}'\"\\+\n") != std::string::npos) continue;
    if (text.find("You are a helpful assistant") == std::string::npos) continue;
    return text;
  }
  return "";
}

bool PostProcessorAddsBos(const std::string& tokenizer_json, const std::string& bos_token) {
  // Keep only the top-level "post_processor": the vocabulary and merges are
  // skipped while parsing instead of being built and thrown away.
  json::parser_callback_t keep = [](int depth, json::parse_event_t event, json& parsed) {
    return !(depth == 1 && event == json::parse_event_t::key && parsed != "post_processor");
  };
  json root = json::parse(tokenizer_json, keep, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return false;
  auto adds_bos = [&](const json& processor) {
    if (StringAt(processor, "type") != "TemplateProcessing") return false;
    auto single = processor.find("single");
    if (single == processor.end() || !single->is_array() || single->empty()) return false;
    const json& first = (*single)[0];
    return first.is_object() && first.contains("SpecialToken") &&
           StringAt(first["SpecialToken"], "id") == bos_token;
  };
  auto it = root.find("post_processor");
  if (it == root.end()) return false;
  if (adds_bos(*it)) return true;
  if (StringAt(*it, "type") == "Sequence" && it->contains("processors") &&
      (*it)["processors"].is_array()) {
    for (const json& processor : (*it)["processors"]) {
      if (adds_bos(processor)) return true;
    }
  }
  return false;
}

}  // namespace hai::checkpoint
