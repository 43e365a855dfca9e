#include "daemons/scheduler/cluster_events.h"

#include "lib/log/log.h"

namespace hai::scheduler {

void SqliteEventSink::Record(const ClusterEvent& e) {
  log::Info("cluster event", {{"kind", e.kind}, {"node", e.node}, {"message", e.message}});
  Status st = db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(store::Statement s,
                         tx.Prepare("INSERT INTO cluster_events(time, kind, node, message) "
                                    "VALUES (?, ?, ?, ?)"));
    return s.Bind(1, e.time).Bind(2, e.kind).Bind(3, e.node).Bind(4, e.message).Run();
  });
  if (!st.ok()) log::Error("cannot store cluster event", {{"error", st.message()}});
}

Result<std::vector<ClusterEvent>> SqliteEventSink::Recent(const std::string& node, int limit) {
  std::vector<ClusterEvent> out;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(store::Statement s,
                         tx.Prepare("SELECT id, time, kind, node, message FROM cluster_events "
                                    "WHERE (? = '' OR node = ?) ORDER BY id DESC LIMIT ?"));
    s.Bind(1, node).Bind(2, node).Bind(3, limit);
    for (;;) {
      HAI_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back({s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace hai::scheduler
