// Strict decoding of requests: wrong JSON types are SerializationExceptions located by
// path; bad enum values and missing required members are ValidationExceptions worded as the
// service words them; bad attribute values carry the value codec's located message, except
// those the service words itself (NULL false, empty sets, duplicate set members).
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "dynamo/api.hpp"

namespace dynamo::api {
namespace {

struct BadBody {
  const char* what;
  std::function<void(std::string_view)> decode;
  const char* body;
  const char* code;
  const char* message;
};

template <class T>
std::function<void(std::string_view)> decoder() {
  return [](std::string_view body) { (void)decode<T>(body); };
}

class StrictDecode : public ::testing::TestWithParam<BadBody> {};

// Each bad body is rejected with the expected code and exact message.
TEST_P(StrictDecode, RejectsWithServiceCodeAndMessage) {
  const BadBody& bad = GetParam();
  try {
    bad.decode(bad.body);
    FAIL() << bad.what << ": decoded without error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), bad.code) << bad.what;
    EXPECT_EQ(std::string(e.message()), bad.message) << bad.what;
  }
}

const BadBody bad_bodies[] = {
    // --- wrong JSON types: SerializationException, located
    {"not JSON", decoder<GetItemRequest>(), R"({"TableName":)", "SerializationException",
     "body: malformed JSON: The JSON document has an improper structure: missing or superfluous commas, braces, "
     "missing keys, etc."},
    {"not an object", decoder<GetItemRequest>(), R"([1])", "SerializationException",
     "body: expected a JSON object, found an array"},
    {"TableName a number", decoder<GetItemRequest>(), R"({"TableName":5,"Key":{}})", "SerializationException",
     "TableName: expected a string, found a number"},
    {"ConsistentRead a string", decoder<GetItemRequest>(), R"({"TableName":"T","Key":{},"ConsistentRead":"yes"})",
     "SerializationException", "ConsistentRead: expected a boolean, found a string"},
    {"Limit a string", decoder<QueryRequest>(), R"({"TableName":"T","Limit":"10"})", "SerializationException",
     "Limit: expected an integer, found a string"},
    {"Limit too large", decoder<QueryRequest>(), R"({"TableName":"T","Limit":4294967296})", "SerializationException",
     "Limit: 4294967296 is out of range for an integer"},
    {"Item an array", decoder<PutItemRequest>(), R"({"TableName":"T","Item":[]})", "SerializationException",
     "Item: expected an object of attribute values, found an array"},
    {"AttributesToGet element a number", decoder<GetItemRequest>(),
     R"({"TableName":"T","Key":{},"AttributesToGet":["a",1]})", "SerializationException",
     "AttributesToGet[1]: expected a string, found a number"},
    {"names map value an object", decoder<GetItemRequest>(),
     R"({"TableName":"T","Key":{},"ExpressionAttributeNames":{"#a":{}}})", "SerializationException",
     "ExpressionAttributeNames.#a: expected a string, found an object"},
    {"nested struct wrong type", decoder<TransactWriteItemsRequest>(),
     R"({"TransactItems":[{"Put":{"Item":{},"TableName":"T"}},{"Update":[]}]})", "SerializationException",
     "TransactItems[1].Update: expected an object, found an array"},
    {"legacy Expected not an object", decoder<PutItemRequest>(), R"({"TableName":"T","Item":{},"Expected":[]})",
     "SerializationException", "Expected: expected an object, found an array"},
    {"unknown type tag", decoder<PutItemRequest>(), R"({"TableName":"T","Item":{"a":{"X":"1"}}})",
     "SerializationException", "Item.a: unknown type tag \"X\" (expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)"},

    // --- bad attribute values: located through the value codec
    {"bad number in Item", decoder<PutItemRequest>(), R"({"TableName":"T","Item":{"n":{"N":"1e"}}})",
     "ValidationException", "Item.n.N: \"1e\" is not a number"},
    {"empty set in ExpressionAttributeValues", decoder<UpdateItemRequest>(),
     R"({"TableName":"T","Key":{"k":{"S":"x"}},"ExpressionAttributeValues":{":s":{"SS":[]}}})", "ValidationException",
     "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  "
     "may not be empty for key :s"},
    // Values the service refuses in its own words (dynalite's tests, written against it).
    {"NULL false in Item", decoder<PutItemRequest>(), R"({"TableName":"T","Item":{"z":{"NULL":false}}})",
     "ValidationException",
     "One or more parameter values were invalid: Null attribute value types must have the value of true"},
    {"empty number set in Key", decoder<GetItemRequest>(), R"({"TableName":"T","Key":{"k":{"NS":[]}}})",
     "ValidationException", "One or more parameter values were invalid: An number set  may not be empty"},
    {"empty binary set deep in a map", decoder<PutItemRequest>(),
     R"({"TableName":"T","Item":{"m":{"M":{"x":{"L":[{"BS":[]}]}}}}})", "ValidationException",
     "One or more parameter values were invalid: Binary sets should not be empty"},
    {"duplicate strings in a set", decoder<PutItemRequest>(), R"({"TableName":"T","Item":{"s":{"SS":["a","a"]}}})",
     "ValidationException", "One or more parameter values were invalid: Input collection [a, a] contains duplicates."},
    {"duplicate numbers in a set", decoder<PutItemRequest>(), R"({"TableName":"T","Item":{"s":{"NS":["1","1.0"]}}})",
     "ValidationException", "Input collection contains duplicates"},
    {"duplicate binaries in a set", decoder<PutItemRequest>(),
     R"({"TableName":"T","Item":{"s":{"BS":["Yg==","Yg=="]}}})", "ValidationException",
     "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."},
    {"bad number in ExclusiveStartKey", decoder<ScanRequest>(),
     R"({"TableName":"T","ExclusiveStartKey":{"id":{"N":"abc"}}})", "ValidationException",
     "ExclusiveStartKey.id.N: \"abc\" is not a number"},
    {"bad value deep in a batch", decoder<BatchWriteItemRequest>(),
     R"({"RequestItems":{"Thread":[{"PutRequest":{"Item":{"a":{"S":"x"}}}},{"DeleteRequest":{"Key":{"k":{"N":"x"}}}}]}})",
     "ValidationException", "RequestItems.Thread[1].DeleteRequest.Key.k.N: \"x\" is not a number"},
    {"two type tags", decoder<GetItemRequest>(), R"({"TableName":"T","Key":{"k":{"S":"x","N":"1"}}})",
     "ValidationException",
     "Key.k: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
     "datatypes"},

    // --- constraint violations: ValidationException in the service's words
    {"bad ReturnValues", decoder<UpdateItemRequest>(), R"({"TableName":"T","Key":{},"ReturnValues":"X"})",
     "ValidationException",
     "1 validation error detected: Value 'X' at 'returnValues' failed to satisfy constraint: Member must satisfy "
     "enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"},
    {"bad Select and ReturnConsumedCapacity", decoder<ScanRequest>(),
     R"({"TableName":"T","Select":"ALL","ReturnConsumedCapacity":"hi"})", "ValidationException",
     "2 validation errors detected: Value 'ALL' at 'select' failed to satisfy constraint: Member must satisfy enum "
     "value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; Value 'hi' at "
     "'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, "
     "NONE]"},
    {"lower-case enum", decoder<GetItemRequest>(), R"({"TableName":"T","Key":{},"ReturnConsumedCapacity":"total"})",
     "ValidationException",
     "1 validation error detected: Value 'total' at 'returnConsumedCapacity' failed to satisfy constraint: Member "
     "must satisfy enum value set: [INDEXES, TOTAL, NONE]"},
    {"missing TableName", decoder<DescribeTableRequest>(), R"({})", "ValidationException",
     "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
    {"null TableName", decoder<DeleteTableRequest>(), R"({"TableName":null})", "ValidationException",
     "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
    {"nested enum in a list", decoder<TransactWriteItemsRequest>(),
     R"({"TransactItems":[{"Put":{"Item":{},"TableName":"T"}},{"Put":{"Item":{},"TableName":"T","ReturnValuesOnConditionCheckFailure":"ALL_NEW"}}]})",
     "ValidationException",
     "1 validation error detected: Value 'ALL_NEW' at 'transactItems.2.member.put.returnValuesOnConditionCheckFailure' "
     "failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]"},
    {"key schema element missing its type", decoder<CreateTableRequest>(),
     R"({"TableName":"T","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"Q"}],"KeySchema":[{"AttributeName":"id"}]})",
     "ValidationException",
     "2 validation errors detected: Value 'Q' at 'attributeDefinitions.1.member.attributeType' failed to satisfy "
     "constraint: Member must satisfy enum value set: [B, N, S]; Value null at 'keySchema.1.member.keyType' failed "
     "to satisfy constraint: Member must not be null"},
    {"batch get without Keys", decoder<BatchGetItemRequest>(), R"({"RequestItems":{"Forum":{"ConsistentRead":true}}})",
     "ValidationException",
     "1 validation error detected: Value null at 'requestItems.Forum.member.keys' failed to satisfy constraint: "
     "Member must not be null"},
};

