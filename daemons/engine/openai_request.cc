#include "daemons/engine/openai_request.h"

#include <limits>

#include "daemons/engine/openai_fields.h"

namespace hai::engine {
namespace {

using nlohmann::json;
constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

// Fields chat and completions share: model, sampling, stop rules, streaming.
void ReadCommon(FieldReader& r, TextRequest* out) {
  std::optional<std::string> model;
  r.String("model", &model);
  out->model = model.value_or("");

  std::optional<double> d;
  r.Number("temperature", 0, 2, &out->temperature);
  r.Number("top_p", 0, 1, &out->top_p);
  if (out->top_p && *out->top_p <= 0)
    r.Fail(InvalidRequest("invalid_value", "'top_p' must be above 0, got 0", "top_p"));
  std::optional<int64_t> i;
  r.Int("top_k", -1, kIntMax, &i);
  if (i) out->top_k = static_cast<int>(*i);
  d.reset();
  r.Number("min_p", 0, 1, &d);
  if (d) out->sampling.min_p = *d;
  d.reset();
  r.Number("repetition_penalty", 0.01, 10, &d);
  if (d) out->sampling.repetition_penalty = *d;
  d.reset();
  r.Number("presence_penalty", -2, 2, &d);
  if (d) out->sampling.presence_penalty = *d;
  d.reset();
  r.Number("frequency_penalty", -2, 2, &d);
  if (d) out->sampling.frequency_penalty = *d;

  i.reset();
  r.Int("n", 1, kMaxN, &i);
  if (i) out->n = static_cast<int>(*i);
  std::optional<int64_t> max_tokens, max_completion_tokens;
  r.Int("max_tokens", 1, kIntMax, &max_tokens);
  r.Int("max_completion_tokens", 1, kIntMax, &max_completion_tokens);
  if (max_completion_tokens)
    out->max_tokens = static_cast<int>(*max_completion_tokens);
  else if (max_tokens)
    out->max_tokens = static_cast<int>(*max_tokens);
  i.reset();
  r.Int("min_tokens", 0, kIntMax, &i);
  if (i) out->sampling.min_tokens = static_cast<int>(*i);
  if (out->max_tokens && out->sampling.min_tokens > *out->max_tokens)
    r.Fail(InvalidRequest("invalid_value",
                          "'min_tokens' (" + std::to_string(out->sampling.min_tokens) +
                              ") must not exceed the maximum tokens (" +
                              std::to_string(*out->max_tokens) + ")",
                          "min_tokens"));

  std::optional<std::vector<std::string>> stop;
  r.StringOrStrings("stop", kMaxStopStrings, &stop);
  if (stop) {
    for (const auto& s : *stop)
      if (s.empty())
        r.Fail(InvalidRequest("invalid_value", "'stop' strings must not be empty", "stop"));
    out->sampling.stop = std::move(*stop);
  }
  std::optional<std::vector<int64_t>> stop_ids;
  r.IntArray("stop_token_ids", 0, kIntMax, kMaxStopTokenIds, &stop_ids);
  if (stop_ids) out->sampling.stop_token_ids.assign(stop_ids->begin(), stop_ids->end());
  i.reset();
  r.Int("seed", std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), &i);
  if (i) out->sampling.seed = static_cast<uint64_t>(*i);

  std::optional<bool> b;
  r.Bool("ignore_eos", &b);
  out->sampling.ignore_eos = b.value_or(false);
  b.reset();
  r.Bool("skip_special_tokens", &b);
  out->sampling.skip_special_tokens = b.value_or(true);
  b.reset();
  r.Bool("include_stop_str_in_output", &b);
  out->sampling.include_stop_str_in_output = b.value_or(false);
  std::optional<std::string> user;
  r.String("user", &user);  // accepted for compatibility; not used

