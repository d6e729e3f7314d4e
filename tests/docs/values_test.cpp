// docs/values.md's code, compiled and run. ValuesPage.PageShowsOnlyCodeFromHere checks that
// every C++ block of the page appears below, so a snippet cannot change in the page without
// this file changing too.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include <dynamo/codec/json.hpp>
#include <dynamo/value.hpp>

#include "docs/snippets.hpp"

namespace {

// "DynamoDB JSON"
TEST(ValuesPage, DynamoDbJson) {
  const dynamo::Item item{{"name", "x"}, {"views", 12}, {"tags", dynamo::StringSet{"hot", "new"}}};

  std::string text = dynamo::json::encode(item);           // {"name":{"S":"x"},...}
  dynamo::Item back = dynamo::json::decode_item(text);
  dynamo::AttributeValue v = dynamo::json::decode_value(R"({"N":"1.5"})");

  EXPECT_EQ(text.substr(0, 18), R"({"name":{"S":"x"},)");
  EXPECT_EQ(back, item);
  EXPECT_EQ(v.as_number(), dynamo::Number::parse("1.5"));
}

// The page's table of decoding errors: code and message of each row.
TEST(ValuesPage, DecodingErrorsTable) {
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> rows = {
      {R"({"tags":{"NS":["1","2","1e"]}})", {"ValidationException", R"(Item.tags.NS[2]: "1e" is not a number)"}},
      {R"({"a":{}})", {"ValidationException", "Item.a: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"}},
      {R"({"a":{"S":"x","N":"1"}})", {"ValidationException", "Item.a: Supplied AttributeValue has more than one datatypes set"}},
      {R"({"a":{"X":"1"}})", {"SerializationException", R"(Item.a: unknown type tag "X" (expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS))"}},
      {R"({"a":{"N":5}})", {"SerializationException", "Item.a.N: expected a number in a string, found a JSON number"}},
      {R"({"a":{"B":"Zm9"}})", {"ValidationException", "Item.a.B: invalid base64 (length is not a multiple of 4 at offset 3)"}},
      {R"({"a":{"SS":[]}})", {"ValidationException", "Item.a.SS: an empty string set (SS) is invalid: DynamoDB sets may not be empty"}},
      {R"({"a":{"NS":["1","1.0"]}})", {"ValidationException", "Item.a.NS[1]: duplicate element in number set (NS): "}},
      {R"({"a":{"NULL":false}})", {"ValidationException", "Item.a.NULL: Null attribute value types must have the value of true"}},
  };
  for (const auto& [input, expected] : rows) {
    try {
      (void)dynamo::json::decode_item(input);
      ADD_FAILURE() << input << " was accepted";
    } catch (const dynamo::JsonError& e) {
      EXPECT_EQ(e.code(), expected.first) << input;
      EXPECT_EQ(std::string(e.what()).substr(0, expected.second.size()), expected.second) << input;
    }
  }
}

// Every ```cpp block of docs/values.md is in this file.
TEST(ValuesPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/values.md", DYNAMO_SOURCE_DIR "/tests/docs/values_test.cpp"), "");
}

}  // namespace
