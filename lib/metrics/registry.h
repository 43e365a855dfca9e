#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hai::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A family of time series sharing a name, help text and label names, rendered
// in the Prometheus text exposition format. Thread-safe.
class Family {
 public:
  enum class Type { kCounter, kGauge, kHistogram };
  Family(std::string name, std::string help, Type type, std::vector<double> buckets = {});

  void Add(const Labels& labels, double delta);   // counter or gauge
  void Set(const Labels& labels, double value);   // gauge
  void Observe(const Labels& labels, double value);  // histogram
  double Value(const Labels& labels) const;  // counter or gauge; 0 when absent
  uint64_t Count(const Labels& labels) const;  // histogram observations
  void Render(std::string* out) const;

 private:
  struct Series {
    double value = 0;
    std::vector<uint64_t> bucket_counts;
    uint64_t count = 0;
    double sum = 0;
  };
  Series& At(const Labels& labels);

  const std::string name_;
  const std::string help_;
  const Type type_;
  const std::vector<double> buckets_;
  mutable std::mutex mu_;
  std::map<Labels, Series> series_;
};

// The metrics of one process. Each component declares its families once, at
// start, and keeps the returned pointers (owned by the registry).
class Registry {
 public:
  Family* Counter(const std::string& name, const std::string& help);
  Family* Gauge(const std::string& name, const std::string& help);
  Family* Histogram(const std::string& name, const std::string& help,
                    std::vector<double> buckets);
  std::string Render() const;

  // Buckets for request latencies in seconds, 1 ms to 60 s.
  static std::vector<double> LatencyBuckets();

 private:
  Family* Make(const std::string& name, const std::string& help, Family::Type type,
               std::vector<double> buckets);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;
};

std::string EscapeLabelValue(const std::string& value);

}  // namespace hai::metrics
