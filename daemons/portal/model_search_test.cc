#include "daemons/portal/model_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "daemons/portal/model_catalog.h"

namespace hai::portal {
namespace {

// The shipped catalogue as registry entries: real names to search.
std::vector<Model> CatalogModels() {
  auto entries = LoadCatalog(std::string(HAI_TEST_SOURCE_DIR) + "/profiles/catalog");
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  std::vector<Model> out;
  int64_t id = 0;
  for (const CatalogEntry& e : *entries) {
    Model m;
    m.id = ++id;
    m.name = e.name;
    m.facts = e.facts;
    m.source = e.source;
    m.updated_at = 1000 + id;
    m.available = e.name == "demo" || e.name == "Qwen2.5-7B-Instruct";
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> Names(const ModelSearchResult& r) {
  std::vector<std::string> out;
  for (const Model* m : r.items) out.push_back(m->name);
  return out;
}

std::set<std::string> NameSet(const ModelSearchResult& r) {
  auto names = Names(r);
  return {names.begin(), names.end()};
}

ModelSearchResult Search(const std::vector<Model>& models, const std::string& query_string) {
  http::Request req;
  for (size_t i = 0; i < query_string.size();) {
    size_t amp = query_string.find('&', i);
    if (amp == std::string::npos) amp = query_string.size();
    std::string pair = query_string.substr(i, amp - i);
    size_t eq = pair.find('=');
    req.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    i = amp + 1;
  }
  auto q = ParseModelQuery(req);
  EXPECT_TRUE(q.ok()) << query_string << ": " << q.status().ToString();
  q->limit = 500;
  return SearchModels(models, *q);
}

TEST(ModelSearchTest, EditDistanceCountsTypos) {
  EXPECT_EQ(EditDistance("qwen", "qwen", 2), 0);
  EXPECT_EQ(EditDistance("qwn", "qwen", 2), 1);
  EXPECT_EQ(EditDistance("deepsek", "deepseek", 2), 1);
  EXPECT_EQ(EditDistance("qewn", "qwen", 2), 1) << "a transposition is one edit";
  EXPECT_EQ(EditDistance("lama", "llama", 2), 1);
  EXPECT_EQ(EditDistance("abc", "xyz", 1), 2) << "gives up past the bound";
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);
}

TEST(ModelSearchTest, TyposFindTheFamily) {
  const auto models = CatalogModels();
  auto qwen = Search(models, "q=qwn");
  ASSERT_FALSE(qwen.items.empty());
  for (const Model* m : qwen.items) EXPECT_NE(m->name.find("Qwen"), std::string::npos) << m->name;
  EXPECT_EQ(qwen.total, 8) << "Qwen2.5 ×3, Qwen3 ×2, Qwen2.5-VL, two DeepSeek distills of Qwen";
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(qwen.items[i]->facts.series, "Qwen")
        << "the family ranks before models naming it later";
  auto deepseek = Search(models, "q=deepsek");
  EXPECT_EQ(NameSet(deepseek),
            (std::set<std::string>{"DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen-32B",
                                   "DeepSeek-V3"}));
  EXPECT_EQ(NameSet(Search(models, "q=lama")), std::set<std::string>{"Llama-3.1-8B-Instruct"});
  EXPECT_EQ(NameSet(Search(models, "q=cosyvoce")), std::set<std::string>{"CosyVoice2-0.5B"});
  EXPECT_EQ(NameSet(Search(models, "q=DEEPSEEK V3")), std::set<std::string>{"DeepSeek-V3"});
  EXPECT_EQ(Names(Search(models, "q=xyzzy")), std::vector<std::string>{});
}

TEST(ModelSearchTest, ExactMatchesHideTypoMatches) {
  const auto models = CatalogModels();
  // "glm" is one edit from other words; exact hits exist, so only they show.
  EXPECT_EQ(NameSet(Search(models, "q=glm")), std::set<std::string>{"GLM-4-9B-Chat"});
  EXPECT_EQ(NameSet(Search(models, "q=bge")),
            (std::set<std::string>{"bge-m3", "bge-large-zh-v1.5", "bge-reranker-v2-m3"}));
  EXPECT_EQ(NameSet(Search(models, "q=baai")),
            (std::set<std::string>{"bge-m3", "bge-large-zh-v1.5", "bge-reranker-v2-m3"}))
      << "vendor is searched";
}

TEST(ModelSearchTest, SeveralWordsMustAllMatchAndRankByRelevance) {
  const auto models = CatalogModels();
  auto r = Search(models, "q=qwen 7b");
  ASSERT_FALSE(r.items.empty());
  for (const Model* m : r.items) EXPECT_NE(m->name.find("7B"), std::string::npos) << m->name;
  EXPECT_EQ(NameSet(r), (std::set<std::string>{"Qwen2.5-7B-Instruct", "Qwen2.5-VL-7B-Instruct",
                                               "DeepSeek-R1-Distill-Qwen-7B"}));
  EXPECT_EQ(Names(Search(models, "q=Qwen2.5-7B-Instruct"))[0], "Qwen2.5-7B-Instruct");
  EXPECT_EQ(Names(Search(models, "q=qwen25 72b"))[0], "Qwen2.5-72B-Instruct")
      << "punctuation-free spellings match";
}

TEST(ModelSearchTest, FiltersCombine) {
  const auto models = CatalogModels();
  auto embedding = Search(models, "category=embedding");
  EXPECT_EQ(NameSet(embedding),
            (std::set<std::string>{"bge-m3", "bge-large-zh-v1.5", "demo-embedding"}));
  auto two = Search(models, "category=rerank,speech-generation");
  EXPECT_EQ(NameSet(two), (std::set<std::string>{"bge-reranker-v2-m3", "CosyVoice2-0.5B"}));
  auto both = Search(models, "capability=reasoning&capability=tool_calls");
  EXPECT_EQ(NameSet(both), (std::set<std::string>{"Qwen3-8B", "Qwen3-32B"}))
      << "capabilities must all be present";
  auto vendor = Search(models, "vendor=deepseek");
  EXPECT_EQ(vendor.total, 3);
  auto series = Search(models, "series=qwen&params_max=10");
  EXPECT_EQ(NameSet(series), (std::set<std::string>{"Qwen2.5-0.5B-Instruct", "Qwen2.5-7B-Instruct",
                                                    "Qwen3-8B", "Qwen2.5-VL-7B-Instruct"}));
  auto ctx = Search(models, "context_min=100000&context_max=131072&params_min=30");
  EXPECT_EQ(NameSet(ctx), (std::set<std::string>{"Qwen2.5-72B-Instruct", "Qwen3-32B",
                                                 "DeepSeek-R1-Distill-Qwen-32B", "DeepSeek-V3"}));
  auto no_context = Search(models, "context_min=1");
  for (const Model* m : no_context.items) EXPECT_TRUE(m->facts.context_length) << m->name;
  EXPECT_EQ(NameSet(Search(models, "available=true")),
            (std::set<std::string>{"demo", "Qwen2.5-7B-Instruct"}));
  EXPECT_EQ(Search(models, "available=false").total, static_cast<int64_t>(models.size()) - 2);
}

TEST(ModelSearchTest, FacetsCountAlternativesAndMatches) {
  const auto models = CatalogModels();
  auto all = Search(models, "");
  int64_t sum = 0;
  for (const auto& [category, n] : all.facets.category) sum += n;
  EXPECT_EQ(sum, static_cast<int64_t>(models.size()));
  EXPECT_EQ(all.facets.category.size(), 6u) << "every category appears, even at zero";
  EXPECT_EQ(all.facets.vendor["BAAI"], 3);
  EXPECT_EQ(all.facets.category["rerank"], 1);
  // With a category chosen, the category facet still counts the others.
  auto embedding = Search(models, "category=embedding");
  EXPECT_EQ(embedding.facets.category["text-generation"], all.facets.category["text-generation"]);
  EXPECT_EQ(embedding.facets.vendor["BAAI"], 2) << "vendor counts follow the chosen category";
  EXPECT_EQ(embedding.facets.capability["dense_retrieval"], 3);
  EXPECT_EQ(embedding.facets.capability.count("chat"), 0u);
  // With a vendor chosen, the vendor facet still offers the other vendors.
  auto baai = Search(models, "vendor=BAAI");
  EXPECT_EQ(baai.total, 3);
  EXPECT_EQ(baai.facets.vendor["Alibaba"], all.facets.vendor["Alibaba"]);
  EXPECT_EQ(baai.facets.category["text-generation"], 0);
}

TEST(ModelSearchTest, SortsAndPages) {
  const auto models = CatalogModels();
  auto by_params = Search(models, "sort=-params");
  ASSERT_GE(by_params.items.size(), 3u);
  EXPECT_EQ(by_params.items[0]->name, "DeepSeek-V3");
  EXPECT_EQ(by_params.items[1]->name, "Qwen2.5-72B-Instruct");
  auto by_context = Search(models, "sort=context");
  EXPECT_EQ(by_context.items[0]->name, "bge-large-zh-v1.5");
  EXPECT_FALSE(by_context.items.back()->facts.context_length) << "unknown values sort last";
  auto by_name = Search(models, "sort=name");
  EXPECT_EQ(by_name.items[0]->name, "Baichuan2-13B-Chat");
  auto reversed = Search(models, "sort=-name");
  EXPECT_EQ(reversed.items[0]->name, by_name.items.back()->name);
  auto updated = Search(models, "sort=-updated");
  EXPECT_EQ(updated.items[0]->id, static_cast<int64_t>(models.size()));

  http::Request req;
  req.query = {{"sort", "name"}, {"limit", "5"}, {"offset", "5"}};
  auto q = ParseModelQuery(req);
  ASSERT_TRUE(q.ok());
  auto page = SearchModels(models, *q);
  EXPECT_EQ(page.total, static_cast<int64_t>(models.size()));
  ASSERT_EQ(page.items.size(), 5u);
  EXPECT_EQ(page.items[0]->name, by_name.items[5]->name);
}

TEST(ModelSearchTest, BadParametersNameThemselves) {
  auto field_of = [](std::multimap<std::string, std::string> query) {
    http::Request req;
    req.query = std::move(query);
    auto q = ParseModelQuery(req);
    return q.ok() ? std::string("ok") : q.status().field();
  };
  EXPECT_EQ(field_of({{"category", "chatbot"}}), "category");
  EXPECT_EQ(field_of({{"capability", "telepathy"}}), "capability");
  EXPECT_EQ(field_of({{"available", "yes"}}), "available");
  EXPECT_EQ(field_of({{"context_min", "many"}}), "context_min");
  EXPECT_EQ(field_of({{"context_min", "10"}, {"context_max", "5"}}), "context_max");
  EXPECT_EQ(field_of({{"params_min", "-1"}}), "params_min");
  EXPECT_EQ(field_of({{"params_max", "7b"}}), "params_max");
  EXPECT_EQ(field_of({{"sort", "size"}}), "sort");
  EXPECT_EQ(field_of({{"limit", "0"}}), "limit");
  EXPECT_EQ(field_of({{"offset", "-1"}}), "offset");
  EXPECT_EQ(field_of({{"q", std::string(201, 'q')}}), "q");
  EXPECT_EQ(field_of({{"params_min", "0.5"}, {"sort", "-context"}}), "ok");
}

}  // namespace
}  // namespace hai::portal
