// Answers where the engine once differed from DynamoDB (found by differential testing against
// dynalite and moto, issue 12). Each test names the source of DynamoDB's behaviour: tests of
// projects that run against the service (ScyllaDB Alternator's test/alternator, dynalite's
// and moto's tests) or the API reference.
#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

class EngineDifferential : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)engine.create_table(table_request("Hash"));
    (void)engine.create_table(table_request("Ranged", ScalarAttributeType::n));
    (void)engine.create_table(table_request("Other"));
  }
  bool exists(const std::string& table, Item key) {
    return engine.get_item({.table_name = table, .key = std::move(key), .consistent_read = true}).item.has_value();
  }
  Item get(const std::string& table, Item key) {
    return engine.get_item({.table_name = table, .key = std::move(key), .consistent_read = true}).item.value();
  }
  Engine engine{quiet_options()};
};

constexpr const char* invalid_path = "The document path provided in the update expression is invalid for update";

// ---------------------------------------------------------------- REMOVE of nested paths

// On an existing item, REMOVE of a nested path needs the leaf's parent: a missing parent, or
// one of the wrong type, is a ValidationException (Alternator's
// test_nested_attribute_update_bad_path_dot / _array).
TEST_F(EngineDifferential, RemoveUnderMissingParentIsInvalidPath) {
  put(engine, "Hash", {{"pk", "p"}, {"a", "hello"}, {"b", List{"hi"}}});
  for (const char* expression : {"REMOVE c.d", "REMOVE c[0]", "REMOVE a.c", "REMOVE a[0]", "REMOVE b.c"}) {
    SCOPED_TRACE(expression);
    EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "p"}}, .update_expression = expression}),
                        validation, invalid_path);
  }
  EXPECT_EQ(get("Hash", {{"pk", "p"}}), (Item{{"pk", "p"}, {"a", "hello"}, {"b", List{"hi"}}}));
}

// A missing leaf under an existing parent is simply nothing to remove (Alternator's
// test_nested_attribute_remove_missing_leaf).
TEST_F(EngineDifferential, RemoveOfMissingLeafChangesNothing) {
  const Item item{{"pk", "p"}, {"a", AttributeMap{{"x", 3}}}, {"b", List{"hi"}}};
  put(engine, "Hash", item);
  for (const char* expression : {"REMOVE a.y", "REMOVE b[7]", "REMOVE c"}) {
    (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "p"}}, .update_expression = expression});
  }
  EXPECT_EQ(get("Hash", {{"pk", "p"}}), item);
}

// On an absent item DynamoDB ignores REMOVE x.y and REMOVE x[0] (Alternator's
// test_nested_attribute_remove_from_missing_item) and does not create the item.
TEST_F(EngineDifferential, RemoveNestedOnAbsentItemIsIgnored) {
  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "p"}}, .update_expression = "REMOVE x.y"});
  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "p"}}, .update_expression = "REMOVE x[0]"});
  EXPECT_FALSE(exists("Hash", {{"pk", "p"}}));
}

// ---------------------------------------------------------------- updates that only remove

