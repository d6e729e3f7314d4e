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

}  // namespace
}  // namespace dynamo::detail
