#pragma once

#include <string>

#include "daemons/engine/encoder_service.h"
#include "lib/http/message.h"

namespace hai::engine {

// POST /v1/embeddings and /v1/rerank (with /rerank and /v2/rerank, as vLLM
// serves them) over an EncoderService. Thread-safe.
class EncoderApi {
 public:
  EncoderApi(EncoderService* service, std::string served_name);

  http::Response Embeddings(http::Request& req);
  http::Response Rerank(http::Request& req);

 private:
  EncoderService* service_;
  std::string served_name_;
};

}  // namespace hai::engine