// An UpdateItem whose actions only remove (REMOVE, DELETE, AttributeUpdates DELETE) does not
// create an absent item; any other update does, even one without actions (Alternator's
// test_update_item_non_existent; API reference, AttributeUpdates: "DELETE - Nothing happens").
TEST_F(EngineDifferential, UpdateThatOnlyRemovesDoesNotCreate) {
  const auto removed = engine.update_item({.table_name = "Hash",
                                           .key = {{"pk", "a"}},
                                           .return_values = ReturnValue::all_new,
                                           .update_expression = "REMOVE v"});
  EXPECT_FALSE(removed.attributes);
  EXPECT_FALSE(exists("Hash", {{"pk", "a"}}));
  (void)engine.update_item({.table_name = "Hash",
                            .key = {{"pk", "a"}},
                            .update_expression = "REMOVE v DELETE s :gone",
                            .expression_attribute_values = ExpressionAttributeValues{{":gone", StringSet{"x"}}}});
  EXPECT_FALSE(exists("Hash", {{"pk", "a"}}));
  (void)engine.update_item({.table_name = "Hash",
                            .key = {{"pk", "a"}},
                            .attribute_updates = AttributeUpdateMap{{"v", {.action = AttributeAction::delete_}}}});
  EXPECT_FALSE(exists("Hash", {{"pk", "a"}}));

  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "b"}}});
  EXPECT_EQ(get("Hash", {{"pk", "b"}}), (Item{{"pk", "b"}}));
  (void)engine.update_item({.table_name = "Hash",
                            .key = {{"pk", "c"}},
                            .update_expression = "SET w = :one REMOVE v",
                            .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}});
  EXPECT_EQ(get("Hash", {{"pk", "c"}}), (Item{{"pk", "c"}, {"w", 1}}));
  // On an existing item a REMOVE-only update applies as usual.
  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "c"}}, .update_expression = "REMOVE w"});
  EXPECT_EQ(get("Hash", {{"pk", "c"}}), (Item{{"pk", "c"}}));
}

// The same rules inside TransactWriteItems: a REMOVE-only Update of an absent item creates
// nothing, and REMOVE under a missing parent of an existing item cancels the transaction
// with a ValidationError reason for that action.
TEST_F(EngineDifferential, TransactionUpdatesFollowUpdateItemsRules) {
  (void)engine.transact_write_items(
      {.transact_items = {{.update = TransactUpdate{.key = {{"pk", "t"}}, .update_expression = "REMOVE v", .table_name = "Hash"}}}});
  EXPECT_FALSE(exists("Hash", {{"pk", "t"}}));
  (void)engine.transact_write_items(
      {.transact_items = {{.update = TransactUpdate{.key = {{"pk", "t"}}, .update_expression = "REMOVE a.b", .table_name = "Hash"}}}});
  EXPECT_FALSE(exists("Hash", {{"pk", "t"}}));

  put(engine, "Hash", {{"pk", "u"}, {"v", 1}});
  try {
    (void)engine.transact_write_items(
        {.transact_items = {{.update = TransactUpdate{.key = {{"pk", "u"}}, .update_expression = "REMOVE a.b", .table_name = "Hash"}},
                            {.put = TransactPut{.item = {{"pk", "w"}}, .table_name = "Hash"}}}});
    ADD_FAILURE() << "REMOVE under a missing parent was accepted";
  } catch (const TransactionCanceled& e) {
    ASSERT_EQ(e.reasons.size(), 2u);
    EXPECT_EQ(e.reasons[0].code, "ValidationError");
    EXPECT_NE(e.reasons[0].message.value_or("").find("The document path provided in the update expression is invalid for update"),
              std::string::npos);
    EXPECT_EQ(e.reasons[1].code, "None");
  }
  EXPECT_FALSE(exists("Hash", {{"pk", "w"}}));
  EXPECT_EQ(get("Hash", {{"pk", "u"}}), (Item{{"pk", "u"}, {"v", 1}}));
}

// ---------------------------------------------------------------- projections

// A projected path that matches nothing inside a map or list leaves the attribute out,
// never an empty container (Alternator's test_projection_expression_path).
TEST_F(EngineDifferential, ProjectionOfMissingNestedPathLeavesAttributeOut) {
  const Item item{{"pk", "p"},
                  {"a", AttributeMap{{"b", List{2, 4, AttributeMap{{"x", "hi"}, {"y", "yo"}}}}, {"c", 5}}},
                  {"b", "hello"}};
  put(engine, "Hash", item);
  const auto project = [&](const char* projection) {
    return engine.get_item({.table_name = "Hash", .key = {{"pk", "p"}}, .projection_expression = projection}).item;
  };
  for (const char* projection : {"x", "a.b[3]", "a.x", "a.x.y", "a.b[3].x", "a.b.x", "a[0]", "a.b[0].x", "a.b[0][0]"}) {
    EXPECT_EQ(project(projection), Item{}) << projection;
  }
  EXPECT_EQ(project("a.x, a.b[0], x, a.b[3].x"), (Item{{"a", AttributeMap{{"b", List{2}}}}}));
  EXPECT_EQ(project("a.b[2].y"), (Item{{"a", AttributeMap{{"b", List{AttributeMap{{"y", "yo"}}}}}}}));

  // An empty map or list projected whole is returned as it is.
  put(engine, "Hash", {{"pk", "e"}, {"m", AttributeMap{}}, {"l", List{}}});
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "e"}}, .projection_expression = "m, l"}).item,
            (Item{{"m", AttributeMap{}}, {"l", List{}}}));
}

