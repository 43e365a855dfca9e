#include "daemons/agent/model_cache.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "lib/base/random.h"
#include "lib/log/log.h"

namespace hai::agent {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::milliseconds kWaitPoll{250};
constexpr std::uintmax_t kMaxMarkerBytes = 64 << 20;

Status Cancelled() { return Status::Unavailable("cancelled"); }

Status WithModel(int64_t model_id, const Status& st) {
  return Status(st.code(), "model " + std::to_string(model_id) + ": " + st.message());
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Unavailable("cannot open " + dir + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::Unavailable("cannot sync " + dir + ": " + std::strerror(err));
  return Status::Ok();
}

Status WriteMarker(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Status::Unavailable("cannot create " + path + ": " + std::strerror(errno));
  std::string_view rest = text;
  int err = 0;
  while (!rest.empty() && err == 0) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      err = errno;
    else
      rest.remove_prefix(static_cast<size_t>(n));
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0)
    return Status(err == ENOSPC ? Code::kResourceExhausted : Code::kUnavailable,
                  "cannot write " + path + ": " + std::strerror(err));
  return Status::Ok();
}

// The manifest a complete folder's marker holds.
Result<cluster::ModelManifest> ReadMarker(const std::string& folder) {
  const std::string path = folder + "/" + ModelCache::kMarker;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Status::NotFound("no marker in " + folder);
  if (size > kMaxMarkerBytes) return Status::FailedPrecondition("marker too large in " + folder);
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  auto m = cluster::ModelManifestFromJson(j);
  if (!m.ok()) return Status::FailedPrecondition("damaged marker in " + folder);
  return m;
}

// Removes `dir` on every path out unless kept.
class TemporaryFolder {
 public:
  explicit TemporaryFolder(std::string path) : path_(std::move(path)) {}
  ~TemporaryFolder() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// ".tmp-<pid>-…" / ".trash-<pid>-…" → pid; 0 when the name is not ours.
pid_t OwnerOf(const std::string& name) {
  for (const char* prefix : {".tmp-", ".trash-"}) {
    const size_t len = std::strlen(prefix);
    if (name.compare(0, len, prefix) != 0) continue;
    const size_t dash = name.find('-', len);
    const std::string digits = name.substr(len, dash == std::string::npos ? 0 : dash - len);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return 0;
    return static_cast<pid_t>(std::stol(digits));
  }
  return 0;
}

}  // namespace

ModelCache::Lease::~Lease() { cache_->Unpin(key_); }

ModelCache::ModelCache(ModelCacheSettings settings, const ModelSource* source)
    : settings_(std::move(settings)), source_(source) {}

std::string ModelCache::Key(int64_t model_id, const std::string& digest) {
  return std::to_string(model_id) + "-" + digest.substr(0, 16);
}

int64_t ModelCache::downloads() const {
  std::lock_guard lock(mu_);
  return downloads_;
}

void ModelCache::CleanUp() {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(settings_.dir, ec)) {
    const std::string name = e.path().filename().string();
    const pid_t owner = OwnerOf(name);
    if (owner <= 0) continue;
    // Another agent sharing this folder may still be writing its own.
    const bool alive = owner != ::getpid() && (::kill(owner, 0) == 0 || errno == EPERM);
    if (alive) continue;
    std::error_code rm;
    fs::remove_all(e.path(), rm);
    log::Info("model cache: removed a leftover folder",
              {{"path", e.path().string()}, {"error", rm ? rm.message() : ""}});
  }
}

Status ModelCache::CheckComplete(const std::string& key, const std::string& digest) const {
  const std::string folder = settings_.dir + "/" + key;
  HAI_ASSIGN_OR_RETURN(cluster::ModelManifest m, ReadMarker(folder));
  if (m.digest != digest) return Status::FailedPrecondition(folder + " holds digest " + m.digest);
  for (const cluster::ModelFileEntry& f : m.files) {
    struct stat st {};
    const std::string path = folder + "/" + f.path;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != f.bytes)
      return Status::FailedPrecondition(path + " is missing or has changed");
  }
  return Status::Ok();
}

