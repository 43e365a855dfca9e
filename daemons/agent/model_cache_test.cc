// The agent's model cache against the scheduler's real model routes on a
// real lib/http server on loopback (tests/model_server_testing.h), serving
// real files. Every wait is bounded; nothing asserts how long anything took.
#include "daemons/agent/model_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemons/agent/model_weights.h"
#include "daemons/agent/tests/model_server_testing.h"

namespace hai::agent {
namespace {

namespace fs = std::filesystem;
using scheduler::testing::ReadBytes;

// Bytes that differ from file to file and from position to position.
std::string Bytes(size_t n, int seed) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i * 131 + seed * 17 + i / 7) % 256);
  return out;
}

class ModelCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("hai-model-cache-test-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    server_ = std::make_unique<testing::ModelServer>(dir_ + "/control");
    // A checkpoint-like folder: a config, a weights file of a few MiB (many
    // pieces on the wire) and a nested tokenizer file with a space in its name.
    files_ = {{"config.json", "{\"model_type\": \"qwen2\"}\n"},
              {"model.safetensors", Bytes((3 << 20) + 5, 1)},
              {"tokenizer/vocab file.json", Bytes(1000, 2)}};
    ASSERT_TRUE(server_->AddModel(1, "tiny", files_).ok());
    ASSERT_TRUE(server_->Start().ok());
    source_ = std::make_unique<ModelSource>(
        ModelSource::Settings{"127.0.0.1", server_->port(), server_->token(), 10000});
  }
  void TearDown() override {
    cache_.reset();
    server_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }
  ModelCache* MakeCache(int64_t max_bytes = 0) {
    cache_ =
        std::make_unique<ModelCache>(ModelCacheSettings{dir_ + "/cache", max_bytes}, source_.get());
    return cache_.get();
  }
  // Names in the cache folder (temporary ones included).
  std::vector<std::string> CacheEntries() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_ + "/cache", ec))
      out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string Digest(int64_t id) {
    auto m = source_->Manifest(id);
    return m.ok() ? m->digest : "";
  }

  std::string dir_;
  std::map<std::string, std::string> files_;
  std::unique_ptr<testing::ModelServer> server_;
  std::unique_ptr<ModelSource> source_;
  std::unique_ptr<ModelCache> cache_;
};

TEST_F(ModelCacheTest, DownloadsVerifiesAndRenamesIntoPlace) {
  ModelCache* cache = MakeCache();
  std::vector<std::pair<int64_t, int64_t>> progress;
  auto lease = cache->Ensure(
      1, "", [&](int64_t done, int64_t total) { progress.emplace_back(done, total); }, nullptr);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  const std::string digest = Digest(1);
  EXPECT_EQ((*lease)->path(), dir_ + "/cache/1-" + digest.substr(0, 16));
  for (const auto& [path, bytes] : files_)
    EXPECT_EQ(ReadBytes((*lease)->path() + "/" + path), bytes) << path;
  // The marker is the manifest; nothing temporary is left beside the folder.
  auto marker = nlohmann::json::parse(ReadBytes((*lease)->path() + "/" + ModelCache::kMarker));
  EXPECT_EQ(marker["digest"], digest);
  EXPECT_EQ(CacheEntries(), std::vector<std::string>{"1-" + digest.substr(0, 16)});
  // Progress counts up to the total, which it reaches.
  int64_t total = 0;
  for (const auto& [path, bytes] : files_) total += static_cast<int64_t>(bytes.size());
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.front(), std::make_pair(int64_t{0}, total));
  EXPECT_EQ(progress.back(), std::make_pair(total, total));
  for (size_t i = 1; i < progress.size(); ++i) EXPECT_GE(progress[i].first, progress[i - 1].first);
  EXPECT_EQ(cache->downloads(), 1);
  EXPECT_EQ(server_->FilesServed(), 3);
}

