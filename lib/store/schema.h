#pragma once

#include <string_view>

namespace hai::store {

// Migration 1 (owner: hai-portal): users, organisations, memberships,
// sessions, API keys and the append-only audit log.
extern const std::string_view kSchemaIdentityV1;

// Migration 2 (owner: hai-scheduler): node and device events.
extern const std::string_view kSchemaClusterV2;

// Migration 3 (owner: hai-scheduler): the allocation ledger — which holder
// has which devices on which node since when.
extern const std::string_view kSchemaAllocationsV3;

// Migration 4 (owner: hai-portal): the model registry — cards, weights on
// the appliance with per-file checksums, and which organisations see them.
extern const std::string_view kSchemaModelsV4;

// Migration 5 (owners: hai-portal for services and deployments, hai-scheduler
// for replicas and their events): model services and what runs them.
extern const std::string_view kSchemaDeploymentsV5;

// Migration 6 (owner: hai-portal): requests and tokens per minute allowed to
// an API key and to an organisation.
extern const std::string_view kSchemaRateLimitsV6;

// Migration 7 (owner: hai-portal): the gateway's call logs and the
// per-minute, per-hour and per-day monitoring rollups derived from them.
extern const std::string_view kSchemaCallLogsV7;

}  // namespace hai::store
