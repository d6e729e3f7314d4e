// JsonWriter: commas, nesting and string escaping, checked against simdjson's reading of
// the output.
#include "codec/json_writer.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace dynamo::detail {
namespace {

// Commas go between members and elements at every level, never after a key.
TEST(JsonWriter, NestingAndCommas) {
  std::string out;
  JsonWriter w(out);
  w.start_object();
  w.key("a");
  w.start_array();
  w.integer(-1);
  w.unsigned_integer(18446744073709551615ULL);
  w.start_object();
  w.end_object();
  w.start_array();
  w.end_array();
  w.null();
  w.end_array();
  w.key("b");
  w.boolean(false);
  w.key("c");
  w.raw_json("1.5e3");
  w.end_object();
  EXPECT_EQ(out, R"({"a":[-1,18446744073709551615,{},[],null],"b":false,"c":1.5e3})");
}

// Every character below 0x20, quote and backslash is escaped; everything else is copied,
// and a JSON parser reads back exactly the original bytes.
TEST(JsonWriter, EscapesAndReadsBack) {
  std::string text;
  for (int c = 1; c < 0x80; ++c) text.push_back(static_cast<char>(c));
  text += "\xc3\xa9\xf0\x9f\x98\x80";
  text.push_back('\0');
  std::string out;
  JsonWriter w(out);
  w.string(text);
  EXPECT_NE(out.find(R"(\u0001)"), std::string::npos);
  EXPECT_NE(out.find(R"(\n)"), std::string::npos);
  EXPECT_NE(out.find(R"(\")"), std::string::npos);
  EXPECT_NE(out.find(R"(\\)"), std::string::npos);
  EXPECT_NE(out.find(R"(\u0000)"), std::string::npos);
  simdjson::dom::parser parser;
  std::string_view back;
  ASSERT_EQ(parser.parse(out).get_string().get(back), simdjson::SUCCESS);
  EXPECT_EQ(back, text);
}

// Long strings are scanned many bytes at a time: every byte value, at every position of a
// string longer than one scan step, is escaped exactly as the one-byte-at-a-time rule says.
TEST(JsonWriter, EscapesAtEveryPositionOfLongStrings) {
  const auto expected = [](std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (byte < 0x20) {
        constexpr char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[byte >> 4];
        out += hex[byte & 0xF];
      } else {
        out += c;
      }
    }
    return out + "\"";
  };
  for (const std::size_t length : {7U, 8U, 15U, 16U, 17U, 40U}) {
    for (std::size_t position = 0; position < length; ++position) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text(length, 'a');
        text[position] = static_cast<char>(byte);
        text[length - 1 - position / 2] = byte % 3 == 0 ? '"' : 'z';  // sometimes a second escape
        std::string out;
        JsonWriter w(out);
        w.string(text);
        ASSERT_EQ(out, expected(text)) << "length " << length << ", byte " << byte << " at " << position;
      }
    }
  }
}

}  // namespace
}  // namespace dynamo::detail
