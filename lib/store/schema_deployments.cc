#include "lib/store/schema.h"

namespace hai::store {

// services and deployments are the desired state, written by hai-portal;
// replicas and replica_events are what hai-scheduler's deployment controller
// made of it. The one crossing: the controller deletes a deployment row whose
// state is 'deleting' once its last replica is gone (a finaliser), so no
// replica is ever left without its deployment. model_path is copied from
// the model when the deployment is created, so placing and launching need no
// model tables (the scheduler reads model_files only to serve weights to
// nodes that lack them). Replica ids are never reused (AUTOINCREMENT): they
// name processes on the nodes and key the events, and a late report about an
// old replica must not land on a new one. A deleted service keeps its row
// (deleting = 1, its name still taken) until its last deployment is gone,
// then the portal removes it.
const std::string_view kSchemaDeploymentsV5 = R"sql(
CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '',
  capabilities TEXT NOT NULL DEFAULT '[]',
  model_id INTEGER NOT NULL REFERENCES models(id),
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  deleting INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX services_org ON services(org_id);

CREATE TABLE deployments (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  cluster TEXT NOT NULL DEFAULT 'default',
  engine TEXT NOT NULL,
  vendor TEXT NOT NULL,
  device_model TEXT NOT NULL DEFAULT '',
  devices_per_replica INTEGER NOT NULL,
  memory_mib INTEGER NOT NULL DEFAULT 0,
  replicas INTEGER NOT NULL,
  model_path TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  args TEXT NOT NULL DEFAULT '[]',
  env TEXT NOT NULL DEFAULT '{}',
  weight INTEGER NOT NULL DEFAULT 100,
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'stopped', 'deleting')),
  generation INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX deployments_service ON deployments(service_id);

CREATE TABLE replicas (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  deployment_id INTEGER NOT NULL REFERENCES deployments(id),
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  node TEXT NOT NULL DEFAULT '',
  devices TEXT NOT NULL DEFAULT '[]',
  generation INTEGER NOT NULL DEFAULT 0,
  address TEXT NOT NULL DEFAULT '',
  pid INTEGER NOT NULL DEFAULT 0,
  restarts INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  stopping INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (deployment_id, ordinal)
);

CREATE TABLE replica_events (
  id INTEGER PRIMARY KEY,
  replica_id INTEGER NOT NULL,
  deployment_id INTEGER NOT NULL,
  time INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('Normal', 'Warning')),
  reason TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX replica_events_replica ON replica_events(replica_id, id);
CREATE INDEX replica_events_deployment ON replica_events(deployment_id, id);
)sql";

}  // namespace hai::store
