#include "daemons/gateway/usage_meter.h"

#include <nlohmann/json.hpp>

namespace hai::gateway {
namespace {

using nlohmann::json;

std::optional<int64_t> Count(const json& usage, const char* name) {
  auto it = usage.find(name);
  if (it == usage.end() || !it->is_number_integer() || it->get<int64_t>() < 0) return std::nullopt;
  return it->get<int64_t>();
}

// OpenAI's usage object; embeddings and rerank answers carry only part of it.
std::optional<TokenUsage> UsageFromJson(const json& usage) {
  if (!usage.is_object()) return std::nullopt;
  const auto prompt = Count(usage, "prompt_tokens");
  const auto completion = Count(usage, "completion_tokens");
  const auto total = Count(usage, "total_tokens");
  if (!prompt && !completion && !total) return std::nullopt;
  TokenUsage u;
  u.output = completion.value_or(0);
  u.input = prompt ? *prompt : std::max<int64_t>(0, total.value_or(0) - u.output);
  u.total = total.value_or(u.input + u.output);
  u.source = "engine";
  return u;
}

// The text of the object that starts at `open` (a '{'), strings skipped.
std::string_view ObjectAt(std::string_view text, size_t open) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return text.substr(open, i - open + 1);
    }
  }
  return {};
}

// Engines write `usage` last: found from the end, only that object is
// parsed, so a large answer (embeddings) is not parsed whole.
std::optional<TokenUsage> UsageNearTheEnd(std::string_view body) {
  const size_t key = body.rfind("\"usage\"");
  if (key == std::string_view::npos) return std::nullopt;
  size_t i = key + 7;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\t')) ++i;
  if (i >= body.size() || body[i] != ':') return std::nullopt;
  ++i;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\t')) ++i;
  if (i >= body.size() || body[i] != '{') return std::nullopt;
  return UsageFromJson(json::parse(ObjectAt(body, i), nullptr, false));
}

int64_t Bytes(const json& value) {
  return value.is_string() ? static_cast<int64_t>(value.get_ref<const std::string&>().size()) : 0;
}

// A prompt or input: text, texts, token ids, or lists of token ids.
void AddPrompt(const json& prompt, int64_t* bytes, int64_t* ids) {
  if (prompt.is_string()) {
    *bytes += Bytes(prompt);
  } else if (prompt.is_number_integer()) {
    ++*ids;
  } else if (prompt.is_array()) {
    for (const json& item : prompt) AddPrompt(item, bytes, ids);
  }
}

int64_t Ceil4(int64_t bytes) { return (bytes + 3) / 4; }

}  // namespace

std::optional<TokenUsage> UsageFromAnswer(std::string_view body) {
  if (auto usage = UsageNearTheEnd(body)) return usage;
  json answer = json::parse(body, nullptr, false);
  if (!answer.is_object() || !answer.contains("usage")) return std::nullopt;
  return UsageFromJson(answer["usage"]);
}

int64_t EstimateTokens(std::string_view text) { return Ceil4(static_cast<int64_t>(text.size())); }

int64_t EstimateInputTokens(std::string_view request_body) {
  json r = json::parse(request_body, nullptr, false);
  if (!r.is_object()) return 0;
  int64_t bytes = 0, ids = 0;
  if (auto messages = r.find("messages"); messages != r.end() && messages->is_array()) {
    for (const json& m : *messages) {
      if (!m.is_object() || !m.contains("content")) continue;
      const json& content = m["content"];
      bytes += Bytes(content);
      if (content.is_array())
        for (const json& part : content)
          if (part.is_object() && part.contains("text")) bytes += Bytes(part["text"]);
    }
  }
  for (const char* field : {"prompt", "input"})
    if (auto it = r.find(field); it != r.end()) AddPrompt(*it, &bytes, &ids);
  if (auto query = r.find("query"); query != r.end()) bytes += Bytes(*query);
  if (auto docs = r.find("documents"); docs != r.end() && docs->is_array()) {
    for (const json& d : *docs)
      bytes += d.is_object() && d.contains("text") ? Bytes(d["text"]) : Bytes(d);
  }
  return Ceil4(bytes) + ids;
}

