#include "lib/tokenizer/chat_template.h"

#include <gtest/gtest.h>

namespace hai::tokenizer {
namespace {

const std::vector<ChatMessage> kConversation = {
    {"system", "You are a careful assistant."},
    {"user", "Hello"},
    {"assistant", "Hi!"},
    {"user", "What is 2+2?"},
};

TEST(ChatTemplateTest, ChatMLWithGenerationPrompt) {
  EXPECT_EQ(RenderChat(ChatFormat::kChatML, kConversation, true),
            "<|im_start|>system\nYou are a careful assistant.<|im_end|>\n"
            "<|im_start|>user\nHello<|im_end|>\n"
            "<|im_start|>assistant\nHi!<|im_end|>\n"
            "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
            "<|im_start|>assistant\n");
}

TEST(ChatTemplateTest, ChatMLWithoutGenerationPromptOrSystem) {
  EXPECT_EQ(RenderChat(ChatFormat::kChatML, {{"user", "Hello"}}, false),
            "<|im_start|>user\nHello<|im_end|>\n");
  EXPECT_EQ(RenderChat(ChatFormat::kChatML, {}, true), "<|im_start|>assistant\n");
}

TEST(ChatTemplateTest, DefaultSystemOnlyWhereNoneIsGiven) {
  const std::string qwen = "You are Qwen, a helpful assistant.";
  EXPECT_EQ(RenderChat(ChatFormat::kChatML, {{"user", "Hi"}}, true, qwen),
            "<|im_start|>system\nYou are Qwen, a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(RenderChat(ChatFormat::kChatML, {{"system", "Be brief."}, {"user", "Hi"}}, false, qwen),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n");
}

TEST(ChatTemplateTest, Llama3WithGenerationPrompt) {
  EXPECT_EQ(RenderChat(ChatFormat::kLlama3, kConversation, true),
            "<|begin_of_text|>"
            "<|start_header_id|>system<|end_header_id|>\n\nYou are a careful assistant.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHi!<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(ChatTemplateTest, Llama3WithoutGenerationPromptTrimsContent) {
  EXPECT_EQ(RenderChat(ChatFormat::kLlama3, {{"user", "  Hello\n"}}, false),
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>");
}

TEST(ChatTemplateTest, FormatNames) {
  EXPECT_EQ(ChatFormatName(ChatFormat::kChatML), "chatml");
  EXPECT_EQ(ChatFormatName(ChatFormat::kLlama3), "llama3");
}

// Shaped like the templates checkpoints ship (written for this test).
constexpr const char* kQwenLikeTemplate =
    "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content "
    "+ '<|im_end|>' + '\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- "
    "'<|im_start|>assistant\\n' }}{%- endif %}";
constexpr const char* kLlamaLikeTemplate =
    "{{- bos_token }}{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + "
    "'<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}{%- if "
    "add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- "
    "endif %}";

TEST(ChatTemplateTest, DetectsByMarkers) {
  auto qwen = DetectChatFormat(kQwenLikeTemplate, "m/tokenizer_config.json");
  ASSERT_TRUE(qwen.ok());
  EXPECT_EQ(*qwen, ChatFormat::kChatML);
  auto llama = DetectChatFormat(kLlamaLikeTemplate, "m/tokenizer_config.json");
  ASSERT_TRUE(llama.ok());
  EXPECT_EQ(*llama, ChatFormat::kLlama3);
  auto none = DetectChatFormat("", "m/tokenizer_config.json");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, ChatFormat::kChatML);
}

TEST(ChatTemplateTest, UnknownTemplateNamesTheFile) {
  auto mistral = DetectChatFormat(
      "{{ bos_token }}{% for m in messages %}[INST] {{ m.content }} "
      "[/INST]{% endfor %}",
      "m/tokenizer_config.json");
  ASSERT_FALSE(mistral.ok());
  EXPECT_EQ(mistral.status().message(),
            "m/tokenizer_config.json: chat_template is neither ChatML (no <|im_start|>) nor "
            "Llama-3 (no <|start_header_id|>)");
}

}  // namespace
}  // namespace hai::tokenizer
