#pragma once

#include <cstdint>
#include <mutex>

namespace hai {

// Wall-clock seam: logic that expires sessions or locks accounts takes a Clock
// so tests can move time instead of sleeping. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
  static SystemClock* Get();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t NowMs() const override {
    std::lock_guard lock(mu_);
    return now_ms_;
  }
  void AdvanceMs(int64_t ms) {
    std::lock_guard lock(mu_);
    now_ms_ += ms;
  }

 private:
  mutable std::mutex mu_;
  int64_t now_ms_;
};

}  // namespace hai