std::string AnswerText(std::string_view answer_body) {
  json a = json::parse(answer_body, nullptr, false);
  std::string text;
  if (!a.is_object() || !a.contains("choices") || !a["choices"].is_array()) return text;
  auto add = [&](const json& t) {
    if (t.is_string()) text += t.get_ref<const std::string&>();
  };
  for (const json& choice : a["choices"]) {
    if (!choice.is_object()) continue;
    if (choice.contains("text")) add(choice["text"]);
    if (choice.contains("message") && choice["message"].is_object() &&
        choice["message"].contains("content"))
      add(choice["message"]["content"]);
  }
  return text;
}

int64_t EstimateOutputTokens(std::string_view answer_body) {
  return EstimateTokens(AnswerText(answer_body));
}

bool StreamUsageMeter::Feed(std::string_view piece) {
  const bool had_content = content_events_ > 0;
  size_t scan_from = pending_.empty() ? 0 : pending_.size() - 1;
  pending_.reserve(pending_.size() + piece.size());
  for (char c : piece)
    if (c != '\r') pending_.push_back(c);
  size_t start = 0;
  for (;;) {
    const size_t end = pending_.find("\n\n", scan_from);
    if (end == std::string::npos) break;
    if (!skipping_) Event(std::string_view(pending_).substr(start, end - start));
    skipping_ = false;
    start = end + 2;
    scan_from = start;
  }
  pending_.erase(0, start);
  if (pending_.size() > kMaxEventBytes) {
    // Keep the last byte: it may be the first '\n' of the event's end.
    skipping_ = true;
    pending_.erase(0, pending_.size() - 1);
  }
  return !had_content && content_events_ > 0;
}

void StreamUsageMeter::Event(std::string_view event) {
  std::string data;
  bool have_data = false;
  while (!event.empty()) {
    const size_t eol = event.find('\n');
    std::string_view line = event.substr(0, eol);
    event = eol == std::string_view::npos ? std::string_view() : event.substr(eol + 1);
    if (line.substr(0, 5) != "data:") continue;
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (have_data) data += '\n';
    data.append(line);
    have_data = true;
  }
  if (have_data) Data(data);
}

void StreamUsageMeter::Data(std::string_view data) {
  if (data == "[DONE]") return;
  json event = json::parse(data, nullptr, false);
  if (!event.is_object()) return;
  if (auto usage = event.find("usage"); usage != event.end()) {
    if (auto u = UsageFromJson(*usage)) reported_ = u;
  }
  if (auto error = event.find("error"); error != event.end() && error->is_object()) {
    const json code = error->value("code", json());
    const json type = error->value("type", json());
    error_code_ = code.is_string()   ? code.get<std::string>()
                  : type.is_string() ? type.get<std::string>()
                                     : "stream_error";
  }
  auto choices = event.find("choices");
  if (choices == event.end() || !choices->is_array()) return;
  bool counted = false;
  for (const json& choice : *choices) {
    if (!choice.is_object()) continue;
    const json* text = nullptr;
    if (auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
      if (auto content = delta->find("content"); content != delta->end()) text = &*content;
    } else if (auto t = choice.find("text"); t != choice.end()) {
      text = &*t;
    }
    if (!text || Bytes(*text) == 0) continue;
    if (!counted) ++content_events_;  // one per event, however many choices
    counted = true;
    AddContent(text->get_ref<const std::string&>());
  }
}

void StreamUsageMeter::AddContent(const std::string& text) {
  if (content_overflow_) return;
  if (content_text_.size() + text.size() > kMaxContentBytes) {
    content_overflow_ = true;
    content_text_.clear();
    content_text_.shrink_to_fit();
    return;
  }
  content_text_ += text;
}

}  // namespace hai::gateway
