#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "daemons/agent/model_source.h"
#include "lib/base/status.h"
#include "lib/cluster/model_manifest.h"

namespace hai::agent {

struct ModelCacheSettings {
  std::string dir;        // <data_dir>/model-cache unless configured
  int64_t max_bytes = 0;  // 0: unlimited
};

// Progress of the download a caller waits for (its own or another
// replica's): bytes so far of the total.
using FetchProgress = std::function<void(int64_t done, int64_t total)>;
// Asked while fetching or waiting: true ends the call (a Unavailable
// "cancelled"), e.g. because the replica was deleted meanwhile.
using FetchCancelled = std::function<bool()>;

// Models fetched from the control node, one folder each:
// <dir>/<model id>-<first 16 hex of the digest>/. A folder is built as
// <dir>/.tmp-<pid>-<key>-<random>, each file checked against the manifest as
// it is written and synced, then a marker (.hai-model-complete, the manifest
// itself) is written last and the folder renamed into place; so a folder
// under its final name is whole, and only a folder whose marker matches the
// wanted digest (and whose files have their sizes) is ever used. Callers
// wanting a model that is being fetched wait for that one download. When
// max_bytes is exceeded, the least recently used models no lease holds are
// removed (the marker's modification time records the last use).
// Thread-safe. Must outlive every Lease it handed out.
class ModelCache {
 public:
  // Holds a cached model in use (by a replica): it is never evicted while
  // held. Destroying it lets go.
  class Lease {
   public:
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    const std::string& path() const { return path_; }

   private:
    friend class ModelCache;
    Lease(ModelCache* cache, std::string key, std::string path)
        : cache_(cache), key_(std::move(key)), path_(std::move(path)) {}
    ModelCache* cache_;
    std::string key_;
    std::string path_;
  };

  ModelCache(ModelCacheSettings settings, const ModelSource* source);

  // Removes temporary folders that processes no longer running left behind
  // (an agent killed in the middle of a download). Once, at start.
  void CleanUp();

  // The folder of the model, fetched first when it is not cached. With a
  // non-empty `digest_hint` (the assignment's) a cached copy is found without
  // asking the scheduler, so replicas restart while the control node is
  // away. Errors name the file and the problem; nothing half-written is kept.
  Result<std::shared_ptr<Lease>> Ensure(int64_t model_id, const std::string& digest_hint,
                                        const FetchProgress& progress,
                                        const FetchCancelled& cancelled);

  // "<model id>-<first 16 hex of the digest>": the folder's name.
  static std::string Key(int64_t model_id, const std::string& digest);
  static constexpr const char* kMarker = ".hai-model-complete";

  const std::string& dir() const { return settings_.dir; }
  // Models downloaded by this process (for logs and tests).
  int64_t downloads() const;

 private:
  struct Fetch {
    std::atomic<int64_t> done{0};  // written by the fetching thread without mu_
    int64_t total = 0;
    bool finished = false;
    bool cancelled = false;  // the fetcher gave up because its caller went away
    Status status;
  };

  // OK when <dir>/<key> is whole and holds `digest`.
  Status CheckComplete(const std::string& key, const std::string& digest) const;
  std::shared_ptr<Lease> PinLocked(const std::string& key);
  void Unpin(const std::string& key);
  // Downloads into a temporary folder and renames it into place.
  Status Download(const std::string& key, const cluster::ModelManifest& manifest, Fetch* fetch,
                  const FetchProgress& progress, const FetchCancelled& cancelled);
  Status Install(const std::string& tmp, const std::string& key, const std::string& digest);
  // Removes least recently used, unleased models until `incoming` more bytes
  // fit under max_bytes (as far as that is possible).
  void Evict(int64_t incoming, const std::string& keep);
  // Moves a folder out of the way under a hidden name, then removes it, so
  // nothing half-removed ever carries a final name.
  void Discard(const std::string& path);
  timespec NextStampLocked();

  const ModelCacheSettings settings_;
  const ModelSource* source_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, int> leases_;                       // GUARDED_BY(mu_): key → holders
  std::map<std::string, std::shared_ptr<Fetch>> fetching_;  // GUARDED_BY(mu_)
  timespec last_stamp_{};                                   // GUARDED_BY(mu_)
  int64_t downloads_ = 0;                                   // GUARDED_BY(mu_)
  std::mutex evict_mu_;  // one eviction at a time; never held with mu_ across I/O
};

}  // namespace hai::agent
