// DynamoDB JSON decoding of invalid input: a table of documents with the error each must
// produce (code, path, reason). None may crash or be accepted.
#include <gtest/gtest.h>

#include "dynamo/codec/json.hpp"

namespace dynamo {
namespace {

struct InvalidCase {
  const char* json;
  const char* code;
  const char* path;
  const char* reason;
};

const std::string not_a_value_object = "expected an attribute value object such as {\"S\": \"text\"}, found ";

void PrintTo(const InvalidCase& c, std::ostream* out) { *out << c.json; }

class JsonInvalid : public ::testing::TestWithParam<InvalidCase> {};

// Each invalid item is rejected with the expected code, location and reason.
TEST_P(JsonInvalid, RejectedWithPath) {
  const auto& c = GetParam();
  try {
    const Item item = json::decode_item(c.json);
    ADD_FAILURE() << "accepted: " << c.json;
  } catch (const JsonError& e) {
    EXPECT_EQ(e.code(), c.code) << c.json;
    EXPECT_EQ(e.path(), c.path) << c.json;
    EXPECT_EQ(e.reason(), c.reason) << c.json;
    EXPECT_EQ(std::string(e.what()), std::string(c.path) + ": " + c.reason);
  }
}

const std::string empty_value = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const std::string two_tags =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";

INSTANTIATE_TEST_SUITE_P(
    Table, JsonInvalid,
    ::testing::Values(
        // The example from the issue: a bad number inside a number set.
        InvalidCase{R"({"tags": {"NS": ["1", "2", "1e"]}})", "ValidationException", "Item.tags.NS[2]",
                    "\"1e\" is not a number"},
        InvalidCase{R"({"a": {"N": "1e126"}})", "ValidationException", "Item.a.N",
                    "\"1e126\" is out of range: magnitude larger than 9.9999999999999999999999999999999999999E+125"},
        InvalidCase{R"({"a": {"N": "1234567890123456789012345678901234567890"}})", "ValidationException", "Item.a.N",
                    "\"1234567890123456789012345678901234567890\" is out of range: more than 38 significant digits"},
        InvalidCase{R"({"a": {"N": 5}})", "SerializationException", "Item.a.N",
                    "expected a number in a string, found a JSON number"},
        InvalidCase{R"({"a": {"X": "1"}})", "SerializationException", "Item.a",
                    "unknown type tag \"X\" (expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)"},
        InvalidCase{R"({"a": {"s": "1"}})", "SerializationException", "Item.a",
                    "unknown type tag \"s\" (expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)"},
        InvalidCase{R"({"a": {}})", "ValidationException", "Item.a", empty_value.c_str()},
        InvalidCase{R"({"a": {"S": "x", "N": "1"}})", "ValidationException", "Item.a", two_tags.c_str()},
        InvalidCase{R"({"a": {"S": "x", "S": "y"}})", "ValidationException", "Item.a", two_tags.c_str()},
        InvalidCase{R"({"a": "x"})", "SerializationException", "Item.a", "expected an attribute value object such as {\"S\": \"text\"}, found a string"},
        InvalidCase{R"({"a": [1]})", "SerializationException", "Item.a", "expected an attribute value object such as {\"S\": \"text\"}, found an array"},
        InvalidCase{R"([])", "SerializationException", "Item", "expected an object of attribute values, found an array"},
        InvalidCase{R"({"a": {"S": 1}})", "SerializationException", "Item.a.S", "expected a string, found a JSON number"},
        InvalidCase{R"({"a": {"S": null}})", "SerializationException", "Item.a.S", "expected a string, found null"},
        InvalidCase{R"({"a": {"B": "Zm9"}})", "ValidationException", "Item.a.B",
                    "invalid base64 (length is not a multiple of 4 at offset 3)"},
        InvalidCase{R"({"a": {"B": "Zm9*"}})", "ValidationException", "Item.a.B", "invalid base64 (invalid character at offset 3)"},
        InvalidCase{R"({"a": {"BS": ["AA==", "A"]}})", "ValidationException", "Item.a.BS[1]",
                    "invalid base64 (length is not a multiple of 4 at offset 1)"},
        InvalidCase{R"({"a": {"BOOL": "true"}})", "SerializationException", "Item.a.BOOL", "expected true or false, found a string"},
        InvalidCase{R"({"a": {"NULL": false}})", "ValidationException", "Item.a.NULL",
                    "Null attribute value types must have the value of true"},
        InvalidCase{R"({"a": {"NULL": 1}})", "SerializationException", "Item.a.NULL", "expected true, found a JSON number"},
        InvalidCase{R"({"a": {"SS": []}})", "ValidationException", "Item.a.SS",
                    "an empty string set (SS) is invalid: DynamoDB sets may not be empty"},
        InvalidCase{R"({"a": {"NS": []}})", "ValidationException", "Item.a.NS",
                    "an empty number set (NS) is invalid: DynamoDB sets may not be empty"},
        InvalidCase{R"({"a": {"BS": []}})", "ValidationException", "Item.a.BS",
                    "an empty binary set (BS) is invalid: DynamoDB sets may not be empty"},
        InvalidCase{R"({"a": {"SS": ["x", "y", "x"]}})", "ValidationException", "Item.a.SS[2]",
                    "duplicate element in string set (SS): sets may not hold the same value twice"},
        // 1.0 and 1 are the same number, so this set has a duplicate.
        InvalidCase{R"({"a": {"NS": ["1", "2", "1.0"]}})", "ValidationException", "Item.a.NS[2]",
                    "duplicate element in number set (NS): sets may not hold the same value twice"},
        InvalidCase{R"({"a": {"BS": ["AQ==", "AQ=="]}})", "ValidationException", "Item.a.BS[1]",
                    "duplicate element in binary set (BS): sets may not hold the same value twice"},
        InvalidCase{R"({"a": {"SS": ["x", 1]}})", "SerializationException", "Item.a.SS[1]", "expected a string, found a JSON number"},
        InvalidCase{R"({"a": {"SS": "x"}})", "SerializationException", "Item.a.SS", "expected an array of strings, found a string"},
        InvalidCase{R"({"a": {"L": {}}})", "SerializationException", "Item.a.L",
                    "expected an array of attribute values, found an object"},
        InvalidCase{R"({"a": {"M": []}})", "SerializationException", "Item.a.M", "expected an object of attribute values, found an array"},
        InvalidCase{R"({"a": {"M": {"b": {"L": [{"N": "1"}, {"N": "x"}]}}}})", "ValidationException", "Item.a.M.b.L[1].N",
                    "\"x\" is not a number"},
        InvalidCase{R"({"a": {"S": "1"}, "a": {"S": "2"}})", "ValidationException", "Item",
                    "attribute name \"a\" appears more than once"},
        InvalidCase{R"({"a": {"M": {"k": {"S": "1"}, "k": {"N": "2"}}}})", "ValidationException", "Item.a.M",
                    "attribute name \"k\" appears more than once"},
        InvalidCase{R"({"a": {"S": "x"})", "SerializationException", "Item",
                    "malformed JSON: The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc."},
        InvalidCase{"", "SerializationException", "Item", "malformed JSON: Empty: no JSON found"},
        InvalidCase{"{\"a\": {\"S\": \"\xff\"}}", "SerializationException", "Item", "invalid UTF-8 at byte 13"}));

// A lone UTF-16 surrogate escape is not a character: refused rather than turned into
// invalid UTF-8.
TEST(JsonInvalidText, LoneSurrogateEscape) {
  EXPECT_THROW((void)json::decode_item(R"({"a": {"S": "\ud800"}})"), JsonError);
  EXPECT_THROW((void)json::decode_item(R"({"a": {"S": "\udc00x"}})"), JsonError);
}

std::string nested_lists(int depth) {
  std::string json = R"({"a": )";
  for (int i = 0; i < depth; ++i) json += R"({"L": [)";
  json += R"({"N": "1"})";
  for (int i = 0; i < depth; ++i) json += "]}";
  return json + "}";
}

// 32 levels of lists and maps are accepted; the 33rd is refused with DynamoDB's limit.
TEST(JsonInvalidText, NestingLimit) {
  EXPECT_NO_THROW((void)json::decode_item(nested_lists(32)));
  try {
    (void)json::decode_item(nested_lists(33));
    ADD_FAILURE();
  } catch (const JsonError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(e.reason(), "nesting of maps and lists exceeds the limit of 32 levels");
    EXPECT_EQ(e.path().substr(0, 13), "Item.a.L[0].L");
  }
  // Far deeper JSON is refused by the parser without exhausting the stack.
  EXPECT_THROW((void)json::decode_item(nested_lists(100000)), JsonError);
}

}  // namespace
}  // namespace dynamo
