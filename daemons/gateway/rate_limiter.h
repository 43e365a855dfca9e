#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "lib/base/clock.h"

namespace hai::gateway {

// Requests and tokens per minute; nullopt: no limit.
struct Limits {
  std::optional<int64_t> rpm;
  std::optional<int64_t> tpm;
  bool any() const { return rpm || tpm; }
};

// Whose windows a call counts in: its key's and its organisation's. A
// window is kept only for a side that has a limit.
struct LimitSubject {
  int64_t key_id = 0;
  Limits key;
  int64_t org_id = 0;
  Limits org;
};

struct Admission {
  bool admitted = true;
  // Refused: which limit ("the API key's requests per minute" …), and the
  // whole seconds (≥ 1) until the window admits again.
  std::string refused_by;
  std::string scope;  // "key" or "org"
  std::string kind;   // "requests" or "tokens"
  int64_t retry_after_s = 0;
  // The tighter request limit, when one applies: X-RateLimit-Limit-Requests
  // and X-RateLimit-Remaining-Requests.
  std::optional<int64_t> request_limit;
  int64_t remaining_requests = 0;
};

// Per-key and per-organisation limits over a sliding 60-second window of
// one-second buckets. A request is refused when the requests in the window
// have reached the rpm limit, or the tokens (added when each call ends) the
// tpm limit; an admitted request counts at once. Counts are this process's
// own: each gateway node limits what passes through it. Windows idle for a
// minute are dropped. Thread-safe.
class RateLimiter {
 public:
  explicit RateLimiter(const Clock* clock) : clock_(clock) {}

  Admission Admit(const LimitSubject& subject);
  // A call has ended having used `tokens` (input and output).
  void AddTokens(const LimitSubject& subject, int64_t tokens);
  // Windows held (for tests of the clean-up).
  size_t windows() const;

  static constexpr int64_t kWindowSeconds = 60;

 private:
  struct Window {
    std::array<int64_t, kWindowSeconds> second{};  // which second each bucket holds
    std::array<int64_t, kWindowSeconds> requests{};
    std::array<int64_t, kWindowSeconds> tokens{};
    int64_t last_used_s = 0;
    void Roll(int64_t now_s);
    int64_t Requests() const;
    int64_t Tokens() const;
    // Seconds from `now_ms` until the count drops below `limit` (≥ 1).
    int64_t RetryAfter(const std::array<int64_t, kWindowSeconds>& counts, int64_t limit,
                       int64_t now_ms) const;
  };
  using Key = std::pair<char, int64_t>;  // 'k' key id, 'o' org id
  // Refusal of one side's limits, or nullopt.
  std::optional<Admission> Check(Window& w, const Limits& limits, const std::string& scope,
                                 int64_t now_ms);
  Window& At(const Key& key, int64_t now_s);
  void DropIdle(int64_t now_s);

  const Clock* clock_;
  mutable std::mutex mu_;
  std::map<Key, Window> windows_;  // GUARDED_BY(mu_)
  int64_t last_sweep_s_ = 0;       // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
