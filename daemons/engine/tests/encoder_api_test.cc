// A real hai-engine serving tiny BERT checkpoints: embeddings and rerank.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <thread>

#include "daemons/engine/tests/engine_process.h"

namespace hai::engine::testing {
namespace {

using nlohmann::json;

class EncoderEngineTest : public ::testing::Test {
 protected:
  void Start(int num_labels, const std::vector<std::string>& extra = {}) {
    ASSERT_TRUE(MakeCheckpoint(ckpt_.path(), TinyEncoderArgs(num_labels)));
    engine_ = std::make_unique<EngineProcess>(ckpt_.path(), "enc", extra);
    ASSERT_TRUE(engine_->WaitReady()) << engine_->Log();
  }
  TempDir ckpt_;
  std::unique_ptr<EngineProcess> engine_;
};

double Norm(const json& v) {
  double sum = 0;
  for (const auto& x : v) sum += x.get<double>() * x.get<double>();
  return std::sqrt(sum);
}

void ExpectNear(const json& a, const json& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i].get<double>(), b[i].get<double>(), 1e-5) << i;
}

std::vector<float> FromBase64(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<uint8_t> bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    acc = (acc << 6) | static_cast<uint32_t>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);  // little-endian host
  return out;
}

TEST_F(EncoderEngineTest, EmbeddingsAreNormalisedAndDeterministic) {
  Start(0);
  json body = {{"model", "enc"}, {"input", {"a quiet ward", "night shift", "a quiet ward"}}};
  auto r = engine_->Post("/v1/embeddings", body);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["object"], "list");
  EXPECT_EQ(r.body["model"], "enc");
  ASSERT_EQ(r.body["data"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const json& d = r.body["data"][i];
    EXPECT_EQ(d["object"], "embedding");
    EXPECT_EQ(d["index"], i);
    EXPECT_EQ(d["embedding"].size(), 32u);  // --hidden
    EXPECT_NEAR(Norm(d["embedding"]), 1.0, 1e-4);
  }
  // The same request again: bit for bit the same answer.
  auto repeat = engine_->Post("/v1/embeddings", body);
  ASSERT_EQ(repeat.status, 200);
  EXPECT_EQ(repeat.body["data"], r.body["data"]);
  // The same text elsewhere in a batch, or alone: the same vector up to
  // float rounding (BLAS kernels differ by batch shape).
  ExpectNear(r.body["data"][0]["embedding"], r.body["data"][2]["embedding"]);
  EXPECT_NE(r.body["data"][0]["embedding"], r.body["data"][1]["embedding"]);
  EXPECT_GT(r.body["usage"]["prompt_tokens"].get<int>(), 6);  // [CLS] … [SEP] each
  auto again = engine_->Post("/v1/embeddings", {{"model", "enc"}, {"input", "night shift"}});
  ASSERT_EQ(again.status, 200);
  ExpectNear(again.body["data"][0]["embedding"], r.body["data"][1]["embedding"]);
  // base64: the same float32 values.
  auto b64 =
      engine_->Post("/v1/embeddings",
                    {{"model", "enc"}, {"input", "night shift"}, {"encoding_format", "base64"}});
  ASSERT_EQ(b64.status, 200) << b64.raw;
  std::vector<float> decoded = FromBase64(b64.body["data"][0]["embedding"]);
  ASSERT_EQ(decoded.size(), 32u);
  for (size_t i = 0; i < decoded.size(); ++i)
    EXPECT_FLOAT_EQ(decoded[i], again.body["data"][0]["embedding"][i].get<float>());
}

TEST_F(EncoderEngineTest, EmbeddingErrorsAndDecoderRoutes) {
  Start(0, {"--pooling", "cls"});
  EngineProcess& e = *engine_;
  ExpectOpenAiError(e, e.Post("/v1/embeddings", {{"input", "x"}, {"dimensions", 8}}), 400,
                    "unsupported_parameter");
  ExpectOpenAiError(e, e.Post("/v1/embeddings", {{"input", "x"}, {"model", "other"}}), 400,
                    "model_not_found");
  std::string long_text;
  for (int i = 0; i < 200; ++i) {
    long_text += "word";
    long_text += std::to_string(i);
    long_text += ' ';
  }
  auto too_long = e.Post("/v1/embeddings", {{"input", long_text}});
  ExpectOpenAiError(e, too_long, 400, "context_length_exceeded");
  EXPECT_NE(too_long.raw.find("64"), std::string::npos) << too_long.raw;
  ExpectOpenAiError(
      e, e.Post("/v1/chat/completions", {{"messages", {{{"role", "user"}, {"content", "x"}}}}}),
      400, "unsupported_operation");
  ExpectOpenAiError(e, e.Post("/v1/completions", {{"prompt", "x"}}), 400, "unsupported_operation");
  ExpectOpenAiError(e, e.Post("/v1/rerank", {{"query", "q"}, {"documents", {"d"}}}), 400,
                    "unsupported_operation");
  auto ok = e.Post("/v1/embeddings", {{"input", "x"}});
  EXPECT_EQ(ok.status, 200) << ok.raw;
  EXPECT_NEAR(Norm(ok.body["data"][0]["embedding"]), 1.0, 1e-4);
}

