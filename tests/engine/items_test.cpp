// GetItem, PutItem, UpdateItem, DeleteItem: conditions, ReturnValues, key and item validation.
#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

class EngineItems : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
    (void)engine.create_table(table_request("Hash"));
  }
  Engine engine{quiet_options()};
};

// Put then Get returns the item; Get of an absent key returns no Item.
TEST_F(EngineItems, PutGet) {
  put(engine, "Tbl", {{"pk", "a"}, {"sk", 1}, {"v", "x"}});
  auto got = engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}, {"sk", 1}}});
  EXPECT_EQ(got.item, (Item{{"pk", "a"}, {"sk", 1}, {"v", "x"}}));
  EXPECT_FALSE(engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}, {"sk", 2}}}).item);
}

// ProjectionExpression and AttributesToGet select attributes; unused names are rejected.
TEST_F(EngineItems, GetProjection) {
  put(engine, "Tbl", {{"pk", "a"}, {"sk", 1}, {"v", "x"}, {"m", AttributeMap{{"a", 1}, {"b", 2}}}});
  auto got = engine.get_item({.table_name = "Tbl",
                              .key = {{"pk", "a"}, {"sk", 1}},
                              .projection_expression = "#v, m.b",
                              .expression_attribute_names = ExpressionAttributeNames{{"#v", "v"}}});
  EXPECT_EQ(got.item, (Item{{"v", "x"}, {"m", AttributeMap{{"b", 2}}}}));
  got = engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}, {"sk", 1}},
                         .attributes_to_get = std::vector<std::string>{"v"}});
  EXPECT_EQ(got.item, (Item{{"v", "x"}}));
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Tbl",
                                       .key = {{"pk", "a"}, {"sk", 1}},
                                       .projection_expression = "v",
                                       .expression_attribute_names = ExpressionAttributeNames{{"#v", "v"}}}),
                      validation, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#v}");
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Tbl",
                                       .key = {{"pk", "a"}, {"sk", 1}},
                                       .expression_attribute_names = ExpressionAttributeNames{{"#v", "v"}}}),
                      validation, "ExpressionAttributeNames can only be specified when using expressions");
}

// Keys must match the schema exactly: names, count and types.
TEST_F(EngineItems, KeyValidation) {
  constexpr const char* mismatch = "The provided key element does not match the schema";
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}}}), validation, mismatch);
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}, {"sk", "1"}}}), validation, mismatch);
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}, {"sk", 1}, {"x", 1}}}), validation, mismatch);
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"other", "a"}}}), validation, mismatch);
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Hash", .key = {{"pk", ""}}}), validation,
                      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                      "contain an empty string value. Key: pk");
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Nope", .key = {{"pk", "a"}}}), "ResourceNotFoundException",
                      "Requested resource not found");
}

// PutItem checks key presence, key types, empty keys, key sizes and the 400 KB item size.
TEST_F(EngineItems, ItemValidation) {
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Tbl", .item = {{"pk", "a"}}}), validation,
                      "One or more parameter values were invalid: Missing the key sk in the item");
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Tbl", .item = {{"pk", 1}, {"sk", 1}}}), validation,
                      "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", ""}}}), validation,
                      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                      "contain an empty string value. Key: pk");
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", std::string(2049, 'k')}}}), validation,
                      "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit "
                      "of2048 bytes");
  put(engine, "Hash", {{"pk", std::string(2048, 'k')}});
  (void)engine.create_table(table_request("Srt", ScalarAttributeType::s));
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Srt", .item = {{"pk", "a"}, {"sk", std::string(1025, 's')}}}),
                      validation,
                      "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the "
                      "size limit of 1024 bytes");
  // 400 KB counts names and values: "pk" + "a" + "big" + value.
  const std::size_t fits = max_item_size - 2 - 1 - 3;
  put(engine, "Hash", {{"pk", "a"}, {"big", std::string(fits, 'x')}});
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}, {"big", std::string(fits + 1, 'x')}}}),
                      validation, "Item size has exceeded the maximum allowed size");
  // Non-key strings may be empty.
  put(engine, "Hash", {{"pk", "e"}, {"s", ""}});
}