// The same projection rule holds for Query, Scan, BatchGetItem and TransactGetItems.
TEST_F(EngineDifferential, ProjectionRuleOnEveryRead) {
  put(engine, "Ranged", {{"pk", "p"}, {"sk", 1}, {"m", AttributeMap{{"b", 1}}}, {"l", List{1}}});
  const Item expected{{"sk", 1}};
  const auto query = engine.query({.table_name = "Ranged",
                                   .projection_expression = "sk, m.x, l[5]",
                                   .key_condition_expression = "pk = :p",
                                   .expression_attribute_values = ExpressionAttributeValues{{":p", "p"}}});
  EXPECT_EQ(query.items, (std::vector<Item>{expected}));
  const auto scan = engine.scan({.table_name = "Ranged", .projection_expression = "sk, m.x, l[5]"});
  EXPECT_EQ(scan.items, (std::vector<Item>{expected}));
  const auto batch = engine.batch_get_item({.request_items = {
      {"Ranged", KeysAndAttributes{.keys = {{{"pk", "p"}, {"sk", 1}}}, .projection_expression = "sk, m.x, l[5]"}}}});
  EXPECT_EQ(batch.responses->at("Ranged"), (std::vector<Item>{expected}));
  const auto transaction = engine.transact_get_items({.transact_items = {
      {.get = TransactGet{.key = {{"pk", "p"}, {"sk", 1}}, .table_name = "Ranged", .projection_expression = "sk, m.x, l[5]"}}}});
  ASSERT_TRUE(transaction.responses);
  EXPECT_EQ(transaction.responses->at(0).item, expected);
}

// ---------------------------------------------------------------- ordering comparisons

// <, <=, >, >= and BETWEEN with an ExpressionAttributeValues operand that is not S, N or B
// are a ValidationException, before any item is read; an item attribute of such a type only
// makes the comparison false (Alternator's test_update_condition_lt/_le/_gt/_ge; the message
// as dynalite's tests give it for functions, with the operator named).
TEST_F(EngineDifferential, OrderingOperandTypeFromValuesIsValidation) {
  put(engine, "Hash", {{"pk", "p"}, {"a", 1}, {"x", List{1, 2, 3}}});
  const auto condition = [&](const char* expression, AttributeValue value) {
    return engine.update_item({.table_name = "Hash",
                               .key = {{"pk", "p"}},
                               .update_expression = "SET z = :one",
                               .condition_expression = expression,
                               .expression_attribute_values =
                                   ExpressionAttributeValues{{":one", 1}, {":v", std::move(value)}}});
  };
  EXPECT_DYNAMO_ERROR(condition("a < :v", List{1, 2}), validation,
                      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                      "function: <, operand type: L");
  EXPECT_DYNAMO_ERROR(condition(":v <= a", AttributeMap{{"k", 1}}), validation,
                      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                      "function: <=, operand type: M");
  EXPECT_DYNAMO_ERROR(condition("a > :v", true), validation,
                      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                      "function: >, operand type: BOOL");
  EXPECT_DYNAMO_ERROR(condition("a >= :v", Null{}), validation,
                      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                      "function: >=, operand type: NULL");
  EXPECT_DYNAMO_ERROR(condition("a BETWEEN :v AND :one", StringSet{"s"}), validation,
                      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                      "function: BETWEEN, operand type: SS");
  // Checked on an absent item too: the check does not depend on the data.
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash",
                                          .key = {{"pk", "absent"}},
                                          .update_expression = "SET z = :one",
                                          .condition_expression = "a < :v",
                                          .expression_attribute_values =
                                              ExpressionAttributeValues{{":one", 1}, {":v", List{}}}}),
                      validation,
                      "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
                      "function: <, operand type: L");
  // The same in a FilterExpression, named as such.
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Hash",
                                   .filter_expression = "a < :v",
                                   .expression_attribute_values = ExpressionAttributeValues{{":v", List{1}}}}),
                      validation,
                      "Invalid FilterExpression: Incorrect operand type for operator or function; operator or "
                      "function: <, operand type: L");
  // A list in the item only fails the comparison.
  EXPECT_THROW(condition("x < :v", 1), ConditionalCheckFailed);
  EXPECT_THROW(condition(":v < x", 1), ConditionalCheckFailed);
  EXPECT_THROW(condition("x BETWEEN :v AND :one", 0), ConditionalCheckFailed);
  // Equality accepts every type.
  (void)condition("x = :v", List{1, 2, 3});
  EXPECT_EQ(get("Hash", {{"pk", "p"}}).at("z"), AttributeValue(1));
}

