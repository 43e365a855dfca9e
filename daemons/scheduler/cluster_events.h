#pragma once

#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/store/database.h"

namespace hai::scheduler {

// Something that happened to a node or device: registered, not ready,
// health changed, placed, refused. Kinds are dotted names ("node.ready").
struct ClusterEvent {
  int64_t id = 0;
  int64_t time = 0;
  std::string kind;
  std::string node;
  std::string message;
};

// Where events go. The daemon writes them to SQLite; tests collect them.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Record(const ClusterEvent& event) = 0;
};

// Thread-safe (the database serialises).
class SqliteEventSink final : public EventSink {
 public:
  explicit SqliteEventSink(store::Database* db) : db_(db) {}
  void Record(const ClusterEvent& event) override;
  Result<std::vector<ClusterEvent>> Recent(const std::string& node, int limit);

 private:
  store::Database* db_;
};

}  // namespace hai::scheduler
