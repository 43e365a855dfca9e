#include "daemons/portal/call_log_ingest.h"

#include <gtest/gtest.h>

#include <random>

#include "daemons/portal/call_log_testing.h"

namespace hai::portal {
namespace {

using nlohmann::json;

json Minimal() { return {{"request_id", "r1"}, {"time_ms", 1795342800000}, {"org_id", 3}}; }

CallLogBatch Parse(const json& records) {
  auto batch = ParseCallLogBatch(json{{"records", records}}.dump());
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return batch.ok() ? *batch : CallLogBatch{};
}

TEST(CallLogIngestTest, ReadsEveryFieldAGatewaySends) {
  std::mt19937_64 rng(1);
  std::vector<CallRecord> sent;
  json records = json::array();
  for (int i = 0; i < 300; ++i) {
    sent.push_back(testing::SampleRecord(rng, 1795342800000 + i, i));
    records.push_back(testing::RecordJson(sent.back()));
  }
  CallLogBatch batch = Parse(records);
  EXPECT_EQ(batch.rejected, 0) << batch.first_rejection;
  ASSERT_EQ(batch.records.size(), sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    const CallRecord& a = sent[i];
    const CallRecord& b = batch.records[i];
    EXPECT_EQ(a.request_id, b.request_id);
    EXPECT_EQ(a.api_key_id, b.api_key_id);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.service_id, b.service_id);
    EXPECT_EQ(a.endpoint, b.endpoint);
    EXPECT_EQ(a.failed, b.failed);
    EXPECT_EQ(a.stream, b.stream);
    EXPECT_EQ(a.ttft_us, b.ttft_us);
    EXPECT_EQ(a.tpot_us, b.tpot_us);
    EXPECT_EQ(a.latency_us, b.latency_us);
    EXPECT_EQ(a.tps_milli, b.tps_milli);
    EXPECT_EQ(a.usage_source, b.usage_source);
  }
}

TEST(CallLogIngestTest, OnlyThreeFieldsAreRequired) {
  CallLogBatch batch = Parse(json::array({Minimal()}));
  ASSERT_EQ(batch.records.size(), 1u);
  const CallRecord& r = batch.records[0];
  EXPECT_EQ(r.org_id, 3);
  EXPECT_FALSE(r.user_id);
  EXPECT_FALSE(r.ttft_us);
  EXPECT_EQ(r.source, "api");
  EXPECT_EQ(r.usage_source, "none");
  EXPECT_FALSE(r.failed);
  json failed = Minimal();
  failed["status_code"] = 502;  // no status: derived from the code
  EXPECT_TRUE(Parse(json::array({failed})).records.at(0).failed);
  json sums = Minimal();
  sums["input_tokens"] = 5;
  sums["output_tokens"] = 7;
  EXPECT_EQ(Parse(json::array({sums})).records.at(0).total_tokens, 12);
}

TEST(CallLogIngestTest, BadRecordsAreCountedAndTheRestKept) {
  struct Bad {
    const char* field;
    json value;  // null: remove the field
  };
  const std::vector<Bad> bad = {
      {"request_id", nullptr},
      {"request_id", ""},
      {"request_id", std::string(129, 'x')},
      {"time_ms", nullptr},
      {"time_ms", "2026-11-22"},
      {"time_ms", 1.5},
      {"time_ms", -1},
      {"org_id", nullptr},
      {"org_id", 0},
      {"org_id", "3"},
      {"user_id", -2},
      {"source", "cli"},
      {"endpoint", "v1/chat"},
      {"status", "ok"},
      {"status_code", 1000},
      {"stream", "yes"},
      {"input_tokens", -1},
      {"ttft_ms", -0.5},
      {"latency_ms", "fast"},
      {"tps", 1e300},
      {"usage_source", "guess"},
      {"service", 7},
      {"org_id", 18446744073709551615ULL},
  };
  json records = json::array({Minimal()});
  for (const Bad& b : bad) {
    json r = Minimal();
    if (b.value.is_null())
      r.erase(b.field);
    else
      r[b.field] = b.value;
    records.push_back(r);
    CallLogBatch alone = Parse(json::array({r}));
    EXPECT_EQ(alone.rejected, 1) << b.field << " = " << b.value.dump();
    EXPECT_NE(alone.first_rejection.find(std::string("records[0].") + b.field), std::string::npos)
        << alone.first_rejection;
  }
  records.push_back(42);  // not an object
  records.push_back(Minimal());
  CallLogBatch batch = Parse(records);
  EXPECT_EQ(batch.records.size(), 2u);
  EXPECT_EQ(batch.rejected, static_cast<int64_t>(bad.size()) + 1);
  EXPECT_NE(batch.first_rejection.find("records[1].request_id"), std::string::npos)
      << batch.first_rejection;
}

TEST(CallLogIngestTest, LongTextsAreCutAtACharacterBoundary) {
  json r = Minimal();
  std::string agent;
  for (int i = 0; i < 300; ++i) agent += "é";  // two bytes each
  r["user_agent"] = agent;
  r["request_id"] = "€" + std::string(127, 'x');  // 128 characters, 130 bytes
  CallLogBatch batch = Parse(json::array({r}));
  ASSERT_EQ(batch.records.size(), 1u) << batch.first_rejection;
  const CallRecord& got = batch.records[0];
  EXPECT_EQ(got.user_agent.size(), 512u);  // 256 characters
  EXPECT_EQ(got.user_agent, agent.substr(0, 512));
  EXPECT_EQ(got.request_id.size(), 130u);
}

TEST(CallLogIngestTest, NestedAndUnknownValuesAreSkippedOrRejected) {
  json unknown = Minimal();
  unknown["future_field"] = {{"deep", json::array({1, {{"x", "y"}}, "z"})}};
  unknown["another"] = json::array({json::array(), json::object()});
  json nested_field = Minimal();
  nested_field["org_id"] = {{"id", 3}};
  json nested_text = Minimal();
  nested_text["user_agent"] = json::array({"a", "b"});
  json body = {{"version", {{"records", json::array({1, 2})}}},
               {"records", json::array({unknown, json::array({Minimal(), 1}), nested_field, "text",
                                        nested_text, Minimal()})},
               {"trailer", json::array({json::object()})}};
  auto batch = ParseCallLogBatch(body.dump());
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->records.size(), 2u);  // the record with unknown fields, and the last
  EXPECT_EQ(batch->rejected, 4);
  EXPECT_EQ(batch->first_rejection, "records[1]: must be an object");
  EXPECT_EQ(batch->records[0].org_id, 3);
  auto one = ParseCallLogBatch(json{{"records", json::array({nested_field})}}.dump());
  EXPECT_EQ(one->first_rejection, "records[0].org_id: must be an integer");
  auto text = ParseCallLogBatch(json{{"records", json::array({nested_text})}}.dump());
  EXPECT_EQ(text->first_rejection, "records[0].user_agent: must be a string");
  EXPECT_EQ(ParseCallLogBatch(R"({"records":[],"records":[]})").status().field(), "records");
  EXPECT_EQ(ParseCallLogBatch(R"({"records":[]} trailing)").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ParseCallLogBatch(R"({"records":[{"request_id":"a","time_ms":1,"org_id":2}])")
                .status()
                .code(),
            Code::kInvalidArgument);  // cut off
}

