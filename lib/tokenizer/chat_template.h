#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::tokenizer {

// The chat formats built in. A checkpoint's tokenizer_config.json
// "chat_template" (a Jinja text) is recognised by its markers; see
// docs/engine.md for how to add another.
enum class ChatFormat { kChatML, kLlama3 };
std::string_view ChatFormatName(ChatFormat format);

struct ChatMessage {
  std::string role;  // system, user, assistant, tool
  std::string content;
};

// ChatML when the template mentions <|im_start|>, Llama-3 when it mentions
// <|start_header_id|>; an error naming the file otherwise. No template at all:
// ChatML.
Result<ChatFormat> DetectChatFormat(const std::string& chat_template, const std::string& file);

// The prompt text (special tokens spelled out; encode with special = true).
// ChatML adds Qwen's default system prompt only when the checkpoint's template
// does; that choice is `default_system` ("" for none).
std::string RenderChat(ChatFormat format, const std::vector<ChatMessage>& messages,
                       bool add_generation_prompt, const std::string& default_system = "");

}  // namespace hai::tokenizer