TEST_F(ModelCacheTest, ACorruptByteFailsNamingTheFileAndLeavesNothing) {
  // The control node's copy no longer matches what the registry recorded
  // (same size, one byte flipped).
  const std::string weights = server_->Folder("tiny") + "/model.safetensors";
  std::string bytes = ReadBytes(weights);
  bytes[bytes.size() / 2] ^= 0x40;
  std::ofstream(weights, std::ios::binary | std::ios::trunc) << bytes;

  ModelCache* cache = MakeCache();
  auto lease = cache->Ensure(1, "", nullptr, nullptr);
  ASSERT_FALSE(lease.ok());
  const std::string message = lease.status().message();
  EXPECT_NE(message.find("model 1"), std::string::npos) << message;
  EXPECT_NE(message.find("'model.safetensors'"), std::string::npos) << message;
  EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << message;
  EXPECT_TRUE(CacheEntries().empty()) << "nothing half-written stays";
  EXPECT_EQ(cache->downloads(), 0);
}

TEST_F(ModelCacheTest, AFetchFailureSaysWhatWentWrong) {
  ModelCache* cache = MakeCache();
  auto unknown = cache->Ensure(9, "", nullptr, nullptr);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EXPECT_NE(unknown.status().message().find("model 9: the scheduler answered 404"),
            std::string::npos)
      << unknown.status().message();

  // A file removed on the control node after the import.
  fs::remove(server_->Folder("tiny") + "/tokenizer/vocab file.json");
  auto missing = cache->Ensure(1, "", nullptr, nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'tokenizer/vocab file.json'"), std::string::npos)
      << missing.status().message();
  EXPECT_NE(missing.status().message().find("missing on the control node"), std::string::npos)
      << missing.status().message();

  server_->Stop();
  auto away = cache->Ensure(1, "", nullptr, nullptr);
  ASSERT_FALSE(away.ok());
  EXPECT_EQ(away.status().code(), Code::kUnavailable);
  EXPECT_NE(away.status().message().find("cannot reach the scheduler"), std::string::npos)
      << away.status().message();
  EXPECT_TRUE(CacheEntries().empty());
}

TEST_F(ModelCacheTest, TheMarkerLetsACachedCopyBeReusedWithoutTheScheduler) {
  ModelCache* cache = MakeCache();
  const std::string digest = Digest(1);
  std::string path;
  {
    auto first = cache->Ensure(1, digest, nullptr, nullptr);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    path = (*first)->path();
  }
  // Another agent process on the same folder (a restart) with the scheduler away.
  server_->Stop();
  ModelCache* restarted = MakeCache();
  restarted->CleanUp();
  auto again = restarted->Ensure(1, digest, nullptr, nullptr);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->path(), path);
  EXPECT_EQ(restarted->downloads(), 0);
  // Without the digest the scheduler must be asked.
  EXPECT_FALSE(restarted->Ensure(1, "", nullptr, nullptr).ok());
  // A damaged copy is never used: a file of it gone, the marker no longer
  // vouches for the folder.
  again->reset();
  fs::remove(path + "/config.json");
  EXPECT_FALSE(restarted->Ensure(1, digest, nullptr, nullptr).ok());
  // With the scheduler back it is fetched again and replaces the damaged one.
  ASSERT_TRUE(server_->Start().ok());
  auto fixed = restarted->Ensure(1, digest, nullptr, nullptr);
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(ReadBytes(path + "/config.json"), files_["config.json"]);
  EXPECT_EQ(restarted->downloads(), 1);
  EXPECT_EQ(CacheEntries(), std::vector<std::string>{"1-" + digest.substr(0, 16)});
}

