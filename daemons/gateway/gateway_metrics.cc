#include "daemons/gateway/gateway_metrics.h"

namespace hai::gateway {

GatewayMetrics::GatewayMetrics(metrics::Registry* r)
    : requests(r->Counter("hai_gateway_requests_total",
                          "Inference requests answered, by service and HTTP status.")),
      upstream_failures(r->Counter(
          "hai_gateway_upstream_failures_total",
          "Failed exchanges with replicas, by service and kind (connect, status, stream).")),
      retries(r->Counter("hai_gateway_retries_total",
                         "Requests tried again on another replica, by service.")),
      ejections(r->Counter("hai_gateway_replica_ejections_total",
                           "Replicas taken out of rotation after a failure, by service.")),
      probes(r->Counter("hai_gateway_replica_probes_total",
                        "Health probes of ejected replicas, by result.")),
      key_lookups(r->Counter("hai_gateway_key_lookups_total",
                             "API key lookups by result (checked, stale, unavailable).")),
      routes_version(
          r->Gauge("hai_gateway_routing_table_version", "Version of the routing table in use.")),
      route_updates(r->Counter("hai_gateway_routing_table_updates_total",
                               "Routing tables received from the scheduler.")),
      route_poll_failures(r->Counter("hai_gateway_routing_poll_failures_total",
                                     "Failed polls of the scheduler's routing table.")),
      call_log_sent(
          r->Counter("hai_gateway_call_log_sent_total", "Call records stored by the portal.")),
      call_log_dropped(r->Counter("hai_gateway_call_log_dropped_total",
                                  "Call records lost, by reason (queue_full, send_failed, refused, "
                                  "rejected, shutdown).")),
      call_log_queue(r->Gauge("hai_gateway_call_log_queue_length",
                              "Call records waiting to be sent to the portal.")),
      rate_limited(r->Counter("hai_gateway_rate_limited_total",
                              "Requests refused by a rate limit, by scope (key, org) and kind "
                              "(requests, tokens).")) {}

}  // namespace hai::gateway
