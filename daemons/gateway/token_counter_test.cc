// The TokenCounter against a small real HTTP server standing in for the
// scheduler's model file route, serving a tokenizer trained here (every
// byte in its vocabulary) and a Qwen-style tokenizer_config.json.
#include "daemons/gateway/token_counter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "lib/http/bearer.h"
#include "lib/http/server.h"

namespace hai::gateway {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kToken(43, 'c');

const std::string& TrainedTokenizer() {
  static const std::string text = [] {
    auto t = tokenizer::TrainByteLevelBpe(
        "hello ward seven, the patient in bed four is resting. hello nurse, hello doctor.", 300,
        {"<|endoftext|>", "<|im_start|>", "<|im_end|>"});
    return t.ok() ? *t : std::string();
  }();
  return text;
}

// A ChatML template with Qwen's default system prompt in it.
std::string QwenConfig(bool add_bos = false) {
  json c = {{"chat_template",
             "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' "
             "%}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif "
             "%}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
             "'<|im_end|>' + '\\n'}}{% endfor %}"},
            {"eos_token", "<|im_end|>"}};
  if (add_bos) {
    c["bos_token"] = "<|endoftext|>";
    c["add_bos_token"] = true;
  }
  return c.dump();
}

// Serves model 3 (both files), 4 (no tokenizer_config.json), 5 (with BOS),
// and no tokenizer for any other; records every path asked for.
class SchedulerStandIn {
 public:
  SchedulerStandIn() {
    router_.Add("GET", "/internal/v1/models/{id}/files/{path...}", [this](http::Request& req) {
      if (!http::BearerMatches(req, kToken))
        return http::Response::Error(Status::Unauthenticated("cluster token"));
      const std::string id = req.Param("id"), path = req.Param("path");
      {
        std::lock_guard lock(mu_);
        asked_.push_back(id + "/" + path);
      }
      if ((id == "3" || id == "4" || id == "5") && path == "tokenizer.json")
        return http::Response::Text(200, TrainedTokenizer(), "application/octet-stream");
      if ((id == "3" || id == "5") && path == "tokenizer_config.json")
        return http::Response::Text(200, QwenConfig(id == "5"), "application/octet-stream");
      return http::Response::Error(Status::NotFound("model " + id + " has no file '" + path + "'"));
    });
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, &router_, &registry_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~SchedulerStandIn() { server_->Stop(); }
  http::HttpUrl url() const { return {"127.0.0.1", server_->port()}; }
  int Asked(const std::string& what) {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::count(asked_.begin(), asked_.end(), what));
  }

 private:
  std::mutex mu_;
  std::vector<std::string> asked_;
  http::Router router_;
  metrics::Registry registry_;
  std::unique_ptr<http::Server> server_;
};

class TokenCounterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(TrainedTokenizer().empty());
    auto tok = tokenizer::Tokenizer::FromJson(TrainedTokenizer(), "trained");
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    reference_ = std::move(*tok);
    counter_.Start();
  }
  // Bounded wait until the model's load ended one way or the other.
  TokenCounter::State Settled(int64_t model_id) {
    for (int i = 0; i < 1000; ++i) {
      const TokenCounter::State s = counter_.StateOf(model_id);
      if (s == TokenCounter::State::kLoaded || s == TokenCounter::State::kFailed) return s;
      std::this_thread::sleep_for(10ms);
    }
    return counter_.StateOf(model_id);
  }
  std::shared_ptr<const ModelTokenizer> Loaded(int64_t model_id, const std::string& digest) {
    EXPECT_EQ(counter_.Find(model_id, digest), nullptr) << "never loaded on the caller's path";
    EXPECT_EQ(Settled(model_id), TokenCounter::State::kLoaded);
    return counter_.Find(model_id, digest);
  }
  int64_t Reference(const std::string& text) const {
    return static_cast<int64_t>(reference_->Encode(text, true).size());
  }

  SchedulerStandIn scheduler_;
  FakeClock clock_{1'700'000'000'000};
  TokenCounter counter_{scheduler_.url(), kToken, &clock_, {2, 60'000, 5'000}};
  std::unique_ptr<tokenizer::Tokenizer> reference_;
};

TEST_F(TokenCounterTest, ChatIsCountedAsTheEngineRendersIt) {
  auto model = Loaded(3, "d1");
  ASSERT_NE(model, nullptr);
  const json chat = {{"model", "ward-chat"},
                     {"messages",
                      {{{"role", "user"}, {"content", "hello ward seven"}},
                       {{"role", "assistant"}, {"content", "hello nurse"}},
                       {{"role", "user"},
                        {"content",
                         {{{"type", "text"}, {"text", "the patient"}},
                          {{"type", "text"}, {"text", "in bed four"}}}}}}}};
  const std::string rendered = tokenizer::RenderChat(tokenizer::ChatFormat::kChatML,
                                                     {{"user", "hello ward seven"},
                                                      {"assistant", "hello nurse"},
                                                      {"user", "the patient\nin bed four"}},
                                                     true, "You are a helpful assistant.");
  EXPECT_NE(rendered.find("You are a helpful assistant."), std::string::npos);
  EXPECT_EQ(model->InputTokens(chat.dump()), Reference(rendered));
  // A system message of the caller's own replaces the default one.
  const json with_system = {{"messages",
                             {{{"role", "developer"}, {"content", "be brief"}},
                              {{"role", "user"}, {"content", "hello"}}}}};
  EXPECT_EQ(model->InputTokens(with_system.dump()),
            Reference(tokenizer::RenderChat(tokenizer::ChatFormat::kChatML,
                                            {{"system", "be brief"}, {"user", "hello"}}, true,
                                            "You are a helpful assistant.")));
}