// ---------------------------------------------------------------- nesting depth

AttributeValue nested_maps(int levels) {
  AttributeValue v = "leaf";
  for (int i = 0; i < levels; ++i) v = AttributeMap{{"n", std::move(v)}};
  return v;
}

constexpr const char* too_deep =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

// Documents nest 32 levels counting the attribute itself: 31 maps holding a scalar are
// accepted, 32 are refused, in items and in UpdateItem's ExpressionAttributeValues
// (measured on the service, eu-west-2, by a suite that runs on AWS).
TEST_F(EngineDifferential, NestingDepthBoundary) {
  put(engine, "Hash", {{"pk", "p"}, {"d", nested_maps(31)}});
  EXPECT_EQ(get("Hash", {{"pk", "p"}}).at("d"), nested_maps(31));
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "q"}, {"d", nested_maps(32)}}}), validation,
                      too_deep);
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash",
                                          .key = {{"pk", "p"}},
                                          .update_expression = "SET e = :deep",
                                          .expression_attribute_values = ExpressionAttributeValues{{":deep", nested_maps(32)}}}),
                      validation, too_deep);
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {
                          {"Hash", {WriteRequest{.put_request = PutRequest{.item = {{"pk", "r"}, {"d", nested_maps(32)}}}}}}}}),
                      validation, too_deep);
  // A condition value 31 deep is accepted and evaluated.
  EXPECT_THROW((void)engine.update_item({.table_name = "Hash",
                                         .key = {{"pk", "p"}},
                                         .update_expression = "SET t = :t",
                                         .condition_expression = "d = :deep",
                                         .expression_attribute_values =
                                             ExpressionAttributeValues{{":t", 1}, {":deep", nested_maps(30)}}}),
               ConditionalCheckFailed);
}

// ---------------------------------------------------------------- messages and order

// CreateTable: a missing TableName is refused first; the same attribute as HASH and RANGE
// with one definition, three key elements and INCLUDE without NonKeyAttributes in DynamoDB's
// words (a test suite run against AWS; dynalite's createTable tests).
TEST_F(EngineDifferential, CreateTableMessages) {
  auto request = table_request("");
  EXPECT_DYNAMO_ERROR(engine.create_table(request), validation,
                      "The parameter 'TableName' is required but was not present in the request");
  request = table_request("twice");
  request.key_schema.push_back({"pk", KeyType::range});
  EXPECT_DYNAMO_ERROR(engine.create_table(request), validation,
                      "Invalid KeySchema: Some index key attribute have no definition");
  request = table_request("three", ScalarAttributeType::s);
  request.attribute_definitions.push_back({"extra", ScalarAttributeType::s});
  request.key_schema.push_back({"extra", KeyType::range});
  EXPECT_DYNAMO_ERROR(engine.create_table(request), validation,
                      "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), "
                      "KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, "
                      "keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length less "
                      "than or equal to 2");
  request = table_request("include");
  request.attribute_definitions.push_back({"g", ScalarAttributeType::s});
  request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{{
      .index_name = "by_g",
      .key_schema = {{"g", KeyType::hash}},
      .projection = {.projection_type = ProjectionType::include},
  }};
  EXPECT_DYNAMO_ERROR(engine.create_table(request), validation,
                      "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is "
                      "not specified");
}

