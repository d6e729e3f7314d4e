// SHA-256, HMAC-SHA-256, hex and constant-time comparison over OpenSSL's EVP interfaces.
// Internal to the auth layer.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace dynamo::auth::detail {

using Sha256Digest = std::array<unsigned char, 32>;

[[nodiscard]] Sha256Digest sha256(std::string_view data);
[[nodiscard]] Sha256Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data);
[[nodiscard]] std::string to_hex(std::span<const unsigned char> bytes);
[[nodiscard]] std::string sha256_hex(std::string_view data);

// Equal contents, in time that depends only on the lengths.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace dynamo::auth::detail
