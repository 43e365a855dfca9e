#include "daemons/gateway/client_pool.h"

#include <algorithm>
#include <iterator>

namespace hai::gateway {

ClientPool::Lease::~Lease() {
  if (client_ && !discard_) pool_->Return(peer_, std::move(client_));
}

ClientPool::Lease ClientPool::Acquire(const http::HttpUrl& peer) {
  std::vector<Idle> stale;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    auto it = idle_.find(KeyOf(peer));
    if (it != idle_.end()) {
      const auto now = std::chrono::steady_clock::now();
      std::vector<Idle>& idle = it->second;
      // The most recently returned are at the back; the front ones age out.
      auto fresh = std::find_if(idle.begin(), idle.end(),
                                [now](const Idle& i) { return now - i.since < kMaxIdle; });
      std::move(idle.begin(), fresh, std::back_inserter(stale));
      idle.erase(idle.begin(), fresh);
      if (!idle.empty()) {
        std::unique_ptr<http::Client> client = std::move(idle.back().client);
        idle.pop_back();
        return Lease(this, peer, std::move(client));
      }
    }
  }
  auto client = std::make_unique<http::Client>(peer, ca_file_, timeout_ms_);
  client->SetConnectTimeout(connect_timeout_ms_);
  return Lease(this, peer, std::move(client));
}

void ClientPool::Return(const http::HttpUrl& peer, std::unique_ptr<http::Client> client) {
  std::lock_guard lock(mu_);
  auto& idle = idle_[KeyOf(peer)];
  if (idle.size() < max_idle_per_peer_)
    idle.push_back({std::move(client), std::chrono::steady_clock::now()});
}

}  // namespace hai::gateway
