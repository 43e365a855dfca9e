#include "daemons/engine/engine_app.h"

#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "daemons/engine/openai_error.h"
#include "daemons/engine/openai_render.h"
#include "lib/base/clock.h"
#include "lib/log/log.h"
#include "lib/proc/proc_table.h"

namespace hai::engine {

EngineApp::EngineApp(EngineConfig config) : config_(std::move(config)) {
  created_ = SystemClock::Get()->NowMs() / 1000;
  AddRoutes();
}

EngineApp::~EngineApp() { Stop(); }

void EngineApp::AddRoutes() {
  http::AddStandardRoutes(&router_, &registry_, [this] {
    return loaded_.load() ? Status::Ok() : Status::Unavailable("the model is loading");
  });
  router_.Add("GET", "/health", [this](http::Request& req) { return Health(req); });
  router_.Add("GET", "/version", [](http::Request&) {
    return http::Response::Json(200, {{"version", HAI_ENGINE_VERSION}});
  });
  router_.Add("GET", "/v1/models", Gate(&EngineApp::Models));
  router_.Add("POST", "/v1/chat/completions", Gate(&EngineApp::Chat));
  router_.Add("POST", "/v1/completions", Gate(&EngineApp::Completions));
  router_.Add("POST", "/v1/embeddings", Gate(&EngineApp::Embeddings));
  for (const char* path : {"/v1/rerank", "/rerank", "/v2/rerank"})
    router_.Add("POST", path, Gate(&EngineApp::Rerank));
}

http::Handler EngineApp::Gate(http::Response (EngineApp::*handler)(http::Request&)) {
  return [this, handler](http::Request& req) {
    if (stopping_.load())
      return ErrorResponse(
          FromStatus(Status::Unavailable("the engine is shutting down"), "shutting_down"));
    if (!loaded_.load(std::memory_order_acquire))
      return ErrorResponse(
          FromStatus(Status::Unavailable("the model is still loading"), "model_loading"));
    return (this->*handler)(req);
  };
}

http::Response EngineApp::Health(http::Request&) {
  if (stopping_.load())
    return ErrorResponse(
        FromStatus(Status::Unavailable("the engine is shutting down"), "shutting_down"));
  if (!loaded_.load())
    return ErrorResponse(
        FromStatus(Status::Unavailable("the model is still loading"), "model_loading"));
  return http::Response::Json(200, {{"status", "ok"}});
}

http::Response EngineApp::Models(http::Request&) {
  return http::Response::Json(
      200, ModelsBody(config_.served_name, created_, ckpt_->config.max_position));
}

http::Response EngineApp::Unsupported(const std::string& what) const {
  std::string kind = decoder_ ? "a decoder" : "an encoder";
  return ErrorResponse(
      InvalidRequest("unsupported_operation",
                     "model '" + config_.served_name + "' does not support " + what + ": it is " +
                         kind + " (" + std::string(checkpoint::ArchName(ckpt_->config.arch)) + ")",
                     "model"));
}

http::Response EngineApp::Chat(http::Request& req) {
  return text_ ? text_->Chat(req) : Unsupported("chat completions");
}
http::Response EngineApp::Completions(http::Request& req) {
  return text_ ? text_->Completions(req) : Unsupported("completions");
}
http::Response EngineApp::Embeddings(http::Request& req) {
  return encoder_api_ ? encoder_api_->Embeddings(req) : Unsupported("embeddings");
}
http::Response EngineApp::Rerank(http::Request& req) {
  return encoder_api_ ? encoder_api_->Rerank(req) : Unsupported("rerank");
}

Status EngineApp::Start() {
  http::ServerOptions opts;
  opts.host = config_.host;
  opts.port = config_.port;
  opts.threads = config_.HttpThreads();
  opts.max_body_bytes = static_cast<size_t>(config_.max_body_mib) << 20;
  opts.metrics_prefix = "hai_engine_http";
  server_ = std::make_unique<http::Server>(opts, &router_, &registry_);
  HAI_RETURN_IF_ERROR(server_->Start());
  log::Info("hai-engine listening", {{"address", config_.host}, {"port", server_->port()}});
  return Status::Ok();
}

Status EngineApp::Load() {
  log::Info("loading model", {{"dir", config_.model_dir}});
  const auto load_start = std::chrono::steady_clock::now();
  HAI_ASSIGN_OR_RETURN(ckpt_, checkpoint::OpenCheckpoint(config_.model_dir));
  HAI_RETURN_IF_ERROR(ckpt_->config.arch == checkpoint::Arch::kBert ? LoadEncoder()
                                                                    : LoadDecoder());
  const auto& c = ckpt_->config;
  registry_.Gauge("hai_engine_model_info", "The loaded model (value 1).")
      ->Set({{"model_name", config_.served_name},
             {"arch", std::string(checkpoint::ArchName(c.arch))},
             {"dtype", config_.dtype == transformer::ComputeType::kBF16 ? "bf16" : "f32"},
             {"int8", config_.int8 ? "true" : "false"},
             {"max_model_len", std::to_string(c.max_position)}},
            1);
  loaded_.store(true, std::memory_order_release);
  const auto load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - load_start)
                           .count();
  // Since exec, libraries included: what a deployment waits for (the
  // deploy benchmark reads it). 10 ms resolution; -1 where /proc is absent.
  long long since_start_ms = -1;
  proc::ProcTable table;
  if (auto self = table.Read(::getpid()); self.ok())
    if (auto age = table.AgeSeconds(*self); age.ok())
      since_start_ms = static_cast<long long>(*age * 1000);
  log::Info("model loaded", {{"served_name", config_.served_name},
                             {"arch", std::string(checkpoint::ArchName(c.arch))},
                             {"parameters", static_cast<long long>(c.ParameterCount())},
                             {"max_model_len", c.max_position},
                             {"load_ms", static_cast<long long>(load_ms)},
                             {"since_start_ms", since_start_ms}});
  return Status::Ok();
}

