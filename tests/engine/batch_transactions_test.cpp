// BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems: limits, duplicates,
// all-or-nothing, cancellation reasons and ClientRequestToken idempotency.
#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

class EngineBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)engine.create_table(table_request("Tbl"));
    (void)engine.create_table(table_request("Other"));
  }
  Engine engine{quiet_options()};
};

WriteRequest put_request(const std::string& pk) { return WriteRequest{.put_request = PutRequest{.item = {{"pk", pk}}}}; }
WriteRequest delete_request(const std::string& pk) { return WriteRequest{.delete_request = DeleteRequest{.key = {{"pk", pk}}}}; }

// BatchWriteItem puts and deletes across tables; UnprocessedItems is empty.
TEST_F(EngineBatch, WriteAcrossTables) {
  put(engine, "Tbl", {{"pk", "gone"}});
  auto response = engine.batch_write_item(
      {.request_items = {{"Tbl", {put_request("a"), put_request("b"), delete_request("gone")}}, {"Other", {put_request("c")}}}});
  EXPECT_TRUE(response.unprocessed_items && response.unprocessed_items->empty());
  EXPECT_TRUE(engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}}}).item);
  EXPECT_FALSE(engine.get_item({.table_name = "Tbl", .key = {{"pk", "gone"}}}).item);
  EXPECT_TRUE(engine.get_item({.table_name = "Other", .key = {{"pk", "c"}}}).item);
}

// At most 25 writes; no key twice; nothing is written when one request is invalid.
TEST_F(EngineBatch, WriteLimits) {
  std::vector<WriteRequest> many;
  for (int i = 0; i < 26; ++i) many.push_back(put_request("k" + std::to_string(i)));
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Tbl", many}}}), validation,
                      "1 validation error detected: Value '{Tbl=[...]}' at 'requestItems' failed to satisfy constraint: "
                      "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member "
                      "must have length greater than or equal to 1]");
  const std::vector<WriteRequest> half(many.begin(), many.begin() + 13);
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Tbl", half}, {"Other", half}}}), validation,
                      "Too many items requested for the BatchWriteItem call");
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Tbl", {put_request("a"), delete_request("a")}}}}),
                      validation, "Provided list of item keys contains duplicates");
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Tbl", {put_request("x"), put_request("")}}}}), validation,
                      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                      "contain an empty string value. Key: pk");
  EXPECT_FALSE(engine.get_item({.table_name = "Tbl", .key = {{"pk", "x"}}}).item);
  EXPECT_DYNAMO_ERROR(engine.batch_write_item({.request_items = {{"Missing", {put_request("a")}}}}),
                      "ResourceNotFoundException", "Requested resource not found");
  many.pop_back();
  (void)engine.batch_write_item({.request_items = {{"Tbl", many}}});
}

// BatchGetItem returns found items per table, applies projections, and checks limits.
TEST_F(EngineBatch, Get) {
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});
  put(engine, "Other", {{"pk", "b"}, {"v", 2}});
  auto response = engine.batch_get_item({.request_items = {
      {"Tbl", KeysAndAttributes{.keys = {{{"pk", "a"}}, {{"pk", "missing"}}}, .projection_expression = "v"}},
      {"Other", KeysAndAttributes{.keys = {{{"pk", "b"}}}}}}});
  EXPECT_EQ(response.responses->at("Tbl"), (std::vector<Item>{{{"v", 1}}}));
  EXPECT_EQ(response.responses->at("Other"), (std::vector<Item>{{{"pk", "b"}, {"v", 2}}}));
  EXPECT_TRUE(response.unprocessed_keys->empty());
  std::vector<Item> keys;
  for (int i = 0; i < 101; ++i) keys.push_back({{"pk", "k" + std::to_string(i)}});
  EXPECT_DYNAMO_ERROR(engine.batch_get_item({.request_items = {{"Tbl", KeysAndAttributes{.keys = keys}}}}), validation,
                      "1 validation error detected: Value '[...]' at 'requestItems.Tbl.member.keys' failed to satisfy "
                      "constraint: Member must have length less than or equal to 100");
  EXPECT_DYNAMO_ERROR(engine.batch_get_item({.request_items = {
                          {"Tbl", KeysAndAttributes{.keys = std::vector<Item>(keys.begin(), keys.begin() + 60)}},
                          {"Other", KeysAndAttributes{.keys = std::vector<Item>(keys.begin() + 60, keys.end())}}}}),
                      validation, "Too many items requested for the BatchGetItem call");
  EXPECT_DYNAMO_ERROR(engine.batch_get_item({.request_items = {{"Tbl", KeysAndAttributes{.keys = {{{"pk", "a"}}, {{"pk", "a"}}}}}}}),
                      validation, "Provided list of item keys contains duplicates");
}

