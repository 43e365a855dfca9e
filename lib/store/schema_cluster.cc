#include "lib/store/schema.h"

namespace hai::store {

const std::string_view kSchemaClusterV2 = R"sql(
CREATE TABLE cluster_events (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  node TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL
);
CREATE INDEX cluster_events_time ON cluster_events(time);
CREATE INDEX cluster_events_node_time ON cluster_events(node, time);
)sql";

}  // namespace hai::store