Status EngineApp::LoadDecoder() {
  transformer::ModelOptions options{config_.dtype, config_.int8, config_.threads};
  HAI_ASSIGN_OR_RETURN(decoder_,
                       transformer::DecoderModel::Load(ckpt_->config, ckpt_->tensors, options));
  StepLoopOptions loop_options;
  loop_options.max_num_seqs = config_.max_num_seqs;
  loop_options.max_num_batched_tokens = config_.max_num_batched_tokens;
  loop_options.kv_budget_bytes = config_.kv_budget_mib << 20;
  loop_options.max_waiting = config_.max_waiting;
  loop_ = std::make_unique<StepLoop>(ckpt_.get(), decoder_.get(), loop_options, &registry_,
                                     config_.served_name);
  loop_->Start();
  text_ = std::make_unique<TextGeneration>(
      TextGenerationDeps{ckpt_.get(), loop_.get(), config_.served_name, &stopping_});
  return Status::Ok();
}

Status EngineApp::LoadEncoder() {
  transformer::ModelOptions options{config_.dtype, config_.int8, config_.threads};
  HAI_ASSIGN_OR_RETURN(encoder_,
                       transformer::EncoderModel::Load(ckpt_->config, ckpt_->tensors, options));
  HAI_ASSIGN_OR_RETURN(encoder_service_,
                       EncoderService::Create(ckpt_.get(), encoder_.get(), config_.pooling,
                                              &registry_, config_.served_name));
  encoder_api_ = std::make_unique<EncoderApi>(encoder_service_.get(), config_.served_name);
  return Status::Ok();
}

void EngineApp::Stop() {
  stopping_.store(true);
  // Handlers see `stopping_` within one poll interval, cancel their sequences
  // and return, so the server's pool can join; only then may the loop go.
  if (server_) server_->Stop();
  loop_.reset();
}

}  // namespace hai::engine