// A BatchGetItem response stops at 16 MB; the rest comes back as UnprocessedKeys.
TEST_F(EngineBatch, GetSixteenMegabytes) {
  const std::string blob(390 * 1024, 'x');
  std::vector<Item> keys;
  for (int i = 0; i < 50; ++i) {
    put(engine, "Tbl", {{"pk", "k" + std::to_string(i)}, {"blob", blob}});
    keys.push_back({{"pk", "k" + std::to_string(i)}});
  }
  auto response = engine.batch_get_item({.request_items = {{"Tbl", KeysAndAttributes{.keys = keys, .consistent_read = true}}}});
  const auto returned = response.responses->at("Tbl").size();
  ASSERT_TRUE(response.unprocessed_keys->count("Tbl"));
  const auto& unprocessed = response.unprocessed_keys->at("Tbl");
  EXPECT_EQ(returned + unprocessed.keys.size(), 50u);
  EXPECT_EQ(returned, 43u);  // 43 x ~390 KB reach 16 MB
  EXPECT_EQ(unprocessed.consistent_read, true);
}

// TransactWriteItems applies every action or none; reasons name the failing action.
TEST_F(EngineBatch, TransactionAllOrNothing) {
  put(engine, "Tbl", {{"pk", "acct"}, {"balance", 10}});
  TransactWriteItemsRequest tx{.transact_items = {
      {.update = TransactUpdate{.key = {{"pk", "acct"}}, .update_expression = "SET balance = balance - :d",
                                .table_name = "Tbl", .condition_expression = "balance >= :d",
                                .expression_attribute_values = ExpressionAttributeValues{{":d", 15}}}},
      {.put = TransactPut{.item = {{"pk", "order"}}, .table_name = "Other"}},
      {.condition_check = TransactConditionCheck{.key = {{"pk", "acct"}}, .table_name = "Other",
                                                 .condition_expression = "attribute_exists(pk)",
                                                 .return_values_on_condition_check_failure =
                                                     ReturnValuesOnConditionCheckFailure::all_old}}}};
  try {
    (void)engine.transact_write_items(tx);
    ADD_FAILURE();
  } catch (const TransactionCanceled& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    EXPECT_EQ(std::string(e.what()),
              "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, "
              "None, ConditionalCheckFailed]");
    ASSERT_EQ(e.reasons.size(), 3u);
    EXPECT_EQ(e.reasons[1].code, "None");
    EXPECT_FALSE(e.reasons[2].item);  // ALL_OLD, but there was no item
  }
  EXPECT_FALSE(engine.get_item({.table_name = "Other", .key = {{"pk", "order"}}}).item);
  // Fix the amounts: everything applies.
  tx.transact_items[0].update->expression_attribute_values = ExpressionAttributeValues{{":d", 4}};
  put(engine, "Other", {{"pk", "acct"}});
  (void)engine.transact_write_items(tx);
  EXPECT_EQ(engine.get_item({.table_name = "Tbl", .key = {{"pk", "acct"}}}).item->at("balance"), AttributeValue(6));
  EXPECT_TRUE(engine.get_item({.table_name = "Other", .key = {{"pk", "order"}}}).item);
}

// A failed condition with ALL_OLD puts the old item in its cancellation reason.
TEST_F(EngineBatch, TransactionReasonItem) {
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});
  try {
    (void)engine.transact_write_items({.transact_items = {
        {.delete_ = TransactDelete{.key = {{"pk", "a"}}, .table_name = "Tbl", .condition_expression = "v = :two",
                                   .expression_attribute_values = ExpressionAttributeValues{{":two", 2}},
                                   .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old}}}});
    ADD_FAILURE();
  } catch (const TransactionCanceled& e) {
    EXPECT_EQ(e.reasons[0].code, "ConditionalCheckFailed");
    EXPECT_EQ(e.reasons[0].message, "The conditional request failed");
    EXPECT_EQ(e.reasons[0].item, (Item{{"pk", "a"}, {"v", 1}}));
    EXPECT_EQ(e.body().cancellation_reasons->size(), 1u);
  }
}

