// DynamoDB JSON: the exact text produced for every type, and decoding of valid input.
#include "dynamo/codec/json.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace dynamo {
namespace {

// Each type is written with its tag; numbers as canonical strings, binaries as base64.
TEST(JsonEncode, EveryTypeExactText) {
  EXPECT_EQ(json::encode(AttributeValue("x")), R"({"S":"x"})");
  EXPECT_EQ(json::encode(AttributeValue(Number::parse("12.50"))), R"({"N":"12.5"})");
  EXPECT_EQ(json::encode(AttributeValue(Number::parse("1e3"))), R"({"N":"1000"})");
  EXPECT_EQ(json::encode(AttributeValue(Binary(std::string("foo")))), R"({"B":"Zm9v"})");
  EXPECT_EQ(json::encode(AttributeValue(false)), R"({"BOOL":false})");
  EXPECT_EQ(json::encode(AttributeValue(Null{})), R"({"NULL":true})");
  EXPECT_EQ(json::encode(AttributeValue(AttributeMap{{"b", 1}, {"a", "x"}})), R"({"M":{"a":{"S":"x"},"b":{"N":"1"}}})");
  EXPECT_EQ(json::encode(AttributeValue(List{1, "x"})), R"({"L":[{"N":"1"},{"S":"x"}]})");
  EXPECT_EQ(json::encode(AttributeValue(StringSet{"b", "a"})), R"({"SS":["a","b"]})");
  EXPECT_EQ(json::encode(AttributeValue(NumberSet{Number(10), Number(-1)})), R"({"NS":["-1","10"]})");
  EXPECT_EQ(json::encode(AttributeValue(BinarySet{Binary{0xff}, Binary{0x00}})), R"({"BS":["AA==","/w=="]})");
  EXPECT_EQ(json::encode(AttributeValue(List{})), R"({"L":[]})");
  EXPECT_EQ(json::encode(AttributeValue(AttributeMap{})), R"({"M":{}})");
}

// Strings are escaped as JSON requires and multi-byte UTF-8 passes through unchanged.
TEST(JsonEncode, EscapesText) {
  EXPECT_EQ(json::encode(AttributeValue("a\"b\\c\n\x01/\xc3\xa9")), "{\"S\":\"a\\\"b\\\\c\\n\\u0001/\xc3\xa9\"}");
  EXPECT_EQ(json::encode(Item{{"we\"ird", 1}}), R"({"we\"ird":{"N":"1"}})");
}

// An item is an object of attribute values, in name order.
TEST(JsonEncode, Item) {
  const Item item{{"views", 12}, {"forum", "C++"}, {"tags", StringSet{"new", "hot"}}};
  EXPECT_EQ(json::encode(item), R"({"forum":{"S":"C++"},"tags":{"SS":["hot","new"]},"views":{"N":"12"}})");
  EXPECT_EQ(json::encode(Item{}), "{}");
  std::string buffer = "prefix";
  json::encode_to(buffer, Item{{"a", true}});
  EXPECT_EQ(buffer, R"(prefix{"a":{"BOOL":true}})");
}

// Text that is not UTF-8 cannot be sent; the error names where it is.
TEST(JsonEncode, RefusesInvalidUtf8) {
  try {
    (void)json::encode(Item{{"tags", List{"ok", "bad\xff"}}});
    ADD_FAILURE();
  } catch (const JsonError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(e.path(), "Item.tags.L[1].S");
    EXPECT_EQ(e.reason(), "string is not valid UTF-8 (invalid UTF-8 at byte 3)");
  }
  EXPECT_THROW((void)json::encode(Item{{"\xc3", 1}}), JsonError);
}

// Values nested deeper than 32 levels cannot be sent.
TEST(JsonEncode, RefusesDeepNesting) {
  AttributeValue value = 1;
  for (int i = 0; i < 32; ++i) value = List{std::move(value)};
  EXPECT_NO_THROW((void)json::encode(value));
  value = List{std::move(value)};
  EXPECT_THROW((void)json::encode(value), JsonError);
}

// Decoding accepts every type, any key order, whitespace, and escapes.
TEST(JsonDecode, EveryType) {
  const auto item = json::decode_item(R"({
    "s": {"S": "caf\u00e9 \ud83d\ude00"}, "n": {"N": "-0012.50"}, "b": {"B": "Zm9v"},
    "t": {"BOOL": true}, "z": {"NULL": true}, "m": {"M": {"x": {"L": []}}},
    "l": {"L": [{"N": "1"}, {"S": ""}]}, "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["1.5", "-2"]},
    "bs": {"BS": ["AQ==", ""]}
  })");
  EXPECT_EQ(item.at("s").as_string(), "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(item.at("n").as_number().to_string(), "-12.5");
  EXPECT_EQ(item.at("b").as_binary().view(), "foo");
  EXPECT_TRUE(item.at("t").as_bool());
  EXPECT_EQ(item.at("z").type(), Type::null);
  EXPECT_TRUE(item.at("m").as_map().at("x").as_list().empty());
  EXPECT_EQ(item.at("l").as_list().size(), 2u);
  EXPECT_EQ(item.at("ss"), AttributeValue(StringSet{"a", "b"}));
  EXPECT_EQ(item.at("ns"), AttributeValue(NumberSet{Number(-2), Number::parse("1.5")}));
  EXPECT_EQ(item.at("bs"), AttributeValue(BinarySet{Binary{}, Binary{1}}));
  EXPECT_EQ(json::decode_value(R"({"S":"x"})"), AttributeValue("x"));
}

// Printing shows DynamoDB JSON (what gtest shows on a failed comparison).
TEST(JsonPrint, StreamsShowJson) {
  std::ostringstream out;
  out << AttributeValue(List{1}) << ' ' << Item{{"a", "b"}};
  EXPECT_EQ(out.str(), R"({"L":[{"N":"1"}]} {"a":{"S":"b"}})");
  std::ostringstream bad;
  bad << AttributeValue("\xff");
  EXPECT_EQ(bad.str().rfind("<unencodable: value.S: ", 0), 0u);
}

}  // namespace
}  // namespace dynamo
