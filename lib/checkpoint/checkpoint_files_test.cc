#include "lib/checkpoint/checkpoint_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hai::checkpoint {
namespace {

using ::testing::HasSubstr;

TEST(TokenizerConfigTest, TokensAsTextOrAddedTokenObjects) {
  auto c = ParseTokenizerConfig(
      R"({"bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false},
          "eos_token": "</s>", "pad_token": null, "add_bos_token": true,
          "chat_template": "{{ messages }}"})",
      "tokenizer_config.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->bos_token, "<s>");
  EXPECT_EQ(c->eos_token, "</s>");
  EXPECT_FALSE(c->pad_token.has_value());
  EXPECT_EQ(c->add_bos_token, true);
  EXPECT_EQ(c->chat_template, "{{ messages }}");

  auto empty = ParseTokenizerConfig("{}", "tokenizer_config.json");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->bos_token.has_value());
  EXPECT_FALSE(empty->add_bos_token.has_value());
  EXPECT_EQ(empty->chat_template, "");
}

TEST(TokenizerConfigTest, NamedTemplates) {
  auto c = ParseTokenizerConfig(
      R"({"chat_template": [{"name": "tool_use", "template": "T"},
                            {"name": "default", "template": "D"}]})",
      "t.json");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->chat_template, "D");
  auto none =
      ParseTokenizerConfig(R"({"chat_template": [{"name": "rag", "template": "R"}]})", "t.json");
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(), HasSubstr("no template named \"default\""));
}

TEST(TokenizerConfigTest, ErrorsNameFileAndKey) {
  auto bad_token = ParseTokenizerConfig(R"({"eos_token": 2})", "/m/tokenizer_config.json");
  ASSERT_FALSE(bad_token.ok());
  EXPECT_THAT(bad_token.status().message(), HasSubstr("/m/tokenizer_config.json: 'eos_token'"));
  auto bad_bool = ParseTokenizerConfig(R"({"add_bos_token": "yes"})", "t.json");
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_THAT(bad_bool.status().message(), HasSubstr("'add_bos_token'"));
  auto bad_template = ParseTokenizerConfig(R"({"chat_template": 7})", "t.json");
  EXPECT_FALSE(bad_template.ok());
  auto not_json = ParseTokenizerConfig("{", "t.json");
  ASSERT_FALSE(not_json.ok());
  EXPECT_THAT(not_json.status().message(), HasSubstr("t.json: not a JSON object"));
}

TEST(GenerationConfigTest, IdsAndSampling) {
  auto g = ParseGenerationConfig(
      R"({"bos_token_id": 1, "eos_token_id": [7, 2], "pad_token_id": 0, "do_sample": true,
          "temperature": 0.7, "top_p": 0.8, "top_k": 20, "repetition_penalty": 1.05})",
      "generation_config.json");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->bos_token_id, 1);
  EXPECT_EQ(g->eos_token_ids, (std::vector<int32_t>{7, 2}));
  EXPECT_EQ(g->pad_token_id, 0);
  EXPECT_EQ(g->temperature, 0.7);
  EXPECT_EQ(g->top_p, 0.8);
  EXPECT_EQ(g->top_k, 20);

  auto single = ParseGenerationConfig(R"({"eos_token_id": 2, "pad_token_id": null})", "g.json");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->eos_token_ids, std::vector<int32_t>{2});
  EXPECT_FALSE(single->pad_token_id.has_value());
  EXPECT_FALSE(single->temperature.has_value());
}

TEST(GenerationConfigTest, ErrorsNameFileAndKey) {
  for (const char* text :
       {R"({"eos_token_id": "x"})", R"({"eos_token_id": [1, -2]})", R"({"bos_token_id": 1.5})",
        R"({"top_p": 2})", R"({"temperature": -1})", R"({"top_k": -1})"}) {
    auto g = ParseGenerationConfig(text, "/m/generation_config.json");
    ASSERT_FALSE(g.ok()) << text;
    EXPECT_THAT(g.status().message(), HasSubstr("/m/generation_config.json: '")) << text;
  }
}

