#include "auth/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>
#include <utility>

namespace dynamo::auth::detail {
namespace {

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// Algorithms are fetched once: OpenSSL 3 otherwise looks them up in its provider tables
// (under a lock) on every call, which costs more than hashing a short string. Deliberately
// never freed.
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const algorithm = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (algorithm == nullptr) throw std::runtime_error("OpenSSL offers no HMAC implementation");
  return algorithm;
}

const EVP_MD* sha256_algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, OSSL_DIGEST_NAME_SHA2_256, nullptr);
  if (algorithm == nullptr) throw std::runtime_error("OpenSSL offers no SHA-256 implementation");
  return algorithm;
}

struct MacContextDeleter {
  void operator()(EVP_MAC_CTX* context) const noexcept { EVP_MAC_CTX_free(context); }
};
struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using MacContext = std::unique_ptr<EVP_MAC_CTX, MacContextDeleter>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

// A fresh HMAC context with SHA-256 chosen, ready for EVP_MAC_init with a key. Choosing the
// digest is a lookup by name, so it happens here, once per context, not at every init.
MacContext new_hmac_sha256_context() {
  MacContext context(EVP_MAC_CTX_new(hmac_algorithm()));
  char digest_name[] = OSSL_DIGEST_NAME_SHA2_256;
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                               OSSL_PARAM_construct_end()};
  if (!context || EVP_MAC_CTX_set_params(context.get(), params) != 1) {
    throw std::runtime_error("OpenSSL could not set up an HMAC-SHA-256 context");
  }
  return context;
}

// This thread's digest context, reused by every sha256() call on it.
EVP_MD_CTX* thread_digest_context() {
  thread_local const DigestContext context(EVP_MD_CTX_new());
  if (!context) throw std::runtime_error("OpenSSL could not allocate a digest context");
  return context.get();
}

Sha256Digest finish_mac(EVP_MAC_CTX* context, std::string_view data) {
  Sha256Digest mac{};
  std::size_t length = 0;
  if (EVP_MAC_update(context, bytes_of(data), data.size()) != 1 ||
      EVP_MAC_final(context, mac.data(), &length, mac.size()) != 1 || length != mac.size()) {
    throw std::runtime_error("OpenSSL HMAC-SHA-256 failed");
  }
  return mac;
}

}  // namespace

Sha256Digest sha256(std::string_view data) {
  EVP_MD_CTX* context = thread_digest_context();
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_DigestInit_ex2(context, sha256_algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(context, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context, digest.data(), &length) != 1 || length != digest.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return digest;
}

std::string to_hex(std::span<const unsigned char> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex(bytes.size() * 2, '\0');
  char* out = hex.data();
  for (unsigned char byte : bytes) {
    *out++ = digits[byte >> 4U];
    *out++ = digits[byte & 0x0FU];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  // Lengths are public (a signature is always 64 hex digits); only the contents are secret.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

HmacSha256::HmacSha256() : context_(new_hmac_sha256_context().release()) {}

HmacSha256::HmacSha256(HmacSha256&& other) noexcept
    : context_(std::exchange(other.context_, nullptr)), keyed_(std::exchange(other.keyed_, false)) {}

HmacSha256& HmacSha256::operator=(HmacSha256&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(context_);
    context_ = std::exchange(other.context_, nullptr);
    keyed_ = std::exchange(other.keyed_, false);
  }
  return *this;
}

// EVP_MAC_CTX_free clears the HMAC states and OpenSSL's copy of the key before freeing them.
HmacSha256::~HmacSha256() { EVP_MAC_CTX_free(context_); }

void HmacSha256::set_key(std::span<const unsigned char> key) {
  keyed_ = false;
  if (context_ == nullptr) context_ = new_hmac_sha256_context().release();
  if (EVP_MAC_init(context_, key.data(), key.size(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not set an HMAC-SHA-256 key");
  }
  keyed_ = true;
}

Sha256Digest HmacSha256::mac(std::string_view data) {
  if (!keyed_) throw std::logic_error("HMAC-SHA-256 used before a key was set");
  // A null key restarts from the inner and outer states computed when the key was set.
  if (EVP_MAC_init(context_, nullptr, 0, nullptr) != 1) {
    throw std::runtime_error("OpenSSL HMAC-SHA-256 failed");
  }
  return finish_mac(context_, data);
}

}  // namespace dynamo::auth::detail
