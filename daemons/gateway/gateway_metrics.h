#pragma once

#include "lib/metrics/registry.h"

namespace hai::gateway {

// Every metric hai-gateway exports besides lib/http's per-route ones
// (hai_gateway_http_*). Labels name services, never keys, users or
// organisations: the series stay few however many callers there are.
struct GatewayMetrics {
  explicit GatewayMetrics(metrics::Registry* registry);

  // hai_gateway_requests_total{service, status}: inference answers by
  // service ("" when the model is unknown) and HTTP status.
  metrics::Family* requests;
  // hai_gateway_upstream_failures_total{service, kind}: connect (no answer),
  // status (5xx before the first byte), stream (broken after it).
  metrics::Family* upstream_failures;
  // hai_gateway_retries_total{service}: attempts on another replica.
  metrics::Family* retries;
  // hai_gateway_replica_ejections_total{service}.
  metrics::Family* ejections;
  // hai_gateway_replica_probes_total{result}: ok, failed.
  metrics::Family* probes;
  // hai_gateway_key_lookups_total{result}: checked (an answer within the
  // cache's TTL, or a fresh one from the portal), stale (the portal was away
  // and an older answer was used), unavailable (away, and no answer at all).
  metrics::Family* key_lookups;
  // hai_gateway_routing_table_version (gauge) and
  // hai_gateway_routing_table_updates_total, hai_gateway_routing_poll_failures_total.
  metrics::Family* routes_version;
  metrics::Family* route_updates;
  metrics::Family* route_poll_failures;
  // hai_gateway_call_log_sent_total: call records the portal stored;
  // hai_gateway_call_log_dropped_total{reason}: queue_full, send_failed
  // (the portal unreachable or failing after the retries), refused (the
  // portal answered 4xx to a batch), rejected (records it would not store),
  // shutdown (still queued when the flush at stop ran out of time);
  // hai_gateway_call_log_queue_length (gauge).
  metrics::Family* call_log_sent;
  metrics::Family* call_log_dropped;
  metrics::Family* call_log_queue;
  // hai_gateway_rate_limited_total{scope, kind}: requests refused with 429,
  // by whose limit (key, org) and which (requests, tokens).
  metrics::Family* rate_limited;
};

}  // namespace hai::gateway