// Documents nest 32 levels, the attribute itself being level 1: 31 levels of lists holding
// a scalar are accepted, 32 are refused (DynamoDB's boundary, measured on the service).
TEST_F(EngineItems, NestingDepth) {
  AttributeValue deep = List{1};
  for (int i = 1; i < 31; ++i) deep = List{deep};
  put(engine, "Hash", {{"pk", "a"}, {"d", deep}});
  AttributeValue deeper = List{deep};
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}, {"d", deeper}}}), validation,
                      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
                      "beyond supported limit");
}

// Conditional puts: attribute_not_exists guards creation; failure carries ALL_OLD when asked.
TEST_F(EngineItems, ConditionalPut) {
  PutItemRequest create{.table_name = "Hash", .item = {{"pk", "a"}, {"v", 1}},
                        .condition_expression = "attribute_not_exists(pk)"};
  (void)engine.put_item(create);
  EXPECT_DYNAMO_ERROR(engine.put_item(create), "ConditionalCheckFailedException", "The conditional request failed");
  create.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old;
  try {
    (void)engine.put_item(create);
    ADD_FAILURE();
  } catch (const ConditionalCheckFailed& e) {
    EXPECT_EQ(e.item, (Item{{"pk", "a"}, {"v", 1}}));
  }
  create.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::none;
  try {
    (void)engine.put_item(create);
    ADD_FAILURE();
  } catch (const ConditionalCheckFailed& e) {
    EXPECT_FALSE(e.item);
  }
}

// A request given up to put_item or batch_write_item has its items moved into the table:
// stored, checked and answered as a copied one would be, and taken from the request.
TEST_F(EngineItems, RequestsGivenUpHaveTheirItemsMovedIn) {
  const std::string text(1000, 'x');  // long enough to live in a block of its own
  PutItemRequest put{.table_name = "Hash", .item = {{"pk", "a"}, {"text", text}}};
  (void)engine.put_item(std::move(put));
  EXPECT_TRUE(put.item.empty());  // NOLINT(bugprone-use-after-move): moved, not copied
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item, (Item{{"pk", "a"}, {"text", text}}));

  PutItemRequest refused{.table_name = "Hash", .item = {{"pk", "a"}, {"text", "other"}},
                         .condition_expression = "attribute_not_exists(pk)",
                         .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old};
  try {
    (void)engine.put_item(std::move(refused));
    ADD_FAILURE() << "the condition should have failed";
  } catch (const ConditionalCheckFailed& e) {
    EXPECT_EQ(e.item, (Item{{"pk", "a"}, {"text", text}}));
  }
  PutItemRequest replacing{.table_name = "Hash", .item = {{"pk", "a"}, {"v", 2}}, .return_values = ReturnValue::all_old};
  EXPECT_EQ(engine.put_item(std::move(replacing)).attributes, (Item{{"pk", "a"}, {"text", text}}));

  BatchWriteItemRequest batch{.request_items = {{"Hash",
                                                 {WriteRequest{.put_request = PutRequest{.item = {{"pk", "b"}, {"text", text}}}},
                                                  WriteRequest{.delete_request = DeleteRequest{.key = {{"pk", "a"}}}}}}}};
  (void)engine.batch_write_item(std::move(batch));
  EXPECT_TRUE(batch.request_items.at("Hash")[0].put_request->item.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "b"}}}).item, (Item{{"pk", "b"}, {"text", text}}));
  EXPECT_FALSE(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item);

  // A batch refused as a whole stores none of its items.
  BatchWriteItemRequest duplicates{.request_items = {{"Hash",
                                                      {WriteRequest{.put_request = PutRequest{.item = {{"pk", "c"}}}},
                                                       WriteRequest{.put_request = PutRequest{.item = {{"pk", "c"}}}}}}}};
  EXPECT_DYNAMO_ERROR(engine.batch_write_item(std::move(duplicates)), validation,
                      "Provided list of item keys contains duplicates");
  EXPECT_FALSE(engine.get_item({.table_name = "Hash", .key = {{"pk", "c"}}}).item);
}

