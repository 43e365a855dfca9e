#include "daemons/engine/openai_request.h"

#include <gtest/gtest.h>

#include "daemons/engine/openai_encoder_request.h"

namespace hai::engine {
namespace {

std::optional<ApiError> Chat(const std::string& body, TextRequest* out = nullptr) {
  TextRequest scratch;
  return ParseChatRequest(body, out ? out : &scratch);
}

std::optional<ApiError> Completion(const std::string& body, TextRequest* out = nullptr) {
  TextRequest scratch;
  return ParseCompletionRequest(body, out ? out : &scratch);
}

TEST(ChatRequestTest, ReadsEveryField) {
  TextRequest r;
  auto e = Chat(R"({"model":"m","messages":[{"role":"system","content":"be brief"},
      {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}],
      "max_completion_tokens":7,"max_tokens":9,"temperature":0.5,"top_p":0.9,"top_k":40,
      "min_p":0.1,"repetition_penalty":1.1,"presence_penalty":0.5,"frequency_penalty":-0.5,
      "n":2,"stop":["x","yy"],"stop_token_ids":[5],"seed":-3,"logprobs":true,
      "top_logprobs":3,"stream":true,"stream_options":{"include_usage":true},
      "ignore_eos":true,"min_tokens":2,"skip_special_tokens":false,"user":"u"})",
                &r);
  ASSERT_FALSE(e) << e->message;
  EXPECT_TRUE(r.chat);
  EXPECT_EQ(r.model, "m");
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_EQ(r.messages[1].content, "a\nb");
  EXPECT_EQ(r.max_tokens, 7);  // max_completion_tokens wins
  EXPECT_EQ(r.temperature, 0.5);
  EXPECT_EQ(r.top_p, 0.9);
  EXPECT_EQ(r.top_k, 40);
  EXPECT_DOUBLE_EQ(r.sampling.min_p, 0.1);
  EXPECT_DOUBLE_EQ(r.sampling.repetition_penalty, 1.1);
  EXPECT_DOUBLE_EQ(r.sampling.presence_penalty, 0.5);
  EXPECT_DOUBLE_EQ(r.sampling.frequency_penalty, -0.5);
  EXPECT_EQ(r.n, 2);
  EXPECT_EQ(r.sampling.stop, (std::vector<std::string>{"x", "yy"}));
  EXPECT_EQ(r.sampling.stop_token_ids, (std::vector<int32_t>{5}));
  EXPECT_EQ(r.sampling.seed, static_cast<uint64_t>(-3));
  EXPECT_EQ(r.logprobs, 3);
  EXPECT_EQ(r.sampling.logprobs, 3);
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_TRUE(r.sampling.ignore_eos);
  EXPECT_EQ(r.sampling.min_tokens, 2);
  EXPECT_FALSE(r.sampling.skip_special_tokens);
}

TEST(ChatRequestTest, DefaultsLeaveCheckpointFieldsUnset) {
  TextRequest r;
  ASSERT_FALSE(Chat(R"({"messages":[{"role":"developer","content":"x"}],"temperature":null})", &r));
  EXPECT_EQ(r.model, "");
  EXPECT_EQ(r.messages[0].role, "system");
  EXPECT_FALSE(r.temperature);
  EXPECT_FALSE(r.top_p);
  EXPECT_FALSE(r.top_k);
  EXPECT_FALSE(r.max_tokens);
  EXPECT_EQ(r.n, 1);
  EXPECT_EQ(r.logprobs, -1);
  EXPECT_FALSE(r.stream);
  EXPECT_TRUE(r.sampling.skip_special_tokens);
}

struct BadCase {
  const char* body;
  const char* code;
  const char* param;
};

