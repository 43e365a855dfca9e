#include "daemons/gateway/rate_limiter.h"

#include <algorithm>
#include <vector>

namespace hai::gateway {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

size_t Bucket(int64_t second) {
  return static_cast<size_t>(
      ((second % RateLimiter::kWindowSeconds) + RateLimiter::kWindowSeconds) %
      RateLimiter::kWindowSeconds);
}

}  // namespace

void RateLimiter::Window::Roll(int64_t now_s) {
  for (size_t i = 0; i < second.size(); ++i) {
    // Outside the window, or ahead of it (the wall clock was set back).
    if (second[i] <= now_s - kWindowSeconds || second[i] > now_s) {
      second[i] = 0;
      requests[i] = 0;
      tokens[i] = 0;
    }
  }
  const size_t b = Bucket(now_s);
  if (second[b] != now_s) {
    second[b] = now_s;
    requests[b] = 0;
    tokens[b] = 0;
  }
  last_used_s = now_s;
}

int64_t RateLimiter::Window::Requests() const {
  int64_t n = 0;
  for (int64_t r : requests) n += r;
  return n;
}

int64_t RateLimiter::Window::Tokens() const {
  int64_t n = 0;
  for (int64_t t : tokens) n += t;
  return n;
}

int64_t RateLimiter::Window::RetryAfter(const std::array<int64_t, kWindowSeconds>& counts,
                                        int64_t limit, int64_t now_ms) const {
  std::vector<std::pair<int64_t, int64_t>> by_second;  // oldest first
  int64_t total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] <= 0) continue;
    by_second.emplace_back(second[i], counts[i]);
    total += counts[i];
  }
  std::sort(by_second.begin(), by_second.end());
  // The window admits again once the count is below the limit: the oldest
  // buckets leave it until that many have gone.
  const int64_t must_leave = total - limit + 1;
  int64_t left = 0;
  for (const auto& [s, count] : by_second) {
    left += count;
    if (left < must_leave) continue;
    const int64_t wait_ms = (s + kWindowSeconds) * 1000 - now_ms;
    return std::max<int64_t>(1, (wait_ms + 999) / 1000);
  }
  return kWindowSeconds;
}

RateLimiter::Window& RateLimiter::At(const Key& key, int64_t now_s) {
  Window& w = windows_[key];
  w.Roll(now_s);
  return w;
}

void RateLimiter::DropIdle(int64_t now_s) {
  if (now_s - last_sweep_s_ < kWindowSeconds) return;
  last_sweep_s_ = now_s;
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (it->second.last_used_s <= now_s - kWindowSeconds)
      it = windows_.erase(it);
    else
      ++it;
  }
}

std::optional<Admission> RateLimiter::Check(Window& w, const Limits& limits,
                                            const std::string& scope, int64_t now_ms) {
  Admission refusal;
  refusal.admitted = false;
  refusal.scope = scope;
  const std::string whose = scope == "key" ? "the API key's" : "the organisation's";
  if (limits.rpm && w.Requests() >= *limits.rpm) {
    refusal.kind = "requests";
    refusal.refused_by =
        whose + " limit of " + std::to_string(*limits.rpm) + " requests per minute";
    refusal.retry_after_s = w.RetryAfter(w.requests, *limits.rpm, now_ms);
    return refusal;
  }
  if (limits.tpm && w.Tokens() >= *limits.tpm) {
    refusal.kind = "tokens";
    refusal.refused_by = whose + " limit of " + std::to_string(*limits.tpm) + " tokens per minute";
    refusal.retry_after_s = w.RetryAfter(w.tokens, *limits.tpm, now_ms);
    return refusal;
  }
  return std::nullopt;
}

Admission RateLimiter::Admit(const LimitSubject& subject) {
  if (!subject.key.any() && !subject.org.any()) return {};
  const int64_t now_ms = clock_->NowMs();
  const int64_t now_s = FloorDiv(now_ms, 1000);
  std::lock_guard lock(mu_);
  DropIdle(now_s);
  Window* key = subject.key.any() ? &At({'k', subject.key_id}, now_s) : nullptr;
  Window* org = subject.org.any() ? &At({'o', subject.org_id}, now_s) : nullptr;
  std::optional<Admission> refusal;
  if (key) refusal = Check(*key, subject.key, "key", now_ms);
  if (!refusal && org) refusal = Check(*org, subject.org, "org", now_ms);
  Admission out = refusal ? *refusal : Admission{};
  if (out.admitted) {
    const size_t b = Bucket(now_s);
    if (key) ++key->requests[b];
    if (org) ++org->requests[b];
  }
  // The request limit closest to refusing, for the caller's headers.
  auto report = [&out](Window* w, const Limits& limits) {
    if (!w || !limits.rpm) return;
    const int64_t remaining = std::max<int64_t>(0, *limits.rpm - w->Requests());
    if (!out.request_limit || remaining < out.remaining_requests) {
      out.request_limit = limits.rpm;
      out.remaining_requests = remaining;
    }
  };
  report(key, subject.key);
  report(org, subject.org);
  return out;
}

void RateLimiter::AddTokens(const LimitSubject& subject, int64_t tokens) {
  if (tokens <= 0 || (!subject.key.tpm && !subject.org.tpm)) return;
  const int64_t now_s = FloorDiv(clock_->NowMs(), 1000);
  const size_t b = Bucket(now_s);
  std::lock_guard lock(mu_);
  if (subject.key.tpm) At({'k', subject.key_id}, now_s).tokens[b] += tokens;
  if (subject.org.tpm) At({'o', subject.org_id}, now_s).tokens[b] += tokens;
}

size_t RateLimiter::windows() const {
  std::lock_guard lock(mu_);
  return windows_.size();
}

}  // namespace hai::gateway
