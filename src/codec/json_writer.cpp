#include "codec/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dynamo::detail {
namespace {

// 0: copy as is; otherwise the character after the backslash ('u' for \u00XX).
constexpr std::array<char, 256> make_escape_table() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = 'u';
  table['"'] = '"';
  table['\\'] = '\\';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  return table;
}
constexpr auto escape_table = make_escape_table();

// True when one of the eight bytes of `word` needs escaping: a control character (below
// 0x20), '"' or '\\'. Bytes from 0x80 up (UTF-8 sequences) never do. Each test is exact on
// whether some byte matches (the borrow only spreads into bytes above a matching one).
constexpr bool needs_escape(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t v) { return ((v - ones) & ~v & highs) != 0; };
  const bool control = ((word - ones * 0x20) & ~word & highs) != 0;
  return control || has_zero(word ^ (ones * 0x22U)) || has_zero(word ^ (ones * 0x5cU));
}

// The word test agrees with the table for every byte value at every position.
constexpr bool word_test_matches_table() {
  for (unsigned position = 0; position < 8; ++position) {
    for (unsigned byte = 0; byte < 256; ++byte) {
      std::uint64_t word = 0x6161616161616161ULL;  // "aaaaaaaa"
      word &= ~(std::uint64_t{0xff} << (8 * position));
      word |= std::uint64_t{byte} << (8 * position);
      if (needs_escape(word) != (escape_table[byte] != 0)) return false;
    }
  }
  return true;
}
static_assert(word_test_matches_table());

}  // namespace

void JsonWriter::write_quoted(std::string_view text) {
  out_.push_back('"');
  const char* const data = text.data();
  const std::size_t size = text.size();
  std::size_t run_start = 0;
  std::size_t i = 0;
  while (i < size) {
    // Skip plain bytes sixteen or eight at a time; most strings have nothing to escape.
#if defined(__SSE2__)
    while (i + 16 <= size) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
      // Unsigned bytes <= 0x1f are those whose maximum with 0x1f is 0x1f.
      const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(bytes, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
      const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
      const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
      if (_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) != 0) break;
      i += 16;
    }
#endif
    while (i + 8 <= size) {
      std::uint64_t word;
      std::memcpy(&word, data + i, sizeof word);
      if (needs_escape(word)) break;
      i += 8;
    }
    const std::size_t stop = std::min(size, i + 8);
    for (; i < stop; ++i) {
      const char escape = escape_table[static_cast<unsigned char>(data[i])];
      if (escape == 0) continue;
      // Copy the run of plain characters in one go, then the escape sequence.
      out_.append(data + run_start, i - run_start);
      run_start = i + 1;
      out_.push_back('\\');
      out_.push_back(escape);
      if (escape == 'u') {
        constexpr char hex[] = "0123456789abcdef";
        const auto c = static_cast<unsigned char>(data[i]);
        out_.append("00");
        out_.push_back(hex[c >> 4]);
        out_.push_back(hex[c & 0xF]);
      }
    }
  }
  out_.append(data + run_start, size - run_start);
  out_.push_back('"');
}

void JsonWriter::integer(std::int64_t value) {
  before_value();
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, result.ptr);
}

void JsonWriter::unsigned_integer(std::uint64_t value) {
  before_value();
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, result.ptr);
}

}  // namespace dynamo::detail
