#include "lib/tokenizer/chat_template.h"

namespace hai::tokenizer {
namespace {

constexpr std::string_view kChatMLMarker = "<|im_start|>";
constexpr std::string_view kLlama3Marker = "<|start_header_id|>";

// Llama-3's own template trims each message's content; so do we.
std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

void RenderChatML(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                  std::string* out) {
  for (const ChatMessage& m : messages) {
    out->append("<|im_start|>").append(m.role).append("\n");
    out->append(m.content).append("<|im_end|>\n");
  }
  if (add_generation_prompt) out->append("<|im_start|>assistant\n");
}

void RenderLlama3(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                  std::string* out) {
  out->append("<|begin_of_text|>");
  for (const ChatMessage& m : messages) {
    out->append("<|start_header_id|>").append(m.role).append("<|end_header_id|>\n\n");
    out->append(Trim(m.content)).append("<|eot_id|>");
  }
  if (add_generation_prompt) out->append("<|start_header_id|>assistant<|end_header_id|>\n\n");
}

}  // namespace

std::string_view ChatFormatName(ChatFormat format) {
  switch (format) {
    case ChatFormat::kChatML:
      return "chatml";
    case ChatFormat::kLlama3:
      return "llama3";
  }
  return "unknown";
}

Result<ChatFormat> DetectChatFormat(const std::string& chat_template, const std::string& file) {
  if (chat_template.empty()) return ChatFormat::kChatML;
  if (chat_template.find(kChatMLMarker) != std::string::npos) return ChatFormat::kChatML;
  if (chat_template.find(kLlama3Marker) != std::string::npos) return ChatFormat::kLlama3;
  return Status::InvalidArgument(file + ": chat_template is neither ChatML (no " +
                                 std::string(kChatMLMarker) + ") nor Llama-3 (no " +
                                 std::string(kLlama3Marker) + ")");
}

std::string RenderChat(ChatFormat format, const std::vector<ChatMessage>& messages,
                       bool add_generation_prompt, const std::string& default_system) {
  // The checkpoint's default system prompt stands in only where the
  // conversation brings none of its own.
  std::vector<ChatMessage> with_system;
  const std::vector<ChatMessage>* conversation = &messages;
  if (!default_system.empty() && (messages.empty() || messages.front().role != "system")) {
    with_system.reserve(messages.size() + 1);
    with_system.push_back({"system", default_system});
    with_system.insert(with_system.end(), messages.begin(), messages.end());
    conversation = &with_system;
  }
  std::string out;
  switch (format) {
    case ChatFormat::kChatML:
      RenderChatML(*conversation, add_generation_prompt, &out);
      break;
    case ChatFormat::kLlama3:
      RenderLlama3(*conversation, add_generation_prompt, &out);
      break;
  }
  return out;
}

}  // namespace hai::tokenizer
