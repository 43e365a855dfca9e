#include "lib/metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace hai::metrics {
namespace {

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

std::string RenderLabels(const Labels& labels, const std::string& extra_key = {},
                         const std::string& extra_value = {}) {
  if (labels.empty() && extra_key.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k + "=\"" + EscapeLabelValue(v) + "\"";
  }
  if (!extra_key.empty()) {
    if (!first) out += ',';
    out += extra_key + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

}  // namespace

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

Family::Family(std::string name, std::string help, Type type, std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), type_(type), buckets_(std::move(buckets)) {}

Family::Series& Family::At(const Labels& labels) {
  auto it = series_.find(labels);
  if (it == series_.end()) {
    it = series_.emplace(labels, Series{}).first;
    it->second.bucket_counts.assign(buckets_.size(), 0);
  }
  return it->second;
}

void Family::Add(const Labels& labels, double delta) {
  std::lock_guard lock(mu_);
  At(labels).value += delta;
}

void Family::Set(const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  At(labels).value = value;
}

void Family::Observe(const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  Series& s = At(labels);
  for (size_t i = 0; i < buckets_.size(); ++i)
    if (value <= buckets_[i]) ++s.bucket_counts[i];
  ++s.count;
  s.sum += value;
}

double Family::Value(const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.value;
}

uint64_t Family::Count(const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.count;
}

void Family::Render(std::string* out) const {
  static const char* kTypeNames[] = {"counter", "gauge", "histogram"};
  std::lock_guard lock(mu_);
  *out += "# HELP " + name_ + " " + help_ + "\n";
  *out += "# TYPE " + name_ + " " + kTypeNames[static_cast<int>(type_)] + "\n";
  for (const auto& [labels, s] : series_) {
    if (type_ != Type::kHistogram) {
      *out += name_ + RenderLabels(labels) + " " + FormatNumber(s.value) + "\n";
      continue;
    }
    for (size_t i = 0; i < buckets_.size(); ++i)
      *out += name_ + "_bucket" + RenderLabels(labels, "le", FormatNumber(buckets_[i])) + " " +
              std::to_string(s.bucket_counts[i]) + "\n";
    *out += name_ + "_bucket" + RenderLabels(labels, "le", "+Inf") + " " +
            std::to_string(s.count) + "\n";
    *out += name_ + "_sum" + RenderLabels(labels) + " " + FormatNumber(s.sum) + "\n";
    *out += name_ + "_count" + RenderLabels(labels) + " " + std::to_string(s.count) + "\n";
  }
}

Family* Registry::Make(const std::string& name, const std::string& help, Family::Type type,
                       std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  families_.push_back(std::make_unique<Family>(name, help, type, std::move(buckets)));
  return families_.back().get();
}

Family* Registry::Counter(const std::string& name, const std::string& help) {
  return Make(name, help, Family::Type::kCounter, {});
}

Family* Registry::Gauge(const std::string& name, const std::string& help) {
  return Make(name, help, Family::Type::kGauge, {});
}

Family* Registry::Histogram(const std::string& name, const std::string& help,
                            std::vector<double> buckets) {
  std::sort(buckets.begin(), buckets.end());
  return Make(name, help, Family::Type::kHistogram, std::move(buckets));
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& f : families_) f->Render(&out);
  return out;
}

std::vector<double> Registry::LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace hai::metrics