TEST(CallLogIngestTest, BatchErrors) {
  EXPECT_EQ(ParseCallLogBatch("not json").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseCallLogBatch("[]").status().code(), Code::kInvalidArgument);
  // Text that is not UTF-8 is not JSON: the gateway must send valid text.
  EXPECT_EQ(ParseCallLogBatch("{\"records\":[{\"request_id\":\"\xff\"}]}").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ParseCallLogBatch(R"({"records":{}})").status().field(), "records");
  EXPECT_EQ(ParseCallLogBatch(R"({"rows":[]})").status().field(), "records");
  EXPECT_TRUE(ParseCallLogBatch(R"({"records":[]})").ok());
  json many = json::array();
  for (size_t i = 0; i <= kCallLogMaxBatchRecords; ++i) many.push_back(Minimal());
  auto too_many = ParseCallLogBatch(json{{"records", many}}.dump());
  EXPECT_EQ(too_many.status().code(), Code::kPayloadTooLarge);
  many.erase(many.begin());
  EXPECT_TRUE(ParseCallLogBatch(json{{"records", many}}.dump()).ok());
  std::string huge = R"({"records":[],"pad":")" + std::string(kCallLogMaxBatchBytes, 'x') + "\"}";
  EXPECT_EQ(ParseCallLogBatch(huge).status().code(), Code::kPayloadTooLarge);
}

}  // namespace
}  // namespace hai::portal