TEST_F(ModelCacheTest, ConcurrentCallersWaitForOneDownload) {
  ModelCache* cache = MakeCache();
  // The first caller's download does not go on until the second caller is
  // waiting for it, so the two surely overlap.
  std::mutex mu;
  std::condition_variable cv;
  bool second_waiting = false;
  std::atomic<int> second_reports{0};
  Result<std::shared_ptr<ModelCache::Lease>> first = Status::Internal("not run");
  Result<std::shared_ptr<ModelCache::Lease>> second = Status::Internal("not run");
  std::thread a([&] {
    first = cache->Ensure(
        1, "",
        [&](int64_t, int64_t) {
          std::unique_lock lock(mu);
          cv.wait_for(lock, std::chrono::seconds(30), [&] { return second_waiting; });
        },
        nullptr);
  });
  // The second starts once the first has begun (its temporary folder exists).
  ASSERT_TRUE([&] {
    for (int i = 0; i < 3000; ++i) {
      for (const std::string& e : CacheEntries())
        if (e.rfind(".tmp-", 0) == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }());
  std::thread b([&] {
    second = cache->Ensure(
        1, "",
        [&](int64_t, int64_t) {
          ++second_reports;
          std::lock_guard lock(mu);
          second_waiting = true;
          cv.notify_all();
        },
        nullptr);
  });
  a.join();
  b.join();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ((*first)->path(), (*second)->path());
  EXPECT_GE(second_reports.load(), 1) << "the waiter saw the download's progress";
  EXPECT_EQ(cache->downloads(), 1);
  EXPECT_EQ(server_->FilesServed(), 3) << "each file was fetched once";
}

TEST_F(ModelCacheTest, ACancelledDownloadLeavesNothingAndAWaiterTakesOver) {
  ModelCache* cache = MakeCache();
  std::atomic<bool> stop{false};
  auto cancelled = cache->Ensure(
      1, "",
      [&](int64_t done, int64_t) {
        if (done > 0) stop = true;
      },
      [&] { return stop.load(); });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().message(), "cancelled");
  EXPECT_TRUE(CacheEntries().empty());

  // A replica deleted while others wait for its download: one of those
  // fetches instead, and gets the model.
  std::mutex mu;
  std::condition_variable cv;
  bool waiting = false;
  auto someone_waits = [&] {
    std::lock_guard lock(mu);
    return waiting;
  };
  Result<std::shared_ptr<ModelCache::Lease>> gone = Status::Internal("not run");
  Result<std::shared_ptr<ModelCache::Lease>> waiter = Status::Internal("not run");
  std::thread a([&] {
    gone = cache->Ensure(
        1, "",
        [&](int64_t, int64_t) {
          std::unique_lock lock(mu);
          cv.wait_for(lock, std::chrono::seconds(30), [&] { return waiting; });
        },
        someone_waits);
  });
  ASSERT_TRUE([&] {
    for (int i = 0; i < 3000; ++i) {
      for (const std::string& e : CacheEntries())
        if (e.rfind(".tmp-", 0) == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }());
  std::thread b([&] {
    waiter = cache->Ensure(
        1, "",
        [&](int64_t, int64_t) {
          std::lock_guard lock(mu);
          waiting = true;
          cv.notify_all();
        },
        nullptr);
  });
  a.join();
  b.join();
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().message(), "cancelled");
  ASSERT_TRUE(waiter.ok()) << waiter.status().ToString();
  EXPECT_EQ(ReadBytes((*waiter)->path() + "/model.safetensors"), files_["model.safetensors"]);
  EXPECT_EQ(cache->downloads(), 1);
  EXPECT_EQ(CacheEntries(), std::vector<std::string>{"1-" + Digest(1).substr(0, 16)});
}

TEST_F(ModelCacheTest, LeastRecentlyUsedModelsGoFirstButNeverOnesInUse) {
  const size_t size = 1 << 20;
  ASSERT_TRUE(server_->AddModel(2, "a", {{"config.json", "{}"}, {"w.bin", Bytes(size, 3)}}).ok());
  ASSERT_TRUE(server_->AddModel(3, "b", {{"config.json", "{}"}, {"w.bin", Bytes(size, 4)}}).ok());
  ASSERT_TRUE(server_->AddModel(4, "c", {{"config.json", "{}"}, {"w.bin", Bytes(size, 5)}}).ok());
  // Room for two of them, not three.
  ModelCache* cache = MakeCache(static_cast<int64_t>(size) * 5 / 2);
  auto has = [&](int64_t id) {
    return fs::exists(dir_ + "/cache/" + ModelCache::Key(id, Digest(id)));
  };
  auto a = cache->Ensure(2, "", nullptr, nullptr);  // held: a replica runs it
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(cache->Ensure(3, "", nullptr, nullptr).ok());  // let go at once
  auto c = cache->Ensure(4, "", nullptr, nullptr);
  ASSERT_TRUE(c.ok());
  // a is the least recently used, but in use: b went.
  EXPECT_TRUE(has(2));
  EXPECT_FALSE(has(3));
  EXPECT_TRUE(has(4));

  // Nobody holds a or c any more; a is used again (a restart finds it), so
  // c is now the least recently used and makes room for b.
  a->reset();
  c->reset();
  ASSERT_TRUE(cache->Ensure(2, Digest(2), nullptr, nullptr).ok());
  ASSERT_TRUE(cache->Ensure(3, "", nullptr, nullptr).ok());
  EXPECT_TRUE(has(2));
  EXPECT_TRUE(has(3));
  EXPECT_FALSE(has(4));
  EXPECT_EQ(cache->downloads(), 4);
}

TEST_F(ModelCacheTest, CleanUpRemovesWhatDeadProcessesLeft) {
  fs::create_directories(dir_ + "/cache");
  ModelCache* cache = MakeCache();
  // This process has not downloaded anything yet: a folder with its pid is
  // from an earlier process that had the same pid.
  const std::string stale = dir_ + "/cache/.tmp-" + std::to_string(getpid()) + "-1-abc-x";
  fs::create_directories(stale + "/sub");
  std::ofstream(stale + "/sub/half.bin") << "half";
  // pid 1 is alive: another agent sharing the folder is still writing it.
  const std::string busy = dir_ + "/cache/.tmp-1-1-abc-y";
  fs::create_directories(busy);
  cache->CleanUp();
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(busy));
}

// agent.model_fetch decides between the assignment's folder and the cache.
TEST_F(ModelCacheTest, TheFetchModeDecidesWhereTheWeightsComeFrom) {
  ModelCache* cache = MakeCache();
  cluster::ReplicaAssignment here;
  here.model_path = server_->Folder("tiny");  // holds config.json on this host
  here.model_id = 1;
  cluster::ReplicaAssignment elsewhere = here;
  elsewhere.model_path = "/nonexistent/control-node/models/tiny";
  cluster::ReplicaAssignment old_scheduler = elsewhere;
  old_scheduler.model_id = 0;

  ModelWeights automatic(ModelFetchMode::kAuto, cache);
  auto local = automatic.Locate(here, nullptr, nullptr);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->path, here.model_path);
  EXPECT_FALSE(local->cached);
  EXPECT_EQ(cache->downloads(), 0);
  auto fetched = automatic.Locate(elsewhere, nullptr, nullptr);
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_TRUE(fetched->cached);
  EXPECT_EQ(fetched->path.rfind(dir_ + "/cache/1-", 0), 0u) << fetched->path;
  auto unknown = automatic.Locate(old_scheduler, nullptr, nullptr);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->path, old_scheduler.model_path) << "nothing to fetch: as before";

  ModelWeights always(ModelFetchMode::kAlways, cache);
  auto cached = always.Locate(here, nullptr, nullptr);
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->path, fetched->path);
  EXPECT_EQ(cache->downloads(), 1);
  auto refused = always.Locate(old_scheduler, nullptr, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("no model id"), std::string::npos);

  ModelWeights never(ModelFetchMode::kNever, cache);
  auto as_is = never.Locate(elsewhere, nullptr, nullptr);
  ASSERT_TRUE(as_is.ok());
  EXPECT_EQ(as_is->path, elsewhere.model_path);
}

}  // namespace
}  // namespace hai::agent
