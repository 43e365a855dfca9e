#include "daemons/portal/portal_app.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemons/portal/audit_log.h"
#include "daemons/portal/call_log_retention.h"
#include "daemons/portal/routes.h"
#include "daemons/portal/service_store.h"
#include "daemons/portal/user_store.h"
#include "lib/base/random.h"
#include "lib/base/secret_file.h"
#include "lib/engine_profile/profile_parser.h"
#include "lib/http/tls.h"
#include "lib/http/url.h"
#include "lib/log/log.h"
#include "lib/store/migrations.h"

namespace hai::portal {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
// The controller removes a deleted service's last deployment within a pass
// or two of its replicas stopping; the service follows within this.
constexpr int64_t kServiceSweepMs = 2000;

Result<std::string> ReadOrCreateToken(const std::string& path) {
  std::ifstream in(path);
  if (in) {
    std::string token;
    std::getline(in, token);
    if (token.size() < 32) return Status::FailedPrecondition("cluster token in " + path + " is too short");
    return token;
  }
  std::string token = RandomToken(32);
  HAI_RETURN_IF_ERROR(WriteSecretFile(path, token));
  return token;
}

}  // namespace

PortalApp::PortalApp(const PortalConfig& config, const Clock* clock)
    : config_(config), clock_(clock) {}

PortalApp::~PortalApp() { Stop(); }

Result<std::unique_ptr<PortalApp>> PortalApp::Create(const PortalConfig& config,
                                                     const Clock* clock) {
  std::unique_ptr<PortalApp> app(new PortalApp(config, clock));
  // TLS files first: a portal that could not serve changes nothing.
  if (!config.tls_cert_file.empty())
    HAI_RETURN_IF_ERROR(http::CheckServerTlsFiles(config.tls_cert_file, config.tls_key_file));
  if (!config.ca_file.empty()) HAI_RETURN_IF_ERROR(http::CheckCaFile(config.ca_file));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Status::Unavailable("cannot create data directory " + config.data_dir + ": " + ec.message());
  ::chmod(config.data_dir.c_str(), 0700);
  HAI_ASSIGN_OR_RETURN(app->db_, store::Database::Open(config.DatabasePath(),
                                                       store::ControlPlaneMigrations()));
  HAI_ASSIGN_OR_RETURN(app->services_.cluster_token, ReadOrCreateToken(config.TokenPath()));
  Services& s = app->services_;
  s.db = app->db_.get();
  s.clock = clock;
  s.metrics = &app->registry_;
  s.initial_password_file = config.InitialPasswordPath();
  s.gateway_url = config.gateway_url;
  s.ca_file = config.ca_file;
  HAI_ASSIGN_OR_RETURN(http::HttpUrl scheduler,
                       http::ParseHttpUrl(config.scheduler_url, "cluster.scheduler_url"));
  s.scheduler_host = scheduler.host;
  s.scheduler_port = scheduler.port;
  s.policy.session.idle_ms = config.session_idle_minutes * 60 * 1000;
  s.policy.session.absolute_ms = config.session_absolute_hours * 3600 * 1000;
  s.policy.lockout_failures = config.lockout_failures;
  s.policy.lockout_ms = config.lockout_minutes * 60 * 1000;
  s.policy.password_min_length = static_cast<size_t>(config.password_min_length);
  s.policy.password_cost = {static_cast<uint64_t>(config.password_hash_ops),
                            static_cast<size_t>(config.password_hash_memory_kib) * 1024};
  s.policy.secure_cookies = config.secure_cookies;
  s.policy.audit_retention_days = config.audit_retention_days;
  s.audit_failures = app->registry_.Counter("hai_portal_audit_write_failures_total",
                                            "Audit entries that could not be written.");
  s.logins = app->registry_.Counter("hai_portal_logins_total", "Sign-in attempts by outcome.");
  ModelRegistryOptions model_options{config.data_dir, config.CatalogDir(),
                                     {config.model_import_max_bytes, config.model_import_max_files}};
  app->models_ = std::make_unique<ModelRegistry>(app->db_.get(), clock, std::move(model_options));
  app->models_->SetUsage(&app->model_usage_);
  HAI_RETURN_IF_ERROR(app->models_->Start());
  s.models = app->models_.get();
  HAI_RETURN_IF_ERROR(app->LoadDeploymentSupport());
  app->api_ = std::make_unique<Api>(&app->services_);
  AddAllRoutes(app->api_.get(), &app->services_, config.openapi_file);
  store::Database* db = app->db_.get();
  http::AddStandardRoutes(app->api_->router(), &app->registry_, [db] {
    return db->SchemaVersion() > 0 ? Status::Ok() : Status::Unavailable("database unreadable");
  });
  HAI_RETURN_IF_ERROR(app->Bootstrap());
  return app;
}

// Engine profiles and vendor adapters check deployments; the trigger tells
// the scheduler about them.
Status PortalApp::LoadDeploymentSupport() {
  const std::string dir = config_.EngineProfilesDir();
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    HAI_ASSIGN_OR_RETURN(engines_, engine_profile::LoadProfiles(dir));
  } else {
    log::Warn("engine profiles not found; deployments cannot be created", {{"dir", dir}});
  }
  HAI_RETURN_IF_ERROR(accel::RegisterBuiltinAdapters(&adapters_));
  reconcile_ = std::make_unique<ReconcileTrigger>(SchedulerAddress{
      services_.scheduler_host, services_.scheduler_port, services_.cluster_token});
  services_.engines = &engines_;
  services_.adapters = &adapters_;
  services_.reconcile = reconcile_.get();
  return Status::Ok();
}

