#pragma once

#include <string>

#include "lib/base/status.h"

namespace hai::hwcheck::host {

// The cluster token shared by the nodes (the file's text without surrounding
// whitespace); an error naming the file when it is missing or empty.
Result<std::string> ReadClusterToken(const std::string& path);

// 32 random bytes as 64 lower-case hex digits.
std::string NewNonce();

// Lower-case hex HMAC-SHA256 of `message` under `token`.
std::string TokenProof(const std::string& token, const std::string& message);

// Compares two proofs in time independent of where they differ.
bool ProofMatches(const std::string& expected, const std::string& given);

}  // namespace hai::hwcheck::host
