#include "codec/base64.hpp"

#include <openssl/evp.h>

#include <array>

namespace dynamo::detail {
namespace {

constexpr std::array<signed char, 256> make_decode_table() {
  std::array<signed char, 256> table{};
  for (auto& entry : table) entry = -1;
  constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
  }
  return table;
}
constexpr auto decode_table = make_decode_table();

}  // namespace

void base64_encode(std::string_view bytes, std::string& out) {
  const std::size_t start = out.size();
  const std::size_t encoded = 4 * ((bytes.size() + 2) / 3);
  out.resize(start + encoded + 1);  // EVP_EncodeBlock writes a terminating NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + start),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(start + static_cast<std::size_t>(written));
}

std::optional<Base64Problem> base64_decode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 != 0) return Base64Problem{text.size(), "length is not a multiple of 4"};
  if (text.empty()) return std::nullopt;
  std::size_t padding = 0;
  if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  const std::size_t data_end = text.size() - padding;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t accumulator = 0;
  for (std::size_t i = 0; i < data_end; ++i) {
    const signed char sextet = decode_table[static_cast<unsigned char>(text[i])];
    if (sextet < 0) {
      return Base64Problem{i, text[i] == '=' ? "padding '=' before the end" : "invalid character"};
    }
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(sextet);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>(accumulator >> 16));
      out.push_back(static_cast<char>(accumulator >> 8));
      out.push_back(static_cast<char>(accumulator));
      accumulator = 0;
    }
  }
  // The final quantum: 2 or 3 characters carry 1 or 2 bytes; the unused bits must be zero
  // (otherwise two different texts would decode to the same bytes).
  if (padding == 2) {
    if ((accumulator & 0xF) != 0) return Base64Problem{data_end - 1, "non-zero bits after the last byte"};
    out.push_back(static_cast<char>(accumulator >> 4));
  } else if (padding == 1) {
    if ((accumulator & 0x3) != 0) return Base64Problem{data_end - 1, "non-zero bits after the last byte"};
    out.push_back(static_cast<char>(accumulator >> 10));
    out.push_back(static_cast<char>(accumulator >> 2));
  }
  return std::nullopt;
}

}  // namespace dynamo::detail
