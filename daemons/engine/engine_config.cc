#include "daemons/engine/engine_config.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "lib/log/log.h"

namespace hai::engine {

Status EngineConfig::Validate() const {
  if (model_dir.empty()) return Status::InvalidArgument("--model is required", "model");
  if (served_name.empty() || served_name.size() > 256)
    return Status::InvalidArgument("--served-name is required (1 to 256 characters)",
                                   "served-name");
  for (unsigned char c : served_name)
    if (c < 0x21 || c == 0x7f)
      return Status::InvalidArgument(
          "--served-name must not contain spaces or control "
          "characters",
          "served-name");
  if (port < 0 || port > 65535) return Status::InvalidArgument("--port must be 0..65535", "port");
  if (max_num_seqs < 1 || max_num_seqs > 4096)
    return Status::InvalidArgument("--max-num-seqs must be 1..4096", "max-num-seqs");
  if (max_num_batched_tokens < 16)
    return Status::InvalidArgument("--max-num-batched-tokens must be at least 16",
                                   "max-num-batched-tokens");
  if (kv_budget_mib < 0)
    return Status::InvalidArgument("--kv-budget-mib must not be negative", "kv-budget-mib");
  if (threads < 0) return Status::InvalidArgument("--threads must not be negative", "threads");
  if (http_threads < 0 || http_threads > 4096)
    return Status::InvalidArgument("--http-threads must be 0..4096", "http-threads");
  if (max_waiting < 1)
    return Status::InvalidArgument("--max-waiting must be at least 1", "max-waiting");
  if (max_body_mib < 1 || max_body_mib > 1024)
    return Status::InvalidArgument("--max-body-mib must be 1..1024", "max-body-mib");
  bool level_ok = false;
  log::ParseLevel(log_level, &level_ok);
  if (!level_ok)
    return Status::InvalidArgument("--log-level must be debug, info, warning or error",
                                   "log-level");
  return Status::Ok();
}

std::optional<int> ParseEngineFlags(int argc, const char* const* argv, EngineConfig* config) {
  CLI::App cli{"hai-engine: HAI's CPU inference engine with an OpenAI-compatible API"};
  EngineConfig& c = *config;
  cli.add_option("--model", c.model_dir,
                 "checkpoint directory (config.json, *.safetensors, "
                 "tokenizer.json, …)");
  cli.add_option("--served-name", c.served_name, "model name clients use");
  cli.add_option("--port", c.port, "port to listen on; 0 for any free one")->capture_default_str();
  cli.add_option("--host", c.host, "address to listen on")->capture_default_str();
  cli.add_option("--max-num-seqs", c.max_num_seqs, "sequences decoding together")
      ->capture_default_str();
  cli.add_option("--kv-budget-mib", c.kv_budget_mib,
                 "KV cache budget in MiB; 0: max-num-seqs × 2048 tokens")
      ->capture_default_str();
  cli.add_option("--dtype", c.dtype, "compute type")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, transformer::ComputeType>{
              {"f32", transformer::ComputeType::kF32}, {"bf16", transformer::ComputeType::kBF16}},
          CLI::ignore_case));
  cli.add_option("--threads", c.threads, "libtorch intra-op threads; 0: every core")
      ->capture_default_str();
  cli.add_flag("--int8", c.int8, "weight-only int8 quantisation of the linear layers");
  cli.add_option("--max-num-batched-tokens", c.max_num_batched_tokens, "tokens per step")
      ->capture_default_str();
  cli.add_option("--pooling", c.pooling, "embedding pooling for encoders")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, transformer::Pooling>{{"mean", transformer::Pooling::kMean},
                                                      {"cls", transformer::Pooling::kCls}},
          CLI::ignore_case));
  cli.add_option("--log-level", c.log_level, "debug, info, warning or error")
      ->capture_default_str();
  cli.add_option("--ready-file", c.ready_file,
                 "write {\"port\":N} here once the model is loaded and serving");
  cli.add_option("--http-threads", c.http_threads,
                 "HTTP worker threads; 0: 2 × max-num-seqs + 8 (each stream holds one)")
      ->capture_default_str();
  cli.add_option("--max-waiting", c.max_waiting, "queued requests before answering 429")
      ->capture_default_str();
  cli.add_option("--max-body-mib", c.max_body_mib, "largest request body in MiB")
      ->capture_default_str();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;  // prints the help or the error
  }
  if (Status st = c.Validate(); !st.ok()) {
    std::fprintf(stderr, "hai-engine: %s\n", st.message().c_str());
    return 2;
  }
  return std::nullopt;
}

}  // namespace hai::engine