timespec ModelCache::NextStampLocked() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  // Strictly increasing, so that two uses in one clock tick keep their order.
  const bool later = now.tv_sec > last_stamp_.tv_sec ||
                     (now.tv_sec == last_stamp_.tv_sec && now.tv_nsec > last_stamp_.tv_nsec);
  if (!later) {
    now = last_stamp_;
    now.tv_nsec += 1000;
    if (now.tv_nsec >= 1000000000) {
      now.tv_nsec -= 1000000000;
      ++now.tv_sec;
    }
  }
  last_stamp_ = now;
  return now;
}

std::shared_ptr<ModelCache::Lease> ModelCache::PinLocked(const std::string& key) {
  ++leases_[key];
  const std::string folder = settings_.dir + "/" + key;
  const timespec stamp = NextStampLocked();
  const timespec times[2] = {stamp, stamp};
  const std::string marker = folder + "/" + kMarker;
  if (::utimensat(AT_FDCWD, marker.c_str(), times, 0) != 0)
    log::Warn("model cache: cannot record a use",
              {{"path", marker}, {"error", std::strerror(errno)}});
  return std::shared_ptr<Lease>(new Lease(this, key, folder));
}

void ModelCache::Unpin(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    auto it = leases_.find(key);
    if (it != leases_.end() && --it->second <= 0) leases_.erase(it);
  }
  // A model nobody uses any more may now be the one that has to go.
  Evict(0, "");
}

Result<std::shared_ptr<ModelCache::Lease>> ModelCache::Ensure(int64_t model_id,
                                                              const std::string& digest_hint,
                                                              const FetchProgress& progress,
                                                              const FetchCancelled& cancelled) {
  auto is_cancelled = [&] { return cancelled && cancelled(); };
  if (!digest_hint.empty()) {
    std::lock_guard lock(mu_);
    const std::string key = Key(model_id, digest_hint);
    if (CheckComplete(key, digest_hint).ok()) return PinLocked(key);
  }
  auto manifest = source_->Manifest(model_id);
  if (!manifest.ok()) return WithModel(model_id, manifest.status());
  for (const cluster::ModelFileEntry& f : manifest->files)
    if (f.path == kMarker)
      return Status::InvalidArgument("model " + std::to_string(model_id) + ": a file is named " +
                                     kMarker + ", which the cache reserves");
  const std::string key = Key(model_id, manifest->digest);

  std::unique_lock lock(mu_);
  for (;;) {
    if (is_cancelled()) return Cancelled();
    if (CheckComplete(key, manifest->digest).ok()) return PinLocked(key);
    auto it = fetching_.find(key);
    if (it == fetching_.end()) break;
    // Another replica fetches it: wait for that one download.
    std::shared_ptr<Fetch> other = it->second;
    while (!other->finished) {
      const int64_t done = other->done, total = other->total;
      lock.unlock();
      if (progress) progress(done, total);
      if (is_cancelled()) return Cancelled();
      lock.lock();
      if (!other->finished) cv_.wait_for(lock, kWaitPoll);
    }
    if (!other->status.ok() && !other->cancelled) return other->status;
    // It succeeded (found complete above next time round), or its replica
    // went away before it finished: then this caller fetches.
  }
  auto fetch = std::make_shared<Fetch>();
  fetch->total = manifest->bytes;
  fetching_[key] = fetch;
  lock.unlock();
  Status st = Download(key, *manifest, fetch.get(), progress, cancelled);
  lock.lock();
  fetch->finished = true;
  fetch->cancelled = !st.ok() && is_cancelled();
  fetch->status = st.ok() || fetch->cancelled ? st : WithModel(model_id, st);
  fetching_.erase(key);
  cv_.notify_all();
  if (!st.ok()) return fetch->cancelled ? Cancelled() : fetch->status;
  ++downloads_;
  return PinLocked(key);
}

