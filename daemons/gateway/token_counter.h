#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "daemons/gateway/model_tokenizer.h"
#include "lib/base/clock.h"
#include "lib/http/client.h"
#include "lib/http/url.h"

namespace hai::gateway {

struct TokenCounterOptions {
  size_t max_models = 16;           // tokenizers kept; the least recently used goes first
  int64_t retry_after_ms = 60'000;  // a failed load is not tried again sooner
  int timeout_ms = 30'000;          // one file fetch
};

// The tokenizers of the models the gateway serves, so that calls whose
// engine reported no `usage` are counted as the engine would count them.
// A model's tokenizer.json and tokenizer_config.json (when it has one) are
// fetched from the scheduler's model file route
// (GET /internal/v1/models/{id}/files/{path}, cluster token) on a thread of
// its own, never on a request's path: until a model's tokenizer is loaded,
// Find answers nullptr and the caller estimates. A model whose digest
// changes (re-imported) is loaded again; a failed load (no tokenizer.json,
// scheduler away, a file we cannot read) is remembered for retry_after_ms.
// Thread-safe; Start/Stop from one thread.
class TokenCounter {
 public:
  TokenCounter(http::HttpUrl scheduler, std::string cluster_token, const Clock* clock,
               TokenCounterOptions options = {});
  ~TokenCounter();
  void Start();
  void Stop();

  // Never waits: the model's loaded tokenizer, or nullptr while it loads
  // (the load is asked for here) or after a failed load. Model id 0: none.
  std::shared_ptr<const ModelTokenizer> Find(int64_t model_id, const std::string& digest);

  enum class State { kUnknown, kLoading, kLoaded, kFailed };
  State StateOf(int64_t model_id) const;

 private:
  struct Entry {
    std::string digest;
    State state = State::kLoading;
    std::shared_ptr<const ModelTokenizer> tokenizer;
    int64_t failed_at_ms = 0;
    uint64_t used = 0;  // LRU tick
  };
  struct Load {
    int64_t model_id = 0;
    std::string digest;
  };

  void Run();
  // Both files, fetched and read; an error names the model and the file.
  Result<std::unique_ptr<ModelTokenizer>> Fetch(int64_t model_id);
  // A file's text; "" for a 404 when `optional`.
  Result<std::string> File(int64_t model_id, const std::string& path, bool optional);
  void Ask(int64_t model_id, const std::string& digest);  // mu_ held
  void EvictOne();                                        // mu_ held

  http::HttpUrl scheduler_;
  std::string token_;
  const Clock* clock_;
  TokenCounterOptions options_;
  http::Client client_;  // the loader thread's; Cancel() from Stop
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, Entry> entries_;  // GUARDED_BY(mu_)
  std::deque<Load> queue_;            // GUARDED_BY(mu_)
  uint64_t tick_ = 0;                 // GUARDED_BY(mu_)
  bool stopping_ = false;             // GUARDED_BY(mu_)
  bool finished_ = false;             // GUARDED_BY(mu_)
};

}  // namespace hai::gateway
