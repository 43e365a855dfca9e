#pragma once

#include "daemons/portal/api.h"

namespace hai::portal {

// Each adds one resource's routes to the API.
void AddAuthRoutes(Api* api, Services* s);
void AddOrgRoutes(Api* api, Services* s);
void AddUserRoutes(Api* api, Services* s);
void AddApiKeyRoutes(Api* api, Services* s);
void AddAuditRoutes(Api* api, Services* s);
void AddInternalRoutes(Api* api, Services* s);
void AddClusterRoutes(Api* api, Services* s);
void AddModelRoutes(Api* api, Services* s);
void AddServiceRoutes(Api* api, Services* s);
void AddReplicaRoutes(Api* api, Services* s);
// GET /api/v1/engines: the engine profiles deployments may name.
void AddEngineRoutes(Api* api, Services* s);
// POST /api/v1/services/{id}/chat/completions and /embeddings ("try online").
void AddTryRoutes(Api* api, Services* s);
// POST /api/v1/playground/{chat/completions,completions,embeddings,rerank}:
// the portal's pages call models through the gateway.
void AddPlaygroundRoutes(Api* api, Services* s);
// POST /internal/v1/call-logs (the gateways) and GET /api/v1/call-logs.
void AddCallLogRoutes(Api* api, Services* s);
// GET /api/v1/monitoring/series from the call-log rollups.
void AddMonitoringRoutes(Api* api, Services* s);
// GET /api/v1/openapi.json from the file in `docs_dir`.
void AddDocsRoutes(Api* api, const std::string& openapi_path);

inline void AddAllRoutes(Api* api, Services* s, const std::string& openapi_path) {
  AddAuthRoutes(api, s);
  AddOrgRoutes(api, s);
  AddUserRoutes(api, s);
  AddApiKeyRoutes(api, s);
  AddAuditRoutes(api, s);
  AddInternalRoutes(api, s);
  AddClusterRoutes(api, s);
  AddModelRoutes(api, s);
  AddServiceRoutes(api, s);
  AddReplicaRoutes(api, s);
  AddTryRoutes(api, s);
  AddPlaygroundRoutes(api, s);
  AddEngineRoutes(api, s);
  AddCallLogRoutes(api, s);
  AddMonitoringRoutes(api, s);
  AddDocsRoutes(api, openapi_path);
}

}  // namespace hai::portal
