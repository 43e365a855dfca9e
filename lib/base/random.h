#pragma once

#include <string>

namespace hai {

// Cryptographically secure randomness (libsodium), for tokens, keys and passwords.
// `bytes` random bytes rendered as URL-safe base64 without padding.
std::string RandomToken(size_t bytes);
// A password of `length` characters from an alphabet without look-alikes
// (no 0/O, 1/l/I), easy to read off a console and type.
std::string RandomPassword(size_t length);
// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(const std::string& data);

}  // namespace hai
