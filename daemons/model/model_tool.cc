// hai-model's flags and subcommands; the work is in model_init and
// model_inspect.
#include "daemons/model/model_tool.h"

#include <CLI/CLI.hpp>

#include "daemons/model/model_init.h"
#include "daemons/model/model_inspect.h"

namespace hai::model {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

CLI::App* AddInit(CLI::App& cli, InitOptions* o) {
  CLI::App* init = cli.add_subcommand(
      "init", "Write a small random checkpoint (Hugging Face layout) for tests and demos");
  init->add_option("--out", o->out, "directory to write (must be empty unless --force)")
      ->required();
  init->add_option("--arch", o->arch, "qwen2, llama or bert")->required();
  init->add_option("--layers", o->layers, "transformer layers")->required();
  init->add_option("--hidden", o->hidden, "hidden size")->required();
  init->add_option("--heads", o->heads, "attention heads")->required();
  init->add_option("--kv-heads", o->kv_heads, "key/value heads (default: --heads)");
  init->add_option("--vocab", o->vocab, "vocabulary size (config.json vocab_size)")->required();
  init->add_option("--seed", o->seed, "weights depend only on the flags and this (default 0)");
  init->add_option(
      "--intermediate", o->intermediate,
      "MLP width (default: bert 4×hidden; decoders 8×hidden/3 up to a multiple of 64)");
  init->add_option("--max-position", o->max_position,
                   "maximum positions (default: decoders 8192, bert 512)");
  init->add_option("--rope-theta", o->rope_theta,
                   "RoPE base (default: qwen2 1000000, llama 500000)");
  init->add_option("--num-labels", o->num_labels, "bert: add a cross-encoder head of N labels");
  init->add_option("--dtype", o->dtype, "weight dtype: f32, bf16 or f16 (default f32)");
  init->add_flag("--tie-embeddings", o->tie_embeddings,
                 "decoders: share the embedding with the output layer (no lm_head.weight)");
  init->add_flag("--force", o->force, "replace the checkpoint files in a non-empty --out");
  return init;
}

int RunInit(const InitOptions& options, std::ostream& out, std::ostream& err) {
  Result<InitSummary> made = InitModel(options);
  if (!made.ok()) {
    err << "hai-model init: " << made.status().message() << "\n";
    return made.status().code() == Code::kInvalidArgument ||
                   made.status().code() == Code::kAlreadyExists
               ? kExitUsage
               : kExitFailed;
  }
  const checkpoint::ModelConfig& c = made->config;
  out << "wrote " << options.out << ": " << checkpoint::ArchName(c.arch) << ", " << c.num_layers
      << (c.num_layers == 1 ? " layer" : " layers") << ", hidden " << c.hidden_size << ", "
      << FormatCount(made->parameters) << " parameters (" << options.dtype << ", "
      << FormatMiB(made->weight_bytes) << "), tokenizer " << made->tokenizer_vocab << " tokens\n";
  if (made->tokenizer_vocab < c.vocab_size) {
    out << "note: the built-in corpus allows " << made->tokenizer_vocab
        << " tokens; embedding rows " << made->tokenizer_vocab << ".." << c.vocab_size - 1
        << " are padding\n";
  }
  return 0;
}

int RunInspect(const std::string& dir, bool as_json, std::ostream& out, std::ostream& err) {
  Result<Inspection> inspection = Inspect(dir);
  if (!inspection.ok()) {
    err << "hai-model inspect: " << inspection.status().message() << "\n";
    return kExitFailed;
  }
  out << (as_json ? InspectionJson(*inspection) : InspectionText(*inspection));
  return 0;
}

}  // namespace

int RunModelTool(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App cli{"hai-model: make and inspect Hugging Face-layout checkpoints"};
  cli.require_subcommand(1);
  InitOptions init_options;
  CLI::App* init = AddInit(cli, &init_options);
  std::string dir;
  bool as_json = false;
  CLI::App* inspect = cli.add_subcommand("inspect", "Summarise and cross-check a checkpoint");
  inspect->add_option("dir", dir, "checkpoint directory")->required();
  inspect->add_flag("--json", as_json, "machine-readable output");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = cli.exit(e, out, err);
    return status == 0 ? 0 : kExitUsage;
  }
  if (*init) return RunInit(init_options, out, err);
  if (*inspect) return RunInspect(dir, as_json, out, err);
  return kExitUsage;
}

}  // namespace hai::model
