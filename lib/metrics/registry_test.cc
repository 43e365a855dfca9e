#include "lib/metrics/registry.h"

#include <gtest/gtest.h>

namespace hai::metrics {
namespace {

TEST(RegistryTest, RendersCountersAndGauges) {
  Registry r;
  Family* c = r.Counter("hai_requests_total", "Requests.");
  Family* g = r.Gauge("hai_sessions", "Open sessions.");
  c->Add({{"route", "/a"}, {"status", "200"}}, 1);
  c->Add({{"route", "/a"}, {"status", "200"}}, 2);
  g->Set({}, 4.5);
  EXPECT_EQ(r.Render(),
            "# HELP hai_requests_total Requests.\n# TYPE hai_requests_total counter\n"
            "hai_requests_total{route=\"/a\",status=\"200\"} 3\n"
            "# HELP hai_sessions Open sessions.\n# TYPE hai_sessions gauge\nhai_sessions 4.5\n");
}

TEST(RegistryTest, HistogramBucketsAreCumulative) {
  Registry r;
  Family* h = r.Histogram("lat_seconds", "Latency.", {0.1, 1});
  h->Observe({}, 0.05);
  h->Observe({}, 0.5);
  h->Observe({}, 5);
  std::string text = r.Render();
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count 3\n"), std::string::npos);
  EXPECT_EQ(h->Count({}), 3u);
}

TEST(RegistryTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace hai::metrics
