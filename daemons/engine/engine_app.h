#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "daemons/engine/encoder_api.h"
#include "daemons/engine/encoder_service.h"
#include "daemons/engine/engine_config.h"
#include "daemons/engine/step_loop.h"
#include "daemons/engine/text_generation.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/http/router.h"
#include "lib/http/server.h"
#include "lib/metrics/registry.h"
#include "lib/transformer/decoder_model.h"
#include "lib/transformer/encoder_model.h"

namespace hai::engine {

// The hai-engine component. HTTP comes up first, so /health answers 503 and
// /metrics answers while the model loads; Load() then opens the checkpoint
// and starts the step loop (decoders) or the encoder service (BERT), after
// which every route answers. Start, Load and Stop from the main thread;
// handlers run on the HTTP pool.
class EngineApp {
 public:
  explicit EngineApp(EngineConfig config);
  ~EngineApp();
  EngineApp(const EngineApp&) = delete;
  EngineApp& operator=(const EngineApp&) = delete;

  Status Start();
  // Errors name the file or tensor at fault (from the checkpoint and model loaders).
  Status Load();
  // In-flight requests end (streams close, waiting requests answer 503),
  // then the step loop stops.
  void Stop();
  int port() const { return server_ ? server_->port() : 0; }

 private:
  void AddRoutes();
  // Wraps a model route: 503 while loading or stopping.
  http::Handler Gate(http::Response (EngineApp::*handler)(http::Request&));
  http::Response Health(http::Request& req);
  http::Response Models(http::Request& req);
  http::Response Chat(http::Request& req);
  http::Response Completions(http::Request& req);
  http::Response Embeddings(http::Request& req);
  http::Response Rerank(http::Request& req);
  http::Response Unsupported(const std::string& what) const;
  Status LoadDecoder();
  Status LoadEncoder();

  EngineConfig config_;
  metrics::Registry registry_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::atomic<bool> loaded_{false};  // release-stores after every member below is set
  std::atomic<bool> stopping_{false};
  int64_t created_ = 0;  // Unix seconds, for /v1/models
  std::unique_ptr<checkpoint::Checkpoint> ckpt_;
  std::unique_ptr<transformer::DecoderModel> decoder_;
  std::unique_ptr<transformer::EncoderModel> encoder_;
  std::unique_ptr<StepLoop> loop_;
  std::unique_ptr<TextGeneration> text_;
  std::unique_ptr<EncoderService> encoder_service_;
  std::unique_ptr<EncoderApi> encoder_api_;
};

}  // namespace hai::engine