TEST(ChatRequestTest, RejectsBadInputInOpenAiTerms) {
  const BadCase cases[] = {
      {"{", "invalid_json", ""},
      {"[1]", "invalid_json", ""},
      {R"({})", "missing_required_parameter", "messages"},
      {R"({"messages":"hi"})", "invalid_type", "messages"},
      {R"({"messages":[]})", "invalid_value", "messages"},
      {R"({"messages":[{"role":"user"}]})", "missing_required_parameter", "messages[0].content"},
      {R"({"messages":[{"role":"king","content":"x"}]})", "invalid_value", "messages[0].role"},
      {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]})",
       "unsupported_content", "messages[0].content[0].type"},
      {R"({"messages":[{"role":"user","content":"x","extra":1}]})", "unknown_parameter",
       "messages[0].extra"},
      {R"({"messages":[{"role":"user","content":"x"}],"temperature":"hot"})", "invalid_type",
       "temperature"},
      {R"({"messages":[{"role":"user","content":"x"}],"temperature":2.5})", "invalid_value",
       "temperature"},
      {R"({"messages":[{"role":"user","content":"x"}],"top_p":0})", "invalid_value", "top_p"},
      {R"({"messages":[{"role":"user","content":"x"}],"n":9})", "invalid_value", "n"},
      {R"({"messages":[{"role":"user","content":"x"}],"max_tokens":0})", "invalid_value",
       "max_tokens"},
      {R"({"messages":[{"role":"user","content":"x"}],"max_tokens":1.5})", "invalid_type",
       "max_tokens"},
      {R"({"messages":[{"role":"user","content":"x"}],"stop":[1]})", "invalid_type", "stop"},
      {R"({"messages":[{"role":"user","content":"x"}],"stop":[""]})", "invalid_value", "stop"},
      {R"({"messages":[{"role":"user","content":"x"}],"top_logprobs":2})", "invalid_value",
       "top_logprobs"},
      {R"({"messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":21})",
       "invalid_value", "top_logprobs"},
      {R"({"messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":true}})",
       "invalid_value", "stream_options"},
      {R"({"messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"x":1}})",
       "unknown_parameter", "stream_options.x"},
      {R"({"messages":[{"role":"user","content":"x"}],"max_tokens":3,"min_tokens":4})",
       "invalid_value", "min_tokens"},
      {R"({"messages":[{"role":"user","content":"x"}],"tools":[]})", "unknown_parameter", "tools"},
      {R"({"messages":[{"role":"user","content":"x"}],"model":5})", "invalid_type", "model"},
      {R"({"messages":[{"role":"user","content":"x"}],"seed":18446744073709551615})",
       "invalid_value", "seed"},
  };
  for (const BadCase& c : cases) {
    auto e = Chat(c.body);
    ASSERT_TRUE(e) << c.body;
    EXPECT_EQ(e->status, 400) << c.body;
    EXPECT_EQ(e->code, c.code) << c.body << " → " << e->message;
    EXPECT_EQ(e->param, c.param) << c.body;
    EXPECT_FALSE(e->message.empty());
  }
}

TEST(ChatRequestTest, RangeErrorsNameTheNumbers) {
  auto e = Chat(R"({"messages":[{"role":"user","content":"x"}],"temperature":3})");
  ASSERT_TRUE(e);
  EXPECT_NE(e->message.find("between 0 and 2"), std::string::npos) << e->message;
  EXPECT_NE(e->message.find("got 3"), std::string::npos) << e->message;
}

TEST(CompletionRequestTest, ReadsEveryPromptShape) {
  TextRequest r;
  ASSERT_FALSE(Completion(R"({"prompt":"hello","logprobs":2,"echo":true})", &r));
  ASSERT_EQ(r.prompts.size(), 1u);
  EXPECT_EQ(r.prompts[0].text, "hello");
  EXPECT_EQ(r.logprobs, 2);
  EXPECT_TRUE(r.echo);
  ASSERT_FALSE(Completion(R"({"prompt":["a","b"],"n":2})", &r));
  EXPECT_EQ(r.prompts.size(), 2u);
  EXPECT_FALSE(r.echo);
  ASSERT_FALSE(Completion(R"({"prompt":[1,2,3]})", &r));
  ASSERT_EQ(r.prompts.size(), 1u);
  EXPECT_TRUE(r.prompts[0].is_tokens);
  EXPECT_EQ(r.prompts[0].tokens, (std::vector<int32_t>{1, 2, 3}));
  ASSERT_FALSE(Completion(R"({"prompt":[[1],[2,3]]})", &r));
  ASSERT_EQ(r.prompts.size(), 2u);
  EXPECT_EQ(r.prompts[1].tokens, (std::vector<int32_t>{2, 3}));
}