INSTANTIATE_TEST_SUITE_P(Api, StrictDecode, ::testing::ValuesIn(bad_bodies));

// A serialization problem wins over constraint violations seen before it.
TEST(StrictDecodeOrder, SerializationBeforeValidation) {
  try {
    (void)decode<ScanRequest>(R"({"TableName":"T","Select":"bad","Limit":"x"})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "SerializationException");
  }
}

// Located errors are JsonErrors whose path names the spot.
TEST(StrictDecodeOrder, AttributeValueErrorsCarryTheirPath) {
  try {
    (void)decode<TransactWriteItemsRequest>(
        R"({"TransactItems":[{"ConditionCheck":{"Key":{"k":{"B":"!!"}},"TableName":"T","ConditionExpression":"c"}}]})");
    FAIL();
  } catch (const JsonError& e) {
    EXPECT_EQ(e.path(), "TransactItems[0].ConditionCheck.Key.k.B");
  }
}

// Responses are not held to request constraints: a missing "required" member is fine.
TEST(StrictDecodeOrder, ResponsesAreLenientAboutRequiredMembers) {
  const auto described = decode<DescribeTableResponse>(R"({"Table":{"KeySchema":[{"KeyType":"HASH"}]}})");
  ASSERT_TRUE(described.table);
  EXPECT_EQ(described.table->key_schema->at(0).attribute_name, "");
}

// Encoding refuses what it cannot send: RawJson that is not a JSON object, non-finite numbers.
TEST(StrictEncode, RejectsUnsendableValues) {
  // (Built outside the macros: GCC 12 with ASan misreports the temporaries as uninitialized.)
  UpdateTableRequest bad_raw;
  bad_raw.table_name = "T";
  bad_raw.replica_updates = RawJson{"{oops"};
  GetItemResponse infinite;
  infinite.consumed_capacity.emplace().capacity_units = std::numeric_limits<double>::infinity();
  GetItemRequest bad_utf8;
  bad_utf8.table_name = "\xff";
  EXPECT_THROW((void)encode(bad_raw), JsonError);
  EXPECT_THROW((void)encode(infinite), JsonError);
  EXPECT_THROW((void)encode(bad_utf8), JsonError);
}

}  // namespace
}  // namespace dynamo::api
