#include "dynamo/value/utf8.hpp"

#include <simdjson.h>

#include <cstdint>
#include <cstring>

namespace dynamo {

bool is_valid_utf8(std::string_view text) noexcept {
  // Most text is ASCII: settle that with a word-at-a-time test before calling the
  // vectorised validator, whose dispatch costs more than a short string's whole check.
  const char* p = text.data();
  std::size_t n = text.size();
  std::uint64_t high_bits = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    high_bits |= word;
  }
  for (; n > 0; ++p, --n) high_bits |= static_cast<unsigned char>(*p);
  if ((high_bits & 0x8080808080808080ULL) == 0) return true;
  return simdjson::validate_utf8(text.data(), text.size());
}

}  // namespace dynamo