WriteRequest put_request(const std::string& pk) { return WriteRequest{.put_request = PutRequest{.item = {{"pk", pk}}}}; }

// BatchWriteItem: each table's list holds 1 to 25 requests (a constraint on the map's
// values, checked first); more than 25 in all is "Too many items requested" (dynalite's
// batchWriteItem validations, written against the service).
TEST_F(EngineDifferential, BatchWriteLimits) {
  std::vector<WriteRequest> many;
  for (int i = 0; i < 26; ++i) many.push_back(put_request("k" + std::to_string(i)));
  const std::string list_constraint =
      "' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length "
      "less than or equal to 25, Member must have length greater than or equal to 1]";
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Hash", many}}}), validation,
                      "1 validation error detected: Value '{Hash=[...]}" + list_constraint);
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Hash", {put_request("a")}}, {"Other", {}}}}), validation,
                      "1 validation error detected: Value '{Hash=[...], Other=[]}" + list_constraint);
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {}}), validation,
                      "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 1");
  std::vector<WriteRequest> half(many.begin(), many.begin() + 13);
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Hash", half}, {"Other", half}}}), validation,
                      "Too many items requested for the BatchWriteItem call");
  EXPECT_FALSE(exists("Hash", {{"pk", "k0"}}));
}

// BatchGetItem: each table's Keys hold 1 to 100 keys; more than 100 in all is "Too many
// items requested" (dynalite's batchGetItem validations).
TEST_F(EngineDifferential, BatchGetLimits) {
  std::vector<Item> keys;
  for (int i = 0; i < 101; ++i) keys.push_back({{"pk", "k" + std::to_string(i)}});
  EXPECT_DYNAMO_ERROR(engine.batch_get_item({.request_items = {{"Hash", KeysAndAttributes{.keys = keys}}}}), validation,
                      "1 validation error detected: Value '[...]' at 'requestItems.Hash.member.keys' failed to satisfy "
                      "constraint: Member must have length less than or equal to 100");
  const std::vector<Item> sixty(keys.begin(), keys.begin() + 60);
  const std::vector<Item> forty_one(keys.begin() + 60, keys.end());
  EXPECT_DYNAMO_ERROR(engine.batch_get_item({.request_items = {{"Hash", KeysAndAttributes{.keys = sixty}},
                                                               {"Other", KeysAndAttributes{.keys = forty_one}}}}),
                      validation, "Too many items requested for the BatchGetItem call");
}

// Query: Limit 0, and key conditions on attributes outside the key schema (moto's
// key-condition tests, checked against AWS): the missing partition key is named first, then
// a sort key the condition left out; with none left out it is "not supported".
TEST_F(EngineDifferential, QueryMessages) {
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Ranged",
                                    .limit = 0,
                                    .key_condition_expression = "pk = :p",
                                    .expression_attribute_values = ExpressionAttributeValues{{":p", "p"}}}),
                      validation,
                      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                      "have value greater than or equal to 1");
  const auto query = [&](const char* table, const char* condition) {
    return engine.query({.table_name = table,
                         .key_condition_expression = condition,
                         .expression_attribute_values = ExpressionAttributeValues{{":p", "p"}, {":v", 1}}});
  };
  EXPECT_DYNAMO_ERROR(query("Ranged", "wrongName = :p AND sk = :v"), validation,
                      "Query condition missed key schema element: pk");
  EXPECT_DYNAMO_ERROR(query("Ranged", "pk = :p AND wrongName = :v"), validation,
                      "Query condition missed key schema element: sk");
  EXPECT_DYNAMO_ERROR(query("Hash", "pk = :p AND wrongName = :v"), validation, "Query key condition not supported");
  EXPECT_DYNAMO_ERROR(query("Ranged", "pk < :p AND sk = :v"), validation, "Query key condition not supported");
}

