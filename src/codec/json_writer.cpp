#include "codec/json_writer.hpp"

#include <array>
#include <charconv>

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

}  // namespace

void JsonWriter::write_quoted(std::string_view text) {
  out_.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char escape = escape_table[static_cast<unsigned char>(text[i])];
    if (escape == 0) continue;
    // Copy the run of plain characters in one go, then the escape sequence.
    out_.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    out_.push_back('\\');
    out_.push_back(escape);
    if (escape == 'u') {
      constexpr char hex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(text[i]);
      out_.append("00");
      out_.push_back(hex[c >> 4]);
      out_.push_back(hex[c & 0xF]);
    }
  }
  out_.append(text.data() + run_start, text.size() - run_start);
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
