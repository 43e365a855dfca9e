#pragma once

#include <sodium.h>

#include <string>
#include <string_view>

namespace hai {

// SHA-256 over data given piece by piece (files too large to hold), ending
// in lower-case hex. For one string at once, Sha256Hex (random.h).
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // The digest of everything given so far; the hasher is spent afterwards.
  std::string FinishHex();

 private:
  crypto_hash_sha256_state state_;
};

}  // namespace hai
