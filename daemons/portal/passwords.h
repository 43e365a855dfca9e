#pragma once

#include <cstdint>
#include <string>

#include "lib/base/status.h"

namespace hai::portal {

// argon2id cost. The defaults follow the common interactive recommendation
// (2 passes over 19 MiB); tests and benchmarks may lower them explicitly.
struct PasswordCost {
  uint64_t ops = 2;
  size_t memory_bytes = 19 << 20;
};

// Rules a new password must meet; `username` guards against reuse of it.
Status CheckPasswordPolicy(const std::string& password, const std::string& username,
                           size_t min_length);
// "$argon2id$…" encoded hash with its own salt and parameters.
Result<std::string> HashPassword(const std::string& password, const PasswordCost& cost);
// Constant-time check against a stored hash.
bool VerifyPassword(const std::string& password, const std::string& hash);

}  // namespace hai::portal