// The item operations take a table name or ARN of 1 to 1024 characters with no pattern (API
// reference, the Get shape's TableName); a name no table can have is simply not found.
// CreateTable keeps its 3-255 characters of [a-zA-Z0-9_.-].
TEST_F(EngineDifferential, TableNameRulePerOperation) {
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "ab", .key = {{"pk", "p"}}}), "ResourceNotFoundException",
                      "Requested resource not found");
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "a!", .item = {{"pk", "p"}}}), "ResourceNotFoundException",
                      "Requested resource not found");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = ""}), validation,
                      "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must "
                      "have length greater than or equal to 1");
  const std::string long_name(1025, 'x');
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = long_name}), validation,
                      "1 validation error detected: Value '" + long_name +
                          "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal "
                          "to 1024");
  EXPECT_DYNAMO_ERROR(engine.create_table(table_request("ab")), validation,
                      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 3");
}

// A table's ARN names it in the item operations' TableName; an ARN of another region or
// account, or of something that is not a table, names no table.
TEST_F(EngineDifferential, ItemOperationsTakeATablesArn) {
  const std::string arn = *engine.describe_table({.table_name = "Hash"}).table->table_arn;
  EXPECT_EQ(arn, "arn:aws:dynamodb:us-east-1:000000000000:table/Hash");
  (void)engine.put_item({.table_name = arn, .item = {{"pk", "by-arn"}, {"v", 1}}});
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "by-arn"}}}).item->at("v"), AttributeValue(1));
  EXPECT_EQ(engine.get_item({.table_name = arn, .key = {{"pk", "by-arn"}}}).item->at("v"), AttributeValue(1));
  EXPECT_EQ(engine.query({.table_name = arn, .key_condition_expression = "pk = :p",
                          .expression_attribute_values = ExpressionAttributeValues{{":p", "by-arn"}}})
                .count,
            1);
  for (const std::string& other : {std::string("arn:aws:dynamodb:eu-west-1:000000000000:table/Hash"),
                                   std::string("arn:aws:dynamodb:us-east-1:111111111111:table/Hash"),
                                   arn + "/index/byV"}) {
    EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = other, .key = {{"pk", "by-arn"}}}), "ResourceNotFoundException",
                        "Requested resource not found");
  }
}

