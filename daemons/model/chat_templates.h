#pragma once

#include <string>

namespace hai::model {

// The Jinja chat templates hai-model init writes into tokenizer_config.json,
// in the forms transformers' apply_chat_template runs. Written for HAI from
// the public descriptions of the two formats.

// ChatML as Qwen2 uses it: "<|im_start|>{role}\n{content}<|im_end|>\n" per
// message, Qwen's default system message when the conversation has none, and
// "<|im_start|>assistant\n" as the generation prompt.
std::string ChatMLTemplate();

// Llama 3: BOS, then "<|start_header_id|>{role}<|end_header_id|>\n\n"
// {content, trimmed}"<|eot_id|>" per message, and an assistant header as the
// generation prompt.
std::string Llama3Template();

}  // namespace hai::model
