#pragma once

#include <cstdint>

#include "lib/transformer/simd.h"

namespace hai::transformer {

// One decoding sequence's attention for one kv head, on raw memory: the new
// token's key and value are appended to the cache, then its query heads of
// that GQA group attend over every cached position. Doing this in one pass
// per (sequence, kv head) instead of a dozen libtorch calls per sequence is
// what keeps a batch of 32 decoding sequences from drowning in call overhead.
//
// Keys and values are f32 or bf16 (the compute dtype); queries and outputs
// are f32, scores and softmax run in f32.
struct DecodeAttentionTask {
  bool bf16 = false;               // element type of new_key/new_value and the cache
  const float* queries = nullptr;  // [group, head_dim]
  const void* new_key = nullptr;   // [head_dim]
  const void* new_value = nullptr;
  void* keys = nullptr;  // cache rows [position, head_dim], contiguous
  void* values = nullptr;
  int64_t position = 0;  // where the new token goes; it attends over 0..position
  int64_t group = 1;     // query heads sharing this kv head
  int64_t head_dim = 0;
  float scale = 1;           // 1/√head_dim
  float* out = nullptr;      // [group, head_dim]
  float* scratch = nullptr;  // position + 1 floats
};

// With the widest instruction set this CPU has, or with `simd` (which must be
// supported).
void RunDecodeAttention(const DecodeAttentionTask& task);
void RunDecodeAttention(const DecodeAttentionTask& task, Simd simd);

}  // namespace hai::transformer
