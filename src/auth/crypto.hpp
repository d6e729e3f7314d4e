// SHA-256, HMAC-SHA-256, hex and constant-time comparison over OpenSSL's EVP interfaces.
// Internal to the auth layer.
//
// The algorithms are fetched from OpenSSL's providers once per process and each thread
// reuses one digest context, so sha256() costs no algorithm lookup and no context of its
// own (OpenSSL 3.0 still allocates its internal hash state at every init). The free
// functions may be called from any number of threads at once.
#pragma once

#include <openssl/types.h>

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace dynamo::auth::detail {

using Sha256Digest = std::array<unsigned char, 32>;

[[nodiscard]] Sha256Digest sha256(std::string_view data);
[[nodiscard]] std::string to_hex(std::span<const unsigned char> bytes);
[[nodiscard]] std::string sha256_hex(std::string_view data);

// Equal contents, in time that depends only on the lengths.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// A reusable HMAC-SHA-256 context: set a key once, then compute any number of MACs with it
// without OpenSSL re-hashing the key each time. Setting another key overwrites the previous
// one; destruction wipes the key material (OpenSSL clears its copies before freeing). One
// object must not be used by two threads at once.
class HmacSha256 {
 public:
  HmacSha256();
  HmacSha256(HmacSha256&& other) noexcept;
  HmacSha256& operator=(HmacSha256&& other) noexcept;
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;
  ~HmacSha256();

  void set_key(std::span<const unsigned char> key);
  // The MAC of `data` under the last key set; throws std::logic_error when none was.
  [[nodiscard]] Sha256Digest mac(std::string_view data);

 private:
  EVP_MAC_CTX* context_ = nullptr;
  bool keyed_ = false;
};

}  // namespace dynamo::auth::detail
