#include "daemons/portal/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

namespace hai::portal {

Status CheckPasswordPolicy(const std::string& password, const std::string& username,
                           size_t min_length) {
  size_t chars = 0;
  for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
  if (chars < min_length)
    return Status::InvalidArgument(
        "password must be at least " + std::to_string(min_length) + " characters", "password");
  if (password.size() > 256)
    return Status::InvalidArgument("password must be at most 256 bytes", "password");
  std::string lower_pw = password, lower_user = username;
  std::transform(lower_pw.begin(), lower_pw.end(), lower_pw.begin(), ::tolower);
  std::transform(lower_user.begin(), lower_user.end(), lower_user.begin(), ::tolower);
  if (!lower_user.empty() && lower_pw.find(lower_user) != std::string::npos)
    return Status::InvalidArgument("password must not contain the username", "password");
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
    return Status::InvalidArgument("password must not repeat one character", "password");
  return Status::Ok();
}

Result<std::string> HashPassword(const std::string& password, const PasswordCost& cost) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::Unavailable("out of memory while hashing a password");
  return std::string(out);
}

bool VerifyPassword(const std::string& password, const std::string& hash) {
  if (sodium_init() < 0) return false;
  if (hash.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace hai::portal
