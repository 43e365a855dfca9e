#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lib/base/status.h"
#include "lib/checkpoint/checkpoint.h"

namespace hai::model {

// What `hai-model inspect` reports about a checkpoint directory.
struct Inspection {
  std::string dir;
  checkpoint::ModelConfig config;
  int64_t parameters = 0;             // from the layout of config.json
  std::map<std::string, int> dtypes;  // "BF16" → number of tensors
  int64_t weight_bytes = 0;           // every tensor in every shard
  std::vector<std::string> files;     // the weight files
  int tokenizer_vocab = 0;
  checkpoint::GenerationDefaults generation;
};

// Opens `dir` with OpenCheckpoint (so every cross-check applies) and gathers
// the report; errors name the file at fault.
Result<Inspection> Inspect(const std::string& dir);

// "12.3M", "1.54B", "835.2K", "512".
std::string FormatCount(int64_t count);
// "49.2 MiB".
std::string FormatMiB(int64_t bytes);

std::string InspectionText(const Inspection& inspection);
std::string InspectionJson(const Inspection& inspection);

}  // namespace hai::model
