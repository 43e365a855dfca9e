#include "hwcheck/host/cluster_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "hwcheck/host/proc_text.h"

namespace hai::hwcheck::host {
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

}  // namespace

Result<std::string> ReadClusterToken(const std::string& path) {
  std::optional<std::string> text = ReadSmallFile(path);
  if (!text) return Status::FailedPrecondition("cannot read token file " + path);
  std::string token = Trimmed(*text);
  if (token.empty()) return Status::FailedPrecondition("token file " + path + " is empty");
  return token;
}

std::string NewNonce() {
  unsigned char bytes[32];
  // RAND_bytes fails only when the OS entropy source does; a predictable
  // nonce would let a recorded proof be replayed, so that is fatal.
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();
  return Hex(bytes, sizeof(bytes));
}

std::string TokenProof(const std::string& token, const std::string& message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), token.data(), static_cast<int>(token.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
  return Hex(md, len);
}

bool ProofMatches(const std::string& expected, const std::string& given) {
  return expected.size() == given.size() &&
         CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

}  // namespace hai::hwcheck::host
