#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lib/base/status.h"
#include "lib/transformer/decoder_model.h"
#include "lib/transformer/encoder_model.h"

namespace hai::engine {

// hai-engine's settings, all from the command line (the agent and the engine
// profiles build it). The first flags are a fixed contract:
//   --model DIR --served-name NAME --port P [--host H] [--max-num-seqs N]
//   [--kv-budget-mib M] [--dtype f32|bf16] [--threads T]
// then --int8, --max-num-batched-tokens, --pooling, --log-level and the
// operational ones below.
struct EngineConfig {
  std::string model_dir;    // a Hugging Face-layout checkpoint directory
  std::string served_name;  // the one model name requests may use
  std::string host = "127.0.0.1";
  int port = 8000;                        // 0: any free port (read it from --ready-file)
  int max_num_seqs = 32;                  // sequences decoding together
  int64_t max_num_batched_tokens = 2048;  // tokens per step
  int64_t kv_budget_mib = 0;              // 0: max_num_seqs × 2048 tokens' worth
  transformer::ComputeType dtype = transformer::ComputeType::kF32;
  bool int8 = false;  // weight-only int8
  int threads = 0;    // libtorch intra-op threads; 0: every core
  transformer::Pooling pooling = transformer::Pooling::kMean;  // embeddings
  std::string log_level = "info";
  std::string ready_file;  // written with {"port":N} once the model is loaded
  int http_threads = 0;    // 0: 2 × max_num_seqs + 8 (a stream holds one)
  int max_waiting = 1024;  // queued requests beyond which answers are 429
  int64_t max_body_mib = 32;

  int HttpThreads() const { return http_threads > 0 ? http_threads : 2 * max_num_seqs + 8; }
  // Ranges and required flags; the message names the flag.
  Status Validate() const;
};

// Parses the command line into `config`. Returns an exit code when the
// process should end now (0 after --help, 2 after a bad flag, both printed),
// nullopt to go on.
std::optional<int> ParseEngineFlags(int argc, const char* const* argv, EngineConfig* config);

}  // namespace hai::engine
