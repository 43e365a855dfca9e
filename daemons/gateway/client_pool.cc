#include "daemons/gateway/client_pool.h"

#include <algorithm>
#include <iterator>

namespace hai::gateway {

ClientPool::Lease::~Lease() {
  if (client_ && !discard_) pool_->Return(host_, port_, std::move(client_));
}

ClientPool::Lease ClientPool::Acquire(const std::string& host, int port) {
  std::vector<Idle> stale;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    auto it = idle_.find({host, port});
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
        return Lease(this, host, port, std::move(client));
      }
    }
  }
  auto client = std::make_unique<http::Client>(host, port, timeout_ms_);
  client->SetConnectTimeout(connect_timeout_ms_);
  return Lease(this, host, port, std::move(client));
}

void ClientPool::Return(const std::string& host, int port, std::unique_ptr<http::Client> client) {
  std::lock_guard lock(mu_);
  auto& idle = idle_[{host, port}];
  if (idle.size() < max_idle_per_peer_)
    idle.push_back({std::move(client), std::chrono::steady_clock::now()});
}

}  // namespace hai::gateway
