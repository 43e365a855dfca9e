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

namespace hai::store {

const std::string_view kSchemaAllocationsV3 = R"sql(
CREATE TABLE allocations (
  id INTEGER PRIMARY KEY,
  holder TEXT NOT NULL,
  node TEXT NOT NULL,
  device_indices TEXT NOT NULL,
  memory_mib INTEGER NOT NULL,
  exclusive INTEGER NOT NULL,
  cpu_cores INTEGER NOT NULL,
  host_memory_mib INTEGER NOT NULL,
  since INTEGER NOT NULL
);
CREATE INDEX allocations_holder ON allocations(holder);
CREATE INDEX allocations_node ON allocations(node);
)sql";

}  // namespace hai::store
