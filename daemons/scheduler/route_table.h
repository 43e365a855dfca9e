#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "lib/base/clock.h"
#include "lib/cluster/route_wire.h"
#include "lib/store/database.h"

namespace hai::scheduler {

// The routing table the gateways follow (GET /internal/v1/routes): built from
// the services and deployments the portal wrote and the replica rows the
// deployment controller keeps, with only Ready, not-stopping replicas of
// active deployments. Refresh() after each reconciliation pass compares the
// new content with the last and bumps the version only when it changed;
// gateways long-poll with the version they hold and are woken at once.
//
// Versions start at the wall-clock milliseconds of the first build, so a
// restarted scheduler does not hand out a version a gateway already holds
// for other content. Thread-safe.
class RouteTable {
 public:
  RouteTable(store::Database* db, const Clock* clock) : db_(db), clock_(clock) {}

  // Reads the tables again; wakes the waiters when the content changed.
  Status Refresh();
  // The table as last built (version 0 and no services before the first Refresh).
  std::shared_ptr<const cluster::RoutingTable> Current() const;
  // The table once its version differs from `known`, or after `wait`, or at
  // Close(), whichever comes first.
  std::shared_ptr<const cluster::RoutingTable> WaitForChange(int64_t known,
                                                             std::chrono::milliseconds wait);
  // Wakes every waiter for good (the scheduler is stopping).
  void Close();

  // Reads the routing content from the control-plane database (version 0).
  static Result<cluster::RoutingTable> Read(store::Database* db);

 private:
  store::Database* db_;
  const Clock* clock_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::shared_ptr<const cluster::RoutingTable> current_ =
      std::make_shared<cluster::RoutingTable>();  // GUARDED_BY(mu_)
  bool closed_ = false;                           // GUARDED_BY(mu_)
};

}  // namespace hai::scheduler