Status PortalApp::Bootstrap() {
  int64_t count = 0;
  HAI_RETURN_IF_ERROR(db_->Read([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(store::Statement s, tx.Prepare("SELECT count(*) FROM users"));
    HAI_ASSIGN_OR_RETURN(bool row, s.Step());
    count = row ? s.Int(0) : 0;
    return Status::Ok();
  }));
  if (count > 0) return Status::Ok();
  std::string password = RandomPassword(16);
  HAI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, services_.policy.password_cost));
  const int64_t now = clock_->NowMs();
  HAI_RETURN_IF_ERROR(db_->Write([&](store::Database::Tx& tx) -> Status {
    users::NewUser admin{"admin", hash, "Platform administrator", "", true};
    HAI_ASSIGN_OR_RETURN(User user, users::Insert(tx, admin, now));
    AuditEvent e;
    e.time = now;
    e.username = "system";
    e.action = "user.bootstrap";
    e.resource_type = "user";
    e.resource_id = std::to_string(user.id);
    e.summary = "first start: platform admin 'admin' created";
    return audit::Append(tx, e);
  }));
  HAI_RETURN_IF_ERROR(WriteSecretFile(config_.InitialPasswordPath(), password));
  initial_password_ = password;
  log::Warn("created the platform admin 'admin'; its password is in the file shown",
            {{"file", config_.InitialPasswordPath()}});
  return Status::Ok();
}

Status PortalApp::Start() {
  http::ServerOptions opts;
  opts.host = config_.listen;
  opts.port = config_.port;
  opts.threads = config_.threads;
  opts.max_body_bytes = static_cast<size_t>(config_.max_body_bytes);
  opts.metrics_prefix = "hai_portal_http";
  opts.tls_cert_file = config_.tls_cert_file;
  opts.tls_key_file = config_.tls_key_file;
  std::error_code ec;
  if (std::filesystem::is_directory(config_.web_dir, ec)) opts.static_dir = config_.web_dir;
  else log::Warn("web assets not found; serving the API only", {{"web_dir", config_.web_dir}});
  server_ = std::make_unique<http::Server>(opts, api_->router(), &registry_);
  HAI_RETURN_IF_ERROR(server_->Start());
  log::Info("hai-portal listening", {{"address", config_.listen}, {"port", server_->port()},
                                     {"scheme", config_.tls_cert_file.empty() ? "http" : "https"},
                                     {"data_dir", config_.data_dir}});
  return Status::Ok();
}

void PortalApp::Stop() {
  if (server_) server_->Stop();
}

void PortalApp::Tick() {
  const int64_t now = clock_->NowMs();
  if (now - last_cleanup_ms_ >= 60 * 1000) {
    last_cleanup_ms_ = now;
    Status st = db_->Write([&](store::Database::Tx& tx) {
      return sessions::DeleteExpired(tx, now, services_.policy.session);
    });
    if (!st.ok()) log::Warn("session cleanup failed", {{"error", st.message()}});
  }
  models_->Tick();
  if (now - last_service_sweep_ms_ >= kServiceSweepMs) {
    last_service_sweep_ms_ = now;
    auto removed = RemoveDeletedServices();
    if (!removed.ok())
      log::Warn("deleted services cleanup failed", {{"error", removed.status().message()}});
  }
  if (now - last_retention_ms_ >= kDayMs) {
    last_retention_ms_ = now;
    auto removed = RunRetention();
    if (!removed.ok()) log::Error("audit retention failed", {{"error", removed.status().message()}});
    RunCallLogRetention();
  }
}

Result<int64_t> PortalApp::RemoveDeletedServices() {
  int64_t removed = 0;
  HAI_RETURN_IF_ERROR(db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(removed, services::RemoveFinished(tx));
    return Status::Ok();
  }));
  if (removed > 0)
    log::Info("deleted services removed; their deployments are gone",
              {{"count", static_cast<long long>(removed)}});
  return removed;
}

Result<int64_t> PortalApp::RunRetention() {
  const int64_t now = clock_->NowMs();
  const int64_t cutoff = now - int64_t{config_.audit_retention_days} * kDayMs;
  int64_t removed = 0;
  HAI_RETURN_IF_ERROR(db_->Write([&](store::Database::Tx& tx) -> Status {
    HAI_ASSIGN_OR_RETURN(removed, audit::RemoveOlderThan(tx, cutoff));
    AuditEvent e;
    e.time = now;
    e.username = "system";
    e.action = "audit.retention";
    e.resource_type = "audit_event";
    e.summary = "removed " + std::to_string(removed) + " entries older than " +
                std::to_string(config_.audit_retention_days) + " days";
    return audit::Append(tx, e);
  }));
  log::Info("audit retention ran", {{"removed", static_cast<long long>(removed)},
                                    {"retention_days", config_.audit_retention_days}});
  return removed;
}

void PortalApp::RunCallLogRetention() {
  CallLogRetention retention{config_.call_log_retention_days, config_.monitoring_retention_days};
  auto removed = ApplyCallLogRetention(db_.get(), clock_->NowMs(), retention);
  if (!removed.ok()) {
    log::Error("call-log retention failed", {{"error", removed.status().message()}});
    return;
  }
  log::Info("call-log retention ran",
            {{"call_logs_removed", static_cast<long long>(removed->call_logs)},
             {"rollup_rows_removed", static_cast<long long>(removed->rollup_rows)},
             {"call_log_retention_days", config_.call_log_retention_days},
             {"monitoring_retention_days", config_.monitoring_retention_days}});
}

std::unique_ptr<Api> RouteTableForDocs(Services* services) {
  auto api = std::make_unique<Api>(services);
  AddAllRoutes(api.get(), services, "");
  return api;
}

}  // namespace hai::portal