TEST(CompletionRequestTest, RejectsBadPrompts) {
  const BadCase cases[] = {
      {R"({})", "missing_required_parameter", "prompt"},
      {R"({"prompt":5})", "invalid_type", "prompt"},
      {R"({"prompt":[]})", "invalid_value", "prompt"},
      {R"({"prompt":[1,-2]})", "invalid_type", "prompt"},
      {R"({"prompt":[[]]})", "invalid_type", "prompt"},
      {R"({"prompt":"x","logprobs":true})", "invalid_type", "logprobs"},
      {R"({"prompt":"x","logprobs":21})", "invalid_value", "logprobs"},
      {R"({"prompt":"x","messages":[]})", "unknown_parameter", "messages"},
      {R"({"prompt":["a","b","c","d","e","f","g","h","i"],"n":8})", "invalid_value", "n"},
  };
  for (const BadCase& c : cases) {
    auto e = Completion(c.body);
    ASSERT_TRUE(e) << c.body;
    EXPECT_EQ(e->code, c.code) << c.body << " → " << e->message;
    EXPECT_EQ(e->param, c.param) << c.body;
  }
}

TEST(ModelNameTest, OnlyTheServedNameOrNone) {
  EXPECT_FALSE(CheckModelName("", "qwen"));
  EXPECT_FALSE(CheckModelName("qwen", "qwen"));
  auto e = CheckModelName("gpt-4", "qwen");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->status, 400);
  EXPECT_EQ(e->code, "model_not_found");
  EXPECT_EQ(e->param, "model");
}

TEST(EmbeddingRequestTest, ReadsInputsAndFormat) {
  EmbeddingRequest r;
  ASSERT_FALSE(ParseEmbeddingRequest(R"({"input":"a","model":"m"})", &r));
  EXPECT_EQ(r.inputs.size(), 1u);
  EXPECT_FALSE(r.base64);
  ASSERT_FALSE(ParseEmbeddingRequest(R"({"input":["a","b"],"encoding_format":"base64"})", &r));
  EXPECT_EQ(r.inputs.size(), 2u);
  EXPECT_TRUE(r.base64);
  ASSERT_FALSE(ParseEmbeddingRequest(R"({"input":[[1,2],[3]]})", &r));
  EXPECT_TRUE(r.inputs[1].is_tokens);
  auto e = ParseEmbeddingRequest(R"({"input":"a","dimensions":8})", &r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "unsupported_parameter");
  e = ParseEmbeddingRequest(R"({"input":"a","encoding_format":"int8"})", &r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->param, "encoding_format");
  e = ParseEmbeddingRequest(R"({"input":[]})", &r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->param, "input");
}

TEST(RerankRequestTest, ReadsDocumentsInBothShapes) {
  RerankRequest r;
  ASSERT_FALSE(ParseRerankRequest(
      R"({"query":"q","documents":["a",{"text":"b"}],"top_n":1,"return_documents":false})", &r));
  EXPECT_EQ(r.query, "q");
  EXPECT_EQ(r.documents, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.top_n, 1);
  EXPECT_FALSE(r.return_documents);
  auto e = ParseRerankRequest(R"({"documents":["a"]})", &r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->param, "query");
  e = ParseRerankRequest(R"({"query":"q","documents":[{"txt":"a"}]})", &r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "missing_required_parameter");
  e = ParseRerankRequest(R"({"query":"q","documents":["a"],"top_n":0})", &r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->param, "top_n");
}

}  // namespace
}  // namespace hai::engine