// Transactions: at most 100 actions and never two on one item.
TEST_F(EngineBatch, TransactionLimits) {
  TransactWriteItemsRequest tx;
  for (int i = 0; i < 101; ++i) {
    tx.transact_items.push_back({.put = TransactPut{.item = {{"pk", "k" + std::to_string(i)}}, .table_name = "Tbl"}});
  }
  EXPECT_DYNAMO_ERROR(engine.transact_write_items(tx), validation,
                      "1 validation error detected: Value '[...]' at 'transactItems' failed to satisfy constraint: "
                      "Member must have length less than or equal to 100");
  tx.transact_items.resize(100);
  (void)engine.transact_write_items(tx);
  EXPECT_DYNAMO_ERROR(engine.transact_write_items({.transact_items = {
                          {.put = TransactPut{.item = {{"pk", "a"}}, .table_name = "Tbl"}},
                          {.delete_ = TransactDelete{.key = {{"pk", "a"}}, .table_name = "Tbl"}}}}),
                      validation, "Transaction request cannot include multiple operations on one item");
  EXPECT_DYNAMO_ERROR(engine.transact_get_items({.transact_items = {{.get = TransactGet{.key = {{"pk", "a"}}, .table_name = "Tbl"}},
                                                                    {.get = TransactGet{.key = {{"pk", "a"}}, .table_name = "Tbl"}}}}),
                      validation, "Transaction request cannot include multiple operations on one item");
  EXPECT_DYNAMO_ERROR(engine.transact_write_items({.transact_items = {TransactWriteItem{}}}), validation,
                      "TransactItems can only contain one of Check, Put, Update or Delete");
}

// The items of one transaction may add up to 4 MB, not more; nothing of a refused one is
// written.
TEST_F(EngineBatch, TransactionFourMegabytes) {
  auto big_puts = [](int n) {
    TransactWriteItemsRequest tx;
    for (int i = 0; i < n; ++i) {
      tx.transact_items.push_back({.put = TransactPut{
                                       .item = {{"pk", "big" + std::to_string(i)}, {"v", std::string(390 * 1024, 'x')}},
                                       .table_name = "Tbl"}});
    }
    return tx;
  };
  (void)engine.transact_write_items(big_puts(10));  // ~3.9 MB
  EXPECT_TRUE(engine.get_item({.table_name = "Tbl", .key = {{"pk", "big9"}}}).item);
  (void)engine.delete_item({.table_name = "Tbl", .key = {{"pk", "big0"}}});
  try {
    (void)engine.transact_write_items(big_puts(11));  // ~4.3 MB
    ADD_FAILURE() << "a transaction over 4 MB was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_NE(std::string(e.what()).find("exceeds the 4 MB limit"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(engine.get_item({.table_name = "Tbl", .key = {{"pk", "big0"}}}).item);
}

// The same ClientRequestToken and request returns the first result without re-applying;
// the same token with a different request is refused.
TEST_F(EngineBatch, Idempotency) {
  TransactWriteItemsRequest tx{.transact_items = {{.update = TransactUpdate{
                                   .key = {{"pk", "counter"}}, .update_expression = "ADD n :one", .table_name = "Tbl",
                                   .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}}}},
                               .client_request_token = "token-1"};
  (void)engine.transact_write_items(tx);
  (void)engine.transact_write_items(tx);
  EXPECT_EQ(engine.get_item({.table_name = "Tbl", .key = {{"pk", "counter"}}}).item->at("n"), AttributeValue(1));
  auto other = tx;
  other.transact_items[0].update->expression_attribute_values = ExpressionAttributeValues{{":one", 2}};
  EXPECT_DYNAMO_ERROR(engine.transact_write_items(other), "IdempotentParameterMismatchException",
                      "The request uses the same client token as a previous, but non-identical request.");
  other.client_request_token = "token-2";
  (void)engine.transact_write_items(other);
  EXPECT_EQ(engine.get_item({.table_name = "Tbl", .key = {{"pk", "counter"}}}).item->at("n"), AttributeValue(3));
}