TEST_F(EncoderEngineTest, RerankIsSortedWithScoresBetweenZeroAndOne) {
  Start(1);
  const std::vector<std::string> docs = {"beds on ward four", "the night nurse", "coffee",
                                         "discharge papers", "a quiet ward"};
  json body = {{"model", "enc"}, {"query", "which ward is quiet"}, {"documents", docs}};
  auto r = engine_->Post("/v1/rerank", body);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["id"].get<std::string>().rfind("rerank-", 0), 0u);
  EXPECT_GT(r.body["usage"]["total_tokens"].get<int>(), 0);
  const json& results = r.body["results"];
  ASSERT_EQ(results.size(), docs.size());
  std::vector<bool> seen(docs.size(), false);
  for (size_t i = 0; i < results.size(); ++i) {
    double score = results[i]["relevance_score"];
    EXPECT_GT(score, 0.0);
    EXPECT_LT(score, 1.0);
    if (i > 0) {
      EXPECT_LE(score, results[i - 1]["relevance_score"].get<double>());
    }
    size_t index = results[i]["index"];
    ASSERT_LT(index, docs.size());
    seen[index] = true;
    EXPECT_EQ(results[i]["document"]["text"], docs[index]);
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), static_cast<long>(docs.size()));
  // top_n, the {text} document shape and the /v2/rerank alias.
  json top = {{"query", "which ward is quiet"},
              {"documents", {{{"text", docs[0]}}, docs[1], docs[2], docs[3], docs[4]}},
              {"top_n", 2},
              {"return_documents", false}};
  auto t = engine_->Post("/v2/rerank", top);
  ASSERT_EQ(t.status, 200) << t.raw;
  ASSERT_EQ(t.body["results"].size(), 2u);
  EXPECT_EQ(t.body["results"][0]["index"], results[0]["index"]);
  EXPECT_EQ(t.body["results"][0]["relevance_score"], results[0]["relevance_score"]);
  EXPECT_FALSE(t.body["results"][0].contains("document"));
  EXPECT_EQ(engine_->Post("/rerank", body).status, 200);
  // A cross-encoder still embeds.
  EXPECT_EQ(engine_->Post("/v1/embeddings", {{"input", "x"}}).status, 200);
}

TEST_F(EncoderEngineTest, ConcurrentRequestsShareThePassesAndGetTheirOwnAnswers) {
  Start(1);
  const std::vector<std::string> texts = {
      "ward", "night shift", "discharge papers today", "x", "beds on ward four", "tea",
      "a",    "quiet"};
  std::vector<json> alone_embed, alone_rank;
  for (const auto& t : texts) {
    auto e = engine_->Post("/v1/embeddings", {{"input", {t, t + " again"}}});
    ASSERT_EQ(e.status, 200) << e.raw;
    alone_embed.push_back(e.body["data"]);
    auto r = engine_->Post("/v1/rerank", {{"query", t}, {"documents", texts}});
    ASSERT_EQ(r.status, 200) << r.raw;
    alone_rank.push_back(r.body["results"]);
  }
  // Each thread mixes embeddings and rerank requests; the worker merges
  // requests of one kind and must hand every request its own answers.
  std::vector<json> got_embed(texts.size()), got_rank(texts.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < texts.size(); ++t) {
    threads.emplace_back([&, t] {
      auto e = engine_->Post("/v1/embeddings", {{"input", {texts[t], texts[t] + " again"}}});
      if (e.status == 200) got_embed[t] = e.body["data"];
      auto r = engine_->Post("/v1/rerank", {{"query", texts[t]}, {"documents", texts}});
      if (r.status == 200) got_rank[t] = r.body["results"];
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < texts.size(); ++t) {
    ASSERT_EQ(got_embed[t].size(), 2u) << t;
    for (int i = 0; i < 2; ++i)
      ExpectNear(got_embed[t][i]["embedding"], alone_embed[t][i]["embedding"]);
    ASSERT_EQ(got_rank[t].size(), texts.size()) << t;
    // Scores per document index, whatever the order of near-ties.
    std::vector<double> mine(texts.size()), ref(texts.size());
    for (size_t k = 0; k < texts.size(); ++k) {
      mine[got_rank[t][k]["index"].get<size_t>()] = got_rank[t][k]["relevance_score"];
      ref[alone_rank[t][k]["index"].get<size_t>()] = alone_rank[t][k]["relevance_score"];
    }
    for (size_t k = 0; k < texts.size(); ++k) EXPECT_NEAR(mine[k], ref[k], 1e-5) << t << "/" << k;
  }
}

}  // namespace
}  // namespace hai::engine::testing