Status ModelCache::Download(const std::string& key, const cluster::ModelManifest& manifest,
                            Fetch* fetch, const FetchProgress& progress,
                            const FetchCancelled& cancelled) {
  Evict(manifest.bytes, key);
  std::error_code ec;
  fs::create_directories(settings_.dir, ec);
  if (ec) return Status::Unavailable("cannot create " + settings_.dir + ": " + ec.message());
  TemporaryFolder tmp(settings_.dir + "/.tmp-" + std::to_string(::getpid()) + "-" + key + "-" +
                      RandomToken(6));
  if (::mkdir(tmp.path().c_str(), 0750) != 0)
    return Status::Unavailable("cannot create " + tmp.path() + ": " + std::strerror(errno));
  if (progress) progress(0, manifest.bytes);
  std::set<std::string> dirs = {tmp.path()};
  int64_t done = 0;
  for (const cluster::ModelFileEntry& f : manifest.files) {
    const std::string dest = tmp.path() + "/" + f.path;
    const std::string parent = dest.substr(0, dest.rfind('/'));
    if (parent != tmp.path()) {
      fs::create_directories(parent, ec);
      if (ec) return Status::Unavailable("cannot create " + parent + ": " + ec.message());
      for (std::string d = parent; d.size() > tmp.path().size(); d = d.substr(0, d.rfind('/')))
        dirs.insert(d);
    }
    HAI_RETURN_IF_ERROR(source_->Download(
        manifest.model_id, f, dest,
        [&](int64_t bytes) {
          done += bytes;
          fetch->done = done;
          if (progress) progress(done, manifest.bytes);
        },
        cancelled));
  }
  // Written last: a folder with this marker is whole.
  HAI_RETURN_IF_ERROR(WriteMarker(tmp.path() + "/" + kMarker, cluster::ToJson(manifest).dump()));
  for (const std::string& d : dirs) HAI_RETURN_IF_ERROR(SyncDirectory(d));
  return Install(tmp.path(), key, manifest.digest);
}

Status ModelCache::Install(const std::string& tmp, const std::string& key,
                           const std::string& digest) {
  const std::string final_dir = settings_.dir + "/" + key;
  if (::rename(tmp.c_str(), final_dir.c_str()) != 0) {
    if (errno != ENOTEMPTY && errno != EEXIST)
      return Status::Unavailable("cannot move the download into " + final_dir + ": " +
                                 std::strerror(errno));
    // Another agent sharing the folder was quicker, or a damaged copy is in
    // the way (the temporary folder is removed by its owner either way).
    if (CheckComplete(key, digest).ok()) return Status::Ok();
    Discard(final_dir);
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0)
      return Status::Unavailable("cannot move the download into " + final_dir + ": " +
                                 std::strerror(errno));
  }
  return SyncDirectory(settings_.dir);
}

void ModelCache::Discard(const std::string& path) {
  const std::string trash =
      settings_.dir + "/.trash-" + std::to_string(::getpid()) + "-" + RandomToken(6);
  std::error_code ec;
  if (::rename(path.c_str(), trash.c_str()) == 0)
    fs::remove_all(trash, ec);
  else
    fs::remove_all(path, ec);
}

void ModelCache::Evict(int64_t incoming, const std::string& keep) {
  if (settings_.max_bytes <= 0) return;
  struct Entry {
    std::string key;
    int64_t bytes;
    timespec used;
  };
  std::lock_guard one_at_a_time(evict_mu_);
  std::vector<std::pair<std::string, std::string>> moved;  // key, trash path
  {
    std::lock_guard lock(mu_);
    std::vector<Entry> entries;
    int64_t total = 0;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(settings_.dir, ec)) {
      const std::string key = e.path().filename().string();
      if (key.empty() || key[0] == '.') continue;
      auto m = ReadMarker(e.path().string());
      if (!m.ok()) continue;
      struct stat st {};
      const std::string marker = e.path().string() + "/" + kMarker;
      if (::stat(marker.c_str(), &st) != 0) continue;
      entries.push_back({key, m->bytes, st.st_mtim});
      total += m->bytes;
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.used.tv_sec != b.used.tv_sec ? a.used.tv_sec < b.used.tv_sec
                                            : a.used.tv_nsec < b.used.tv_nsec;
    });
    for (const Entry& e : entries) {
      if (total + incoming <= settings_.max_bytes) break;
      if (e.key == keep || leases_.count(e.key) > 0 || fetching_.count(e.key) > 0) continue;
      const std::string trash =
          settings_.dir + "/.trash-" + std::to_string(::getpid()) + "-" + RandomToken(6);
      if (::rename((settings_.dir + "/" + e.key).c_str(), trash.c_str()) != 0) continue;
      moved.emplace_back(e.key, trash);
      total -= e.bytes;
    }
  }
  for (const auto& [key, trash] : moved) {
    std::error_code ec;
    fs::remove_all(trash, ec);
    log::Info("model cache: removed the least recently used model",
              {{"model", key}, {"dir", settings_.dir}});
  }
}

}  // namespace hai::agent
