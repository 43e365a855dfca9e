#pragma once

// Test helper: a real checkpoint written by hai-model's own code (the same
// path `hai-model init` takes), small enough to make in a test.
#include <gtest/gtest.h>

#include <string>

#include "daemons/model/model_init.h"

namespace hai::portal::testing {

// Writes a checkpoint of `arch` (qwen2, llama or bert; `num_labels` > 0
// makes a bert cross-encoder) to `out`, which must be empty or absent.
inline void MakeCheckpoint(const std::string& out, const std::string& arch = "qwen2",
                           int num_labels = 0) {
  model::InitOptions o;
  o.out = out;
  o.arch = arch;
  o.layers = 1;
  o.hidden = 64;
  o.heads = 4;
  o.kv_heads = arch == "bert" ? 0 : 2;
  o.vocab = 512;
  o.seed = 3;
  o.num_labels = num_labels;
  auto made = model::InitModel(o);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
}

}  // namespace hai::portal::testing
