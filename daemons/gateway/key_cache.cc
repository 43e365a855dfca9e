#include "daemons/gateway/key_cache.h"

#include <algorithm>

#include "lib/base/random.h"

namespace hai::gateway {

KeyInfo KeyCache::Applied(KeyInfo info, int64_t now) const {
  if (info.valid && info.expires_at_ms && *info.expires_at_ms <= now) {
    info.valid = false;
    info.reason = "expired";
  }
  return info;
}

Result<KeyLookup> KeyCache::Lookup(const std::string& secret) {
  const std::string digest = Sha256Hex(secret);
  const int64_t now = clock_->NowMs();
  std::optional<Entry> cached;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(digest);
    if (it != entries_.end()) cached = it->second;
  }
  if (cached && now - cached->checked_ms < options_.ttl_ms)
    return KeyLookup{Applied(cached->info, now), false};
  Result<KeyInfo> fresh = validator_->Validate(secret);
  if (!fresh.ok()) {
    if (cached) return KeyLookup{Applied(cached->info, now), true};
    return fresh.status();
  }
  Store(digest, *fresh, now);
  return KeyLookup{Applied(*fresh, now), false};
}

void KeyCache::Store(const std::string& digest, const KeyInfo& info, int64_t now) {
  std::lock_guard lock(mu_);
  entries_[digest] = {info, now};
  if (entries_.size() <= options_.max_entries) return;
  // Over the bound (someone trying many keys): drop the longest unchecked
  // tenth, so the scan is paid once per many insertions.
  std::vector<std::pair<int64_t, std::string>> by_age;
  by_age.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) by_age.emplace_back(entry.checked_ms, key);
  const size_t drop = std::max<size_t>(1, entries_.size() / 10);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   by_age.end());
  for (size_t i = 0; i < drop; ++i)
    if (by_age[i].second != digest) entries_.erase(by_age[i].second);
}

size_t KeyCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace hai::gateway