// TransactGetItems reads several items at once, in request order.
TEST_F(EngineBatch, TransactGet) {
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});
  put(engine, "Other", {{"pk", "b"}, {"v", 2}});
  auto response = engine.transact_get_items({.transact_items = {
      {.get = TransactGet{.key = {{"pk", "b"}}, .table_name = "Other", .projection_expression = "v"}},
      {.get = TransactGet{.key = {{"pk", "missing"}}, .table_name = "Tbl"}},
      {.get = TransactGet{.key = {{"pk", "a"}}, .table_name = "Tbl"}}}});
  ASSERT_EQ(response.responses->size(), 3u);
  EXPECT_EQ((*response.responses)[0].item, (Item{{"v", 2}}));
  EXPECT_FALSE((*response.responses)[1].item);
  EXPECT_EQ((*response.responses)[2].item, (Item{{"pk", "a"}, {"v", 1}}));
}

// A key that does not fit its table cancels a TransactGetItems: a ValidationError reason on
// that action, None on the others.
TEST_F(EngineBatch, TransactGetWithAWrongKeyIsCanceled) {
  try {
    (void)engine.transact_get_items({.transact_items = {
        {.get = TransactGet{.key = {{"pk", "a"}}, .table_name = "Tbl"}},
        {.get = TransactGet{.key = {{"pk", 1}}, .table_name = "Tbl"}}}});
    ADD_FAILURE() << "a wrong key type was read";
  } catch (const TransactionCanceled& e) {
    ASSERT_EQ(e.reasons.size(), 2u);
    EXPECT_EQ(e.reasons[0].code, "None");
    EXPECT_EQ(e.reasons[1].code, "ValidationError");
    EXPECT_EQ(e.reasons[1].message, "The provided key element does not match the schema");
  }
}

// In TransactWriteItems a key of the wrong type cancels with a ValidationError reason on its
// action, for a lookup key as for a Put's item, while an empty key value refuses the whole
// request (as measured on the service).
TEST_F(EngineBatch, TransactWriteKeyTypeMismatchIsACancellation) {
  try {
    (void)engine.transact_write_items({.transact_items = {
        {.put = TransactPut{.item = {{"pk", 7}}, .table_name = "Tbl"}},
        {.delete_ = TransactDelete{.key = {{"pk", "fine"}}, .table_name = "Tbl"}},
        {.update = TransactUpdate{.key = {{"pk", 1}}, .update_expression = "SET v = :v", .table_name = "Tbl",
                                  .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}}}}});
    ADD_FAILURE() << "wrong key types were accepted";
  } catch (const TransactionCanceled& e) {
    ASSERT_EQ(e.reasons.size(), 3u);
    EXPECT_EQ(e.reasons[0].code, "ValidationError");
    EXPECT_EQ(e.reasons[0].message,
              "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
    EXPECT_EQ(e.reasons[1].code, "None");
    EXPECT_EQ(e.reasons[2].code, "ValidationError");
    EXPECT_EQ(e.reasons[2].message, "The provided key element does not match the schema");
  }
  EXPECT_DYNAMO_ERROR(engine.transact_write_items({.transact_items = {
                          {.delete_ = TransactDelete{.key = {{"pk", ""}}, .table_name = "Tbl"}}}}),
                      validation,
                      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                      "contain an empty string value. Key: pk");
}

// An update that becomes invalid on the current data cancels with a ValidationError reason.
TEST_F(EngineBatch, TransactionValidationReason) {
  put(engine, "Tbl", {{"pk", "a"}, {"v", "text"}});
  try {
    (void)engine.transact_write_items({.transact_items = {
        {.update = TransactUpdate{.key = {{"pk", "a"}}, .update_expression = "SET v = v + :one", .table_name = "Tbl",
                                  .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}}}}});
    ADD_FAILURE();
  } catch (const TransactionCanceled& e) {
    EXPECT_EQ(e.reasons[0].code, "ValidationError");
    EXPECT_EQ(e.reasons[0].message, "An operand in the update expression has an incorrect data type");
  }
}

}  // namespace
}  // namespace dynamo::engine::test