  b.reset();
  r.Bool("stream", &b);
  out->stream = b.value_or(false);
  if (const json* options = r.Raw("stream_options")) {
    if (!options->is_object()) return r.FailType("stream_options", "an object");
    if (!out->stream)
      return r.Fail(InvalidRequest("invalid_value",
                                   "'stream_options' is only allowed when 'stream' is true",
                                   "stream_options"));
    FieldReader o(*options, "stream_options");
    std::optional<bool> usage;
    o.Bool("include_usage", &usage);
    out->include_usage = usage.value_or(false);
    if (auto e = o.Finish()) r.Fail(*e);
  }
}

// OpenAI content: a string, or an array of {"type":"text","text":…} parts.
void ReadContent(FieldReader& r, const std::string& role, std::string* out) {
  const json* content = r.Raw("content");
  if (!content) {
    if (role != "assistant") r.Require("content");
    return;
  }
  if (content->is_string()) {
    *out = content->get<std::string>();
    return;
  }
  if (!content->is_array()) return r.FailType("content", "a string or an array of content parts");
  for (size_t k = 0; k < content->size(); ++k) {
    const json& part = (*content)[k];
    std::string where = r.Param("content") + "[" + std::to_string(k) + "]";
    if (!part.is_object()) return r.FailType("content", "a string or an array of content parts");
    FieldReader p(part, where);
    p.Require("type");
    std::optional<std::string> type, text;
    p.String("type", &type);
    if (type && *type != "text")
      p.Fail(InvalidRequest("unsupported_content",
                            "content parts of type '" + *type + "' are not supported; only 'text'",
                            where + ".type"));
    p.Require("text");
    p.String("text", &text);
    if (auto e = p.Finish()) return r.Fail(*e);
    if (!out->empty()) *out += "\n";
    *out += *text;
  }
}

void ReadMessages(FieldReader& r, TextRequest* out) {
  r.Require("messages");
  const json* messages = r.Raw("messages");
  if (!messages) return;
  if (!messages->is_array()) return r.FailType("messages", "an array of messages");
  if (messages->empty())
    return r.Fail(InvalidRequest("invalid_value", "'messages' must not be empty", "messages"));
  if (messages->size() > kMaxMessages)
    return r.Fail(InvalidRequest(
        "invalid_value", "'messages' may hold at most " + std::to_string(kMaxMessages) + " items",
        "messages"));
  for (size_t k = 0; k < messages->size(); ++k) {
    const json& item = (*messages)[k];
    std::string where = "messages[" + std::to_string(k) + "]";
    if (!item.is_object())
      return r.Fail(InvalidRequest("invalid_type", "'" + where + "' must be an object", where));
    FieldReader m(item, where);
    m.Require("role");
    std::optional<std::string> role, name;
    m.String("role", &role);
    if (role && *role == "developer") role = "system";  // OpenAI's newer name for it
    if (role && *role != "system" && *role != "user" && *role != "assistant" && *role != "tool")
      m.Fail(InvalidRequest("invalid_value",
                            "'" + where +
                                ".role' must be system, developer, user, assistant "
                                "or tool, got '" +
                                *role + "'",
                            where + ".role"));
    m.String("name", &name);  // accepted; the chat formats have no place for it
    tokenizer::ChatMessage message;
    if (m.ok()) {
      message.role = *role;
      ReadContent(m, message.role, &message.content);
    }
    if (auto e = m.Finish()) return r.Fail(*e);
    out->messages.push_back(std::move(message));
  }
}

// A token-id array: every item an integer id (range checked against the
// vocabulary later).
bool ReadTokenArray(FieldReader& r, const json& array, PromptInput* out) {
  for (const auto& t : array) {
    if (!t.is_number_integer() || (t.is_number_unsigned() && t.get<uint64_t>() > kIntMax) ||
        (!t.is_number_unsigned() && (t.get<int64_t>() < 0 || t.get<int64_t>() > kIntMax))) {
      r.Fail(InvalidRequest(
          "invalid_type", "'prompt' token ids must be integers from 0, got " + t.dump(), "prompt"));
      return false;
    }
    out->tokens.push_back(static_cast<int32_t>(t.get<int64_t>()));
  }
  out->is_tokens = true;
  return true;
}

// string | [string] | [int] | [[int]]
void ReadPrompt(FieldReader& r, TextRequest* out) {
  r.Require("prompt");
  const json* prompt = r.Raw("prompt");
  if (!prompt) return;
  const char* kShape =
      "a string, an array of strings, an array of token ids or an array of "
      "token-id arrays";
  if (prompt->is_string()) {
    out->prompts.push_back({false, prompt->get<std::string>(), {}});
    return;
  }
  if (!prompt->is_array()) return r.FailType("prompt", kShape);
  if (prompt->empty())
    return r.Fail(InvalidRequest("invalid_value", "'prompt' must not be empty", "prompt"));
  if ((*prompt)[0].is_number()) {
    PromptInput input;
    if (ReadTokenArray(r, *prompt, &input)) out->prompts.push_back(std::move(input));
    return;
  }
  if (prompt->size() > kMaxPrompts)
    return r.Fail(InvalidRequest("invalid_value",
                                 "'prompt' may hold at most " + std::to_string(kMaxPrompts) +
                                     " prompts, got " + std::to_string(prompt->size()),
                                 "prompt"));
  for (const auto& item : *prompt) {
    PromptInput input;
    if (item.is_string()) {
      input.text = item.get<std::string>();
    } else if (item.is_array() && !item.empty()) {
      if (!ReadTokenArray(r, item, &input)) return;
    } else {
      return r.FailType("prompt", kShape);
    }
    out->prompts.push_back(std::move(input));
  }
}

std::optional<ApiError> CheckChoices(const TextRequest& req) {
  size_t prompts = req.chat ? 1 : req.prompts.size();
  if (prompts * static_cast<size_t>(req.n) > static_cast<size_t>(kMaxChoices))
    return InvalidRequest("invalid_value",
                          "prompts × n may be at most " + std::to_string(kMaxChoices) + ", got " +
                              std::to_string(prompts) + " × " + std::to_string(req.n),
                          "n");
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> CheckModelName(const std::string& requested, const std::string& served) {
  if (requested.empty() || requested == served) return std::nullopt;
  return InvalidRequest(
      "model_not_found",
      "The model '" + requested + "' does not exist; this engine serves '" + served + "'", "model");
}

std::optional<ApiError> ParseChatRequest(const std::string& body, TextRequest* out) {
  json doc;
  if (auto e = ParseBody(body, &doc)) return e;
  *out = TextRequest{};
  out->chat = true;
  FieldReader r(doc);
  ReadMessages(r, out);
  ReadCommon(r, out);
  std::optional<bool> logprobs;
  std::optional<int64_t> top;
  r.Bool("logprobs", &logprobs);
  r.Int("top_logprobs", 0, kMaxLogprobs, &top);
  if (top && !logprobs.value_or(false))
    r.Fail(InvalidRequest("invalid_value", "'top_logprobs' needs 'logprobs' set to true",
                          "top_logprobs"));
  if (logprobs.value_or(false)) out->logprobs = static_cast<int>(top.value_or(0));
  out->sampling.logprobs = out->logprobs;
  if (auto e = r.Finish()) return e;
  return CheckChoices(*out);
}

std::optional<ApiError> ParseCompletionRequest(const std::string& body, TextRequest* out) {
  json doc;
  if (auto e = ParseBody(body, &doc)) return e;
  *out = TextRequest{};
  FieldReader r(doc);
  ReadPrompt(r, out);
  ReadCommon(r, out);
  std::optional<int64_t> logprobs;
  r.Int("logprobs", 0, kMaxLogprobs, &logprobs);
  if (logprobs) out->logprobs = static_cast<int>(*logprobs);
  out->sampling.logprobs = out->logprobs;
  std::optional<bool> echo;
  r.Bool("echo", &echo);
  out->echo = echo.value_or(false);
  if (auto e = r.Finish()) return e;
  return CheckChoices(*out);
}

}  // namespace hai::engine