TEST(GenerationConfigTest, SpecialIdsIgnoreOtherKeys) {
  // config.json's leftovers (old transformers wrote sampling defaults there)
  // are not ours to judge.
  auto ids =
      ParseSpecialIds(R"({"eos_token_id": 2, "top_p": 7, "temperature": "hot"})", "config.json");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_EQ(ids->eos_token_ids, std::vector<int32_t>{2});
}

TEST(DefaultSystemTest, Qwen2Template) {
  const std::string qwen2 =
      "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
      "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
      "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
      "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  EXPECT_EQ(ExtractDefaultSystem(qwen2), "You are a helpful assistant.");
}

TEST(DefaultSystemTest, Qwen25TemplateWithToolsBranch) {
  const std::string qwen25 =
      "{%- if tools %}{{- '<|im_start|>system\\n' }}{%- if messages[0]['role'] == 'system' %}"
      "{{- messages[0]['content'] }}{%- else %}{{- 'You are Qwen, created by Alibaba Cloud. "
      "You are a helpful assistant.' }}{%- endif %}{{- '<|im_end|>\\n' }}{%- else %}"
      "{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\\n' + "
      "messages[0]['content'] + '<|im_end|>\\n' }}{%- else %}{{- '<|im_start|>system\\nYou are "
      "Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}"
      "{%- endif %}";
  EXPECT_EQ(ExtractDefaultSystem(qwen25),
            "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.");
}

TEST(DefaultSystemTest, RealNewlineAndAbsentDefaults) {
  EXPECT_EQ(ExtractDefaultSystem("<|im_start|>system\nYou are a helpful assistant.<|im_end|>"),
            "You are a helpful assistant.");
  // ChatML without a default system message (e.g. a plain ChatML template).
  EXPECT_EQ(ExtractDefaultSystem("{% for message in messages %}{{'<|im_start|>' + "
                                 "message['role'] + '\\n' + message['content'] + "
                                 "'<|im_end|>\\n'}}{% endfor %}"),
            "");
  // A default that is not Qwen's is not guessed at.
  EXPECT_EQ(ExtractDefaultSystem("'<|im_start|>system\\nYou are MedBot.<|im_end|>\\n'"), "");
  EXPECT_EQ(ExtractDefaultSystem("<|im_start|>system\\nYou are a helpful assistant."), "");
  EXPECT_EQ(ExtractDefaultSystem(""), "");
}

TEST(PostProcessorTest, Llama3SequenceAddsBos) {
  const std::string llama3 = R"({"version": "1.0", "model": {"vocab": {"a": 0}},
    "post_processor": {"type": "Sequence", "processors": [
      {"type": "ByteLevel", "add_prefix_space": true},
      {"type": "TemplateProcessing",
       "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}},
                  {"Sequence": {"id": "A", "type_id": 0}}]}]}})";
  EXPECT_TRUE(PostProcessorAddsBos(llama3, "<|begin_of_text|>"));
  EXPECT_FALSE(PostProcessorAddsBos(llama3, "<s>"));
}

TEST(PostProcessorTest, DirectTemplateAndOthers) {
  EXPECT_TRUE(PostProcessorAddsBos(
      R"({"post_processor": {"type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}]}})",
      "<s>"));
  EXPECT_FALSE(PostProcessorAddsBos(R"({"post_processor": {"type": "ByteLevel"}})", "<s>"));
  EXPECT_FALSE(PostProcessorAddsBos(R"({"post_processor": null})", "<s>"));
  EXPECT_FALSE(PostProcessorAddsBos(
      R"({"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": 5}]}})",
      "<s>"));
  EXPECT_FALSE(
      PostProcessorAddsBos(R"({"post_processor": {"type": 3, "single": {"id": 4}}})", "<s>"));
  EXPECT_FALSE(PostProcessorAddsBos("{", "<s>"));
  EXPECT_FALSE(PostProcessorAddsBos("{}", "<s>"));
}

}  // namespace
}  // namespace hai::checkpoint
