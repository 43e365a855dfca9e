#include "daemons/gateway/model_tokenizer.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "lib/checkpoint/checkpoint_files.h"

namespace hai::gateway {
namespace {

using nlohmann::json;

// OpenAI content: a string, or text parts joined by newlines (as the engine
// joins them).
std::string Content(const json& message) {
  auto content = message.find("content");
  if (content == message.end()) return "";
  if (content->is_string()) return content->get<std::string>();
  std::string out;
  if (!content->is_array()) return out;
  for (const json& part : *content) {
    if (!part.is_object()) continue;
    auto text = part.find("text");
    if (text == part.end() || !text->is_string()) continue;
    if (!out.empty()) out += "\n";
    out += text->get<std::string>();
  }
  return out;
}

std::vector<tokenizer::ChatMessage> Messages(const json& messages) {
  std::vector<tokenizer::ChatMessage> out;
  for (const json& m : messages) {
    if (!m.is_object()) continue;
    tokenizer::ChatMessage message;
    message.role = m.value("role", json()).is_string() ? m["role"].get<std::string>() : "";
    if (message.role == "developer") message.role = "system";  // as the engine reads it
    message.content = Content(m);
    out.push_back(std::move(message));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<ModelTokenizer>> ModelTokenizer::Load(const std::string& tokenizer_json,
                                                             const std::string& config_json,
                                                             const std::string& what) {
  std::unique_ptr<ModelTokenizer> out(new ModelTokenizer());
  HAI_ASSIGN_OR_RETURN(out->tokenizer_,
                       tokenizer::Tokenizer::FromJson(tokenizer_json, what + "/tokenizer.json"));
  checkpoint::TokenizerConfigFile config;
  if (!config_json.empty()) {
    HAI_ASSIGN_OR_RETURN(
        config, checkpoint::ParseTokenizerConfig(config_json, what + "/tokenizer_config.json"));
  }
  // A template of another kind leaves chat uncounted here; the rest still is.
  Result<tokenizer::ChatFormat> format =
      tokenizer::DetectChatFormat(config.chat_template, what + "/tokenizer_config.json");
  if (format.ok()) {
    out->chat_ = *format;
    if (*format == tokenizer::ChatFormat::kChatML)
      out->default_system_ = checkpoint::ExtractDefaultSystem(config.chat_template);
  }
  // The engine's rule (lib/checkpoint): add_bos_token when given, else what
  // tokenizer.json's post-processor does.
  std::optional<int32_t> bos =
      config.bos_token ? out->tokenizer_->TokenId(*config.bos_token) : std::nullopt;
  const bool add_bos =
      config.add_bos_token
          ? *config.add_bos_token
          : config.bos_token && checkpoint::PostProcessorAddsBos(tokenizer_json, *config.bos_token);
  if (add_bos && bos) out->bos_ = bos;
  return out;
}

int64_t ModelTokenizer::Prompt(std::string_view text) const {
  const std::vector<int32_t> ids = tokenizer_->Encode(text, /*special=*/true);
  return static_cast<int64_t>(ids.size()) + (bos_ && (ids.empty() || ids.front() != *bos_));
}

int64_t ModelTokenizer::TextTokens(std::string_view text) const {
  return static_cast<int64_t>(tokenizer_->Encode(text, /*special=*/false).size());
}

std::optional<int64_t> ModelTokenizer::InputTokens(std::string_view request_body) const {
  const json r = json::parse(request_body, nullptr, false);
  if (!r.is_object()) return std::nullopt;
  if (auto messages = r.find("messages"); messages != r.end() && messages->is_array()) {
    if (!chat_) return std::nullopt;
    return Prompt(tokenizer::RenderChat(*chat_, Messages(*messages),
                                        /*add_generation_prompt=*/true, default_system_));
  }
  int64_t n = 0;
  // A prompt: text, texts, token ids, or lists of token ids.
  auto add = [&](const json& prompt) {
    if (prompt.is_string()) {
      n += Prompt(prompt.get_ref<const std::string&>());
    } else if (prompt.is_array() && !prompt.empty() && prompt[0].is_number_integer()) {
      n += static_cast<int64_t>(prompt.size()) + (bos_ && prompt[0] != *bos_);
    } else if (prompt.is_array()) {
      for (const json& item : prompt) {
        if (item.is_string())
          n += Prompt(item.get_ref<const std::string&>());
        else if (item.is_array() && !item.empty())
          n += static_cast<int64_t>(item.size()) + (bos_ && item[0] != *bos_);
      }
    }
  };
  for (const char* field : {"prompt", "input"})
    if (auto it = r.find(field); it != r.end()) add(*it);
  if (auto query = r.find("query"); query != r.end()) add(*query);
  if (auto docs = r.find("documents"); docs != r.end() && docs->is_array()) {
    for (const json& d : *docs) add(d.is_object() && d.contains("text") ? d["text"] : d);
  }
  return n;
}

}  // namespace hai::gateway
