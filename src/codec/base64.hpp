// Base64 (RFC 4648, standard alphabet, padded) for DynamoDB's binary values, which travel
// as base64 text in JSON. Encoding uses OpenSSL; decoding is strict — DynamoDB rejects what
// a lenient decoder would quietly repair, and so do we.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dynamo::detail {

// Appends the base64 text of `bytes` to `out`.
void base64_encode(std::string_view bytes, std::string& out);

// Why a text is not valid base64; nullopt-free success is signalled by an empty reason.
struct Base64Problem {
  std::size_t offset;      // where the problem is (a character index into the text)
  std::string_view reason; // e.g. "invalid character", "length is not a multiple of 4"
};

// Decodes strict base64: length a multiple of 4, only the standard alphabet, '=' padding
// only at the end (at most two), no whitespace, and zero bits after the last full byte.
// Returns the problem instead of throwing; on success `out` holds the bytes.
[[nodiscard]] std::optional<Base64Problem> base64_decode(std::string_view text, std::string& out);

}  // namespace dynamo::detail
