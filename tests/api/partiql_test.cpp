// The codec of ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: round trips
// with every member set, the exact wire JSON, the registry entries, and missing required
// members refused as the service refuses them.
#include <gtest/gtest.h>

#include "dynamo/api.hpp"

namespace dynamo::api {
namespace {

template <class T>
void expect_round_trip(const T& message) {
  const std::string json = encode(message);
  const T back = decode<T>(json);
  EXPECT_TRUE(back == message) << json;
  EXPECT_EQ(encode(back), json);
}

TEST(ApiPartiql, ExecuteStatementRoundTrip) {
  expect_round_trip(ExecuteStatementRequest{
      .statement = "SELECT * FROM \"T\" WHERE pk = ?",
      .parameters = std::vector<AttributeValue>{"a", 1, StringSet{"x"}},
      .consistent_read = true,
      .next_token = "tok",
      .return_consumed_capacity = ReturnConsumedCapacity::indexes,
      .limit = 7,
      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
  expect_round_trip(ExecuteStatementRequest{.statement = "SELECT * FROM T"});
  expect_round_trip(ExecuteStatementResponse{.items = std::vector<Item>{{{"pk", "a"}}, {}},
                                             .next_token = "n",
                                             .consumed_capacity = ConsumedCapacity{.table_name = "T", .capacity_units = 0.5},
                                             .last_evaluated_key = Item{{"pk", "a"}}});
  expect_round_trip(ExecuteStatementResponse{});
}

TEST(ApiPartiql, BatchAndTransactionRoundTrip) {
  expect_round_trip(BatchExecuteStatementRequest{
      .statements = {{.statement = "SELECT * FROM T WHERE pk = ?",
                      .parameters = std::vector<AttributeValue>{"a"},
                      .consistent_read = false,
                      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::none}},
      .return_consumed_capacity = ReturnConsumedCapacity::total});
  expect_round_trip(BatchExecuteStatementResponse{
      .responses = std::vector<BatchStatementResponse>{
          {.error = BatchStatementError{.code = "ConditionalCheckFailed", .message = "m", .item = Item{{"a", 1}}},
           .table_name = "T",
           .item = {}},
          {.error = {}, .table_name = "T", .item = Item{{"b", true}}}},
      .consumed_capacity = std::vector<ConsumedCapacity>{{.table_name = "T", .capacity_units = 2.0}}});
  expect_round_trip(ExecuteTransactionRequest{
      .transact_statements = {{.statement = "DELETE FROM T WHERE pk = 'a'",
                               .parameters = {},
                               .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old}},
      .client_request_token = "tok",
      .return_consumed_capacity = ReturnConsumedCapacity::total});
  expect_round_trip(ExecuteTransactionResponse{.responses = std::vector<ItemResponse>{{.item = Item{{"a", 1}}}, {}},
                                               .consumed_capacity = {}});
}

// The wire names, pinned.
TEST(ApiPartiql, WireFormat) {
  EXPECT_EQ(encode(ExecuteStatementRequest{.statement = "SELECT * FROM T WHERE a = ?",
                                           .parameters = std::vector<AttributeValue>{"x"},
                                           .limit = 2}),
            R"({"Statement":"SELECT * FROM T WHERE a = ?","Parameters":[{"S":"x"}],"Limit":2})");
  EXPECT_EQ(encode(BatchExecuteStatementResponse{
                .responses = std::vector<BatchStatementResponse>{
                    {.error = BatchStatementError{.code = "DuplicateItem", .message = "m", .item = {}},
                     .table_name = "T",
                     .item = {}}}}),
            R"({"Responses":[{"Error":{"Code":"DuplicateItem","Message":"m"},"TableName":"T"}]})");
  EXPECT_EQ(encode(ExecuteTransactionRequest{.transact_statements = {{.statement = "S"}}, .client_request_token = "t"}),
            R"({"TransactStatements":[{"Statement":"S"}],"ClientRequestToken":"t"})");
}

TEST(ApiPartiql, Registry) {
  EXPECT_EQ(target_of(Operation::execute_statement), "DynamoDB_20120810.ExecuteStatement");
  EXPECT_EQ(operation_from_target("DynamoDB_20120810.BatchExecuteStatement"), Operation::batch_execute_statement);
  EXPECT_EQ(operation_from_target("DynamoDB_20120810.ExecuteTransaction"), Operation::execute_transaction);
  EXPECT_FALSE(is_read_only(Operation::execute_statement));  // a statement may write
  static_assert(OperationOf<ExecuteTransactionRequest>::operation == Operation::execute_transaction);
}

TEST(ApiPartiql, RequiredMembers) {
  try {
    (void)decode<ExecuteStatementRequest>("{}");
    ADD_FAILURE() << "Statement is required";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(std::string(e.what()),
              "1 validation error detected: Value null at 'statement' failed to satisfy constraint: Member must not "
              "be null");
  }
  try {
    (void)decode<ExecuteTransactionRequest>(R"({"TransactStatements":[{}]})");
    ADD_FAILURE() << "Statement is required in each statement";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

}  // namespace
}  // namespace dynamo::api