TEST_F(TokenCounterTest, PromptsInputsAndGeneratedText) {
  auto model = Loaded(3, "d1");
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->InputTokens(R"({"prompt":"hello doctor"})"), Reference("hello doctor"));
  EXPECT_EQ(model->InputTokens(R"({"prompt":["hello","bed four"]})"),
            Reference("hello") + Reference("bed four"));
  EXPECT_EQ(model->InputTokens(R"({"prompt":[5,6,7]})"), 3);
  EXPECT_EQ(model->InputTokens(R"({"prompt":[[5,6],[7]]})"), 3);
  EXPECT_EQ(model->InputTokens(R"({"input":["the patient","is resting"]})"),
            Reference("the patient") + Reference("is resting"));
  EXPECT_EQ(model->InputTokens(R"({"query":"bed four","documents":["hello",{"text":"resting"}]})"),
            Reference("bed four") + Reference("hello") + Reference("resting"));
  EXPECT_EQ(model->InputTokens("not json"), std::nullopt);
  EXPECT_EQ(model->TextTokens("hello nurse, <|im_end|>"),
            static_cast<int64_t>(reference_->Encode("hello nurse, <|im_end|>", false).size()));
  EXPECT_GT(model->TextTokens("hello nurse, <|im_end|>"), model->TextTokens("hello nurse, "));
}

TEST_F(TokenCounterTest, WithoutATokenizerConfigChatIsChatMLWithoutADefaultSystem) {
  auto model = Loaded(4, "d4");
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(scheduler_.Asked("4/tokenizer_config.json"), 1);
  EXPECT_EQ(model->InputTokens(R"({"messages":[{"role":"user","content":"hello"}]})"),
            Reference(tokenizer::RenderChat(tokenizer::ChatFormat::kChatML, {{"user", "hello"}},
                                            true, "")));
}

TEST_F(TokenCounterTest, BosIsCountedWhereTheConfigAddsIt) {
  auto model = Loaded(5, "d5");
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->InputTokens(R"({"prompt":"hello"})"), Reference("hello") + 1);
  EXPECT_EQ(model->InputTokens(R"({"prompt":"<|endoftext|>hello"})"), Reference("hello") + 1)
      << "a prompt that starts with BOS gets no second one";
}

TEST_F(TokenCounterTest, AFailedLoadIsRememberedForAWhile) {
  EXPECT_EQ(counter_.Find(9, "d9"), nullptr);
  ASSERT_EQ(Settled(9), TokenCounter::State::kFailed);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(counter_.Find(9, "d9"), nullptr);
  EXPECT_EQ(scheduler_.Asked("9/tokenizer.json"), 1) << "no hammering";
  EXPECT_EQ(scheduler_.Asked("9/tokenizer_config.json"), 0);
  clock_.AdvanceMs(60'000);
  EXPECT_EQ(counter_.Find(9, "d9"), nullptr);
  ASSERT_EQ(Settled(9), TokenCounter::State::kFailed);
  EXPECT_EQ(scheduler_.Asked("9/tokenizer.json"), 2);
  EXPECT_EQ(counter_.Find(0, ""), nullptr);
  EXPECT_EQ(counter_.StateOf(0), TokenCounter::State::kUnknown) << "no model, nothing asked";
}

TEST_F(TokenCounterTest, ANewDigestLoadsAgainAndTheLeastRecentlyUsedGoes) {
  ASSERT_NE(Loaded(3, "d1"), nullptr);
  EXPECT_EQ(counter_.Find(3, "d1-reimported"), nullptr);
  ASSERT_EQ(Settled(3), TokenCounter::State::kLoaded);
  EXPECT_NE(counter_.Find(3, "d1-reimported"), nullptr);
  EXPECT_EQ(scheduler_.Asked("3/tokenizer.json"), 2);
  // At most two models (this test's bound): the third pushes out the oldest.
  ASSERT_NE(Loaded(4, "d4"), nullptr);
  EXPECT_NE(counter_.Find(3, "d1-reimported"), nullptr);  // now 4 is the oldest
  ASSERT_NE(Loaded(5, "d5"), nullptr);
  EXPECT_EQ(counter_.StateOf(4), TokenCounter::State::kUnknown);
  EXPECT_EQ(counter_.StateOf(3), TokenCounter::State::kLoaded);
}

TEST_F(TokenCounterTest, TheClusterTokenIsSent) {
  TokenCounter wrong(scheduler_.url(), std::string(43, 'x'), &clock_);
  wrong.Start();
  EXPECT_EQ(wrong.Find(3, "d1"), nullptr);
  for (int i = 0; i < 1000 && wrong.StateOf(3) == TokenCounter::State::kLoading; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(wrong.StateOf(3), TokenCounter::State::kFailed);
  EXPECT_EQ(scheduler_.Asked("3/tokenizer.json"), 0) << "refused before it was served";
  wrong.Stop();
}

}  // namespace
}  // namespace hai::gateway
