#include "lib/base/sha256.h"

#include <cstdlib>

namespace hai {

Sha256::Sha256() {
  if (sodium_init() < 0) std::abort();  // idempotent; fails only without an entropy source
  crypto_hash_sha256_init(&state_);
}

void Sha256::Update(std::string_view data) {
  crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(data.data()),
                            data.size());
}

std::string Sha256::FinishHex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return hex;
}

}  // namespace hai