// The batch, transaction and control-plane operations take a table's ARN too (the API
// reference: "You can also provide the Amazon Resource Name (ARN) of the table"); batch
// answers are keyed as the request named the table. A name and an ARN of the same table in
// one transaction are one table (locked once).
TEST_F(EngineDifferential, BatchTransactionAndTableOperationsTakeATablesArn) {
  const std::string arn = *engine.describe_table({.table_name = "Hash"}).table->table_arn;
  EXPECT_EQ(*engine.describe_table({.table_name = arn}).table->table_name, "Hash");
  (void)engine.batch_write_item({.request_items = {{arn, {WriteRequest{.put_request = PutRequest{.item = {{"pk", "b1"}}}},
                                                          WriteRequest{.put_request = PutRequest{.item = {{"pk", "b2"}}}}}}}});
  EXPECT_TRUE(exists("Hash", {{"pk", "b1"}}));
  const auto batch = engine.batch_get_item({.request_items = {{arn, KeysAndAttributes{.keys = {{{"pk", "b2"}}}}}}});
  ASSERT_TRUE(batch.responses);
  EXPECT_EQ(batch.responses->at(arn), (std::vector<Item>{{{"pk", "b2"}}}));
  (void)engine.transact_write_items(
      {.transact_items = {{.put = TransactPut{.item = {{"pk", "t1"}}, .table_name = arn}},
                          {.put = TransactPut{.item = {{"pk", "t2"}}, .table_name = "Hash"}}}});
  EXPECT_TRUE(exists("Hash", {{"pk", "t1"}}));
  EXPECT_DYNAMO_ERROR(
      engine.transact_write_items({.transact_items = {{.put = TransactPut{.item = {{"pk", "t3"}}, .table_name = arn}},
                                                      {.put = TransactPut{.item = {{"pk", "t3"}}, .table_name = "Hash"}}}}),
      "ValidationException", "Transaction request cannot include multiple operations on one item");
  const auto got = engine.transact_get_items({.transact_items = {{.get = TransactGet{.key = {{"pk", "t2"}}, .table_name = arn}},
                                                                 {.get = TransactGet{.key = {{"pk", "t1"}}, .table_name = "Hash"}}}});
  ASSERT_TRUE(got.responses);
  EXPECT_EQ(got.responses->at(0).item, (Item{{"pk", "t2"}}));
  EXPECT_EQ(engine.describe_time_to_live({.table_name = arn}).time_to_live_description->time_to_live_status,
            api::TimeToLiveStatus::disabled);
  const std::string foreign = "arn:aws:dynamodb:eu-west-1:000000000000:table/Hash";
  EXPECT_DYNAMO_ERROR(engine.describe_table({.table_name = foreign}), "ResourceNotFoundException",
                      "Requested resource not found: Table: " + foreign + " not found");
  EXPECT_DYNAMO_ERROR(engine.batch_get_item({.request_items = {{foreign, KeysAndAttributes{.keys = {{{"pk", "b2"}}}}}}}),
                      "ResourceNotFoundException", "Requested resource not found");
  EXPECT_DYNAMO_ERROR(engine.delete_table({.table_name = foreign}), "ResourceNotFoundException",
                      "Requested resource not found: Table: " + foreign + " not found");
  (void)engine.delete_table({.table_name = arn});
  EXPECT_DYNAMO_ERROR(engine.describe_table({.table_name = "Hash"}), "ResourceNotFoundException",
                      "Requested resource not found: Table: Hash not found");
}

// PutItem and DeleteItem check ReturnValues before looking the table up: a request that is
// wrong in both ways gets the ReturnValues message (dynalite's putItem validations run
// before the table is read).
TEST_F(EngineDifferential, ReturnValuesBeforeTable) {
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Missing", .item = {{"pk", "p"}}, .return_values = ReturnValue::all_new}),
                      validation, "ReturnValues can only be ALL_OLD or NONE");
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Missing", .key = {{"pk", "p"}}, .return_values = ReturnValue::updated_old}),
                      validation, "ReturnValues can only be ALL_OLD or NONE");
}

// ExpressionAttributeValues without an expression that takes values: DynamoDB names the
// operation's expressions that are missing (dynalite's validateExpressionParams).
TEST_F(EngineDifferential, ValuesWithoutExpression) {
  const ExpressionAttributeValues values{{":v", 1}};
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "p"}}, .expression_attribute_values = values}),
                      validation, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null");
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"pk", "p"}}, .expression_attribute_values = values}),
                      validation, "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null");
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "p"}}, .expression_attribute_values = values}),
                      validation,
                      "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and "
                      "ConditionExpression are null");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Hash", .expression_attribute_values = values}), validation,
                      "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null");
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Hash",
                                    .key_conditions = ConditionMap{{"pk", {.attribute_value_list = AttributeValueList{"p"},
                                                                           .comparison_operator = ComparisonOperator::eq}}},
                                    .expression_attribute_values = values}),
                      validation,
                      "ExpressionAttributeValues can only be specified when using expressions: FilterExpression and "
                      "KeyConditionExpression are null");
}

}  // namespace
}  // namespace dynamo::engine::test
