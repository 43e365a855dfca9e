#pragma once

// Test-only: a real, tiny, randomly initialised Qwen2-style decoder checkpoint
// on disk (config.json, model.safetensors, tokenizer.json from a byte-level
// BPE trained on a small corpus, tokenizer_config.json,
// generation_config.json), loaded with the same code the engine uses.

#include <cstdint>
#include <memory>
#include <string>

#include "lib/base/status.h"
#include "lib/checkpoint/checkpoint.h"
#include "lib/transformer/decoder_model.h"

namespace hai::engine {

struct TinyModelSpec {
  int vocab_size = 384;  // 256 bytes + merges + the special tokens below
  int hidden_size = 32;
  int intermediate_size = 64;
  int num_layers = 2;
  int num_heads = 4;
  int num_kv_heads = 2;
  int max_position = 512;
  uint64_t seed = 7;
  // Weights are uniform in ±scale/sqrt(fan_in); large enough that the logits
  // are well apart, so greedy choices do not hinge on rounding.
  float scale = 2.0f;
};

inline constexpr const char* kTinyEos = "<|endoftext|>";

struct TinyModel {
  std::unique_ptr<checkpoint::Checkpoint> ckpt;
  std::unique_ptr<transformer::DecoderModel> model;
};

// Writes the checkpoint into `dir` (which must exist).
Status WriteTinyCheckpoint(const std::string& dir, const TinyModelSpec& spec);
// Opens `dir` with checkpoint::OpenCheckpoint and transformer::DecoderModel::Load.
Result<TinyModel> LoadTinyModel(const std::string& dir);

}  // namespace hai::engine
