// hai-model init: a small random checkpoint in Hugging Face layout.
#include "daemons/model/model_init.h"

#include <filesystem>

#include "daemons/model/tokenizer_files.h"
#include "daemons/model/weight_init.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/checkpoint/file_io.h"
#include "lib/checkpoint/tensor_layout.h"

namespace hai::model {
namespace {

namespace fs = std::filesystem;
using checkpoint::Arch;

bool IsCheckpointFile(const fs::path& path) {
  static const char* kNames[] = {"config.json", "tokenizer.json", "tokenizer_config.json",
                                 "generation_config.json", "model.safetensors.index.json"};
  const std::string name = path.filename().string();
  for (const char* known : kNames) {
    if (name == known) return true;
  }
  return path.extension() == ".safetensors";
}

// An empty or new directory; with `force`, an old checkpoint's files are
// removed first so that no stale shard or index survives.
Status PrepareDirectory(const std::string& dir, bool force) {
  std::error_code error;
  if (fs::exists(dir, error) && !fs::is_directory(dir, error)) {
    return Status::InvalidArgument("--out " + dir + " exists and is not a directory", "--out");
  }
  fs::create_directories(dir, error);
  if (error) return Status::Unavailable(dir + ": cannot create: " + error.message());
  std::vector<fs::path> existing;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    existing.push_back(it->path());
  }
  if (error) return Status::Unavailable(dir + ": cannot list: " + error.message());
  if (existing.empty()) return Status::Ok();
  if (!force) {
    return Status::AlreadyExists(
        "--out " + dir + " is not empty (use --force to replace the checkpoint files in it)",
        "--out");
  }
  for (const fs::path& path : existing) {
    if (IsCheckpointFile(path) && !fs::is_directory(path, error)) {
      fs::remove(path, error);
      if (error) return Status::Unavailable(path.string() + ": cannot remove: " + error.message());
    }
  }
  return Status::Ok();
}

Result<int64_t> WriteWeights(const checkpoint::ModelConfig& config, checkpoint::DType dtype,
                             uint64_t seed, const std::string& path) {
  checkpoint::SafetensorsWriter writer;
  int64_t bytes = 0;
  for (const checkpoint::ExpectedTensor& tensor : checkpoint::ExpectedTensors(config)) {
    std::vector<std::byte> data = InitialWeights(tensor, dtype, seed);
    bytes += static_cast<int64_t>(data.size());
    HAI_RETURN_IF_ERROR(writer.Add(tensor.name, dtype, tensor.shape, std::move(data)));
  }
  // transformers refuses safetensors files without a "format" entry.
  writer.SetMetadata("format", "pt");
  HAI_RETURN_IF_ERROR(writer.Write(path));
  return bytes;
}

std::string PathIn(const std::string& dir, const char* name) {
  return (fs::path(dir) / name).string();
}

}  // namespace

Result<InitSummary> InitModel(const InitOptions& options) {
  HAI_ASSIGN_OR_RETURN(checkpoint::ModelConfig config, ConfigFromOptions(options));
  HAI_ASSIGN_OR_RETURN(checkpoint::DType dtype, WeightDType(options.dtype));
  HAI_RETURN_IF_ERROR(PrepareDirectory(options.out, options.force));
  const std::string& dir = options.out;

  HAI_ASSIGN_OR_RETURN(std::string tokenizer_json,
                       TrainTokenizerJson(config.arch, config.vocab_size));
  HAI_ASSIGN_OR_RETURN(auto tokenizer, tokenizer::Tokenizer::FromJson(
                                           tokenizer_json, PathIn(dir, "tokenizer.json")));
  HAI_RETURN_IF_ERROR(
      checkpoint::WriteFileAtomically(PathIn(dir, "tokenizer.json"), tokenizer_json + "\n"));
  HAI_RETURN_IF_ERROR(checkpoint::WriteFileAtomically(PathIn(dir, "tokenizer_config.json"),
                                                      TokenizerConfigJson(config)));
  if (config.arch != Arch::kBert) {
    HAI_ASSIGN_OR_RETURN(std::string generation, GenerationConfigJson(config, *tokenizer));
    HAI_RETURN_IF_ERROR(
        checkpoint::WriteFileAtomically(PathIn(dir, "generation_config.json"), generation));
  }
  HAI_ASSIGN_OR_RETURN(int64_t weight_bytes,
                       WriteWeights(config, dtype, options.seed, PathIn(dir, "model.safetensors")));
  // config.json last: a directory interrupted before this is not a checkpoint.
  HAI_RETURN_IF_ERROR(checkpoint::WriteFileAtomically(PathIn(dir, "config.json"),
                                                      checkpoint::ModelConfigToJson(config)));

  HAI_ASSIGN_OR_RETURN(auto opened, checkpoint::OpenCheckpoint(dir));
  InitSummary summary;
  summary.config = opened->config;
  summary.parameters = opened->config.ParameterCount();
  summary.tokenizer_vocab = opened->tokenizer->vocab_size();
  summary.weight_bytes = weight_bytes;
  return summary;
}

}  // namespace hai::model