// PutItem and DeleteItem return ALL_OLD and reject the UPDATED_* values.
TEST_F(EngineItems, PutDeleteReturnValues) {
  auto first = engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}, {"v", 1}}, .return_values = ReturnValue::all_old});
  EXPECT_FALSE(first.attributes);
  auto second = engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}, {"v", 2}}, .return_values = ReturnValue::all_old});
  EXPECT_EQ(second.attributes, (Item{{"pk", "a"}, {"v", 1}}));
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}}, .return_values = ReturnValue::all_new}),
                      validation, "ReturnValues can only be ALL_OLD or NONE");
  auto deleted = engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}}, .return_values = ReturnValue::all_old});
  EXPECT_EQ(deleted.attributes, (Item{{"pk", "a"}, {"v", 2}}));
  // Deleting an absent item succeeds.
  EXPECT_FALSE(engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}}, .return_values = ReturnValue::all_old}).attributes);
}

// Conditional delete fails on an absent item when the condition needs it.
TEST_F(EngineItems, ConditionalDelete) {
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}}, .condition_expression = "attribute_exists(pk)"}),
                      "ConditionalCheckFailedException", "The conditional request failed");
  put(engine, "Hash", {{"pk", "a"}, {"v", 5}});
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}}, .condition_expression = "v > :x",
                                          .expression_attribute_values = ExpressionAttributeValues{{":x", 5}}}),
                      "ConditionalCheckFailedException", "The conditional request failed");
  (void)engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}}, .condition_expression = "v >= :x",
                            .expression_attribute_values = ExpressionAttributeValues{{":x", 5}}});
  EXPECT_FALSE(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item);
}

// UpdateItem is an upsert and every ReturnValues option returns what DynamoDB returns.
TEST_F(EngineItems, UpdateReturnValues) {
  UpdateItemRequest add{.table_name = "Hash", .key = {{"pk", "a"}},
                        .update_expression = "SET #c = if_not_exists(#c, :zero) + :one, tag = :t",
                        .expression_attribute_names = ExpressionAttributeNames{{"#c", "count"}},
                        .expression_attribute_values = ExpressionAttributeValues{{":zero", 0}, {":one", 1}, {":t", "x"}}};
  add.return_values = ReturnValue::all_new;
  EXPECT_EQ(engine.update_item(add).attributes, (Item{{"pk", "a"}, {"count", 1}, {"tag", "x"}}));
  add.return_values = ReturnValue::updated_old;
  EXPECT_EQ(engine.update_item(add).attributes, (Item{{"count", 1}, {"tag", "x"}}));
  add.return_values = ReturnValue::updated_new;
  EXPECT_EQ(engine.update_item(add).attributes, (Item{{"count", 3}, {"tag", "x"}}));
  add.return_values = ReturnValue::all_old;
  EXPECT_EQ(engine.update_item(add).attributes, (Item{{"pk", "a"}, {"count", 3}, {"tag", "x"}}));
  add.return_values = ReturnValue::none;
  EXPECT_FALSE(engine.update_item(add).attributes);
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item->at("count"), AttributeValue(5));
  // UPDATED_OLD of an attribute that did not exist returns nothing.
  auto fresh = engine.update_item({.table_name = "Hash", .key = {{"pk", "b"}}, .return_values = ReturnValue::updated_old,
                                   .update_expression = "SET v = :v",
                                   .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}});
  EXPECT_FALSE(fresh.attributes);
  // Without an UpdateExpression, UpdateItem creates the item from its key.
  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "c"}}});
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "c"}}}).item, (Item{{"pk", "c"}}));
}

// UpdateItem refuses key attributes, unused placeholders, and failing conditions (leaving the item).
TEST_F(EngineItems, UpdateRules) {
  put(engine, "Hash", {{"pk", "a"}, {"v", 1}});
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}}, .update_expression = "SET pk = :v",
                                          .expression_attribute_values = ExpressionAttributeValues{{":v", "b"}}}),
                      validation,
                      "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}}, .update_expression = "SET v = :v",
                                          .expression_attribute_values = ExpressionAttributeValues{{":v", 2}, {":w", 3}}}),
                      validation, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}}, .update_expression = "SET v = :v",
                                          .condition_expression = "v = :old",
                                          .expression_attribute_values = ExpressionAttributeValues{{":v", 2}, {":old", 7}}}),
                      "ConditionalCheckFailedException", "The conditional request failed");
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item->at("v"), AttributeValue(1));
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}}, .update_expression = "SET v = :v",
                                          .expression_attribute_values = ExpressionAttributeValues{{":v", std::string(400 * 1024, 'x')}}}),
                      validation, "Item size to update has exceeded the maximum allowed size");
}

}  // namespace
}  // namespace dynamo::engine::test
