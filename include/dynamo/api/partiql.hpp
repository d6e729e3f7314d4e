// Requests and responses of the PartiQL operations: ExecuteStatement, BatchExecuteStatement
// and ExecuteTransaction (docs/partiql.md describes the statements dynamo understands).
//
//   using namespace dynamo::api;
//   ExecuteStatementRequest select{
//       .statement = R"(SELECT * FROM "Thread" WHERE forum_name = ? AND views > ?)",
//       .parameters = std::vector<dynamo::AttributeValue>{"C++", 10},
//   };
//   ExecuteTransactionRequest tx{
//       .transact_statements = {
//           {.statement = R"(UPDATE "Thread" SET views = views + 1 WHERE forum_name = 'C++' AND subject = 'Modules')"},
//           {.statement = R"(INSERT INTO "Log" VALUE {'id': ?})", .parameters = std::vector<dynamo::AttributeValue>{"1"}},
//       },
//   };
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"
#include "dynamo/api/transactions.hpp"

namespace dynamo::api {

struct ExecuteStatementRequest {
  std::string statement{};
  // The values of the statement's `?` placeholders, in order.
  std::optional<std::vector<AttributeValue>> parameters{};
  std::optional<bool> consistent_read{};
  std::optional<std::string> next_token{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<int> limit{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const ExecuteStatementRequest&, const ExecuteStatementRequest&) = default;
};

struct ExecuteStatementResponse {
  std::optional<std::vector<Item>> items{};
  // Set when a SELECT has more results: pass it back as NextToken.
  std::optional<std::string> next_token{};
  std::optional<ConsumedCapacity> consumed_capacity{};
  std::optional<Item> last_evaluated_key{};
  friend bool operator==(const ExecuteStatementResponse&, const ExecuteStatementResponse&) = default;
};

// One statement of BatchExecuteStatement.
struct BatchStatementRequest {
  std::string statement{};
  std::optional<std::vector<AttributeValue>> parameters{};
  std::optional<bool> consistent_read{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const BatchStatementRequest&, const BatchStatementRequest&) = default;
};

struct BatchExecuteStatementRequest {
  std::vector<BatchStatementRequest> statements{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  friend bool operator==(const BatchExecuteStatementRequest&, const BatchExecuteStatementRequest&) = default;
};

// Why one statement of a batch failed. Code is one of BatchStatementErrorCodeEnum's values
// (ConditionalCheckFailed, ItemCollectionSizeLimitExceeded, RequestLimitExceeded,
// ValidationError, ProvisionedThroughputExceeded, TransactionConflict, ThrottlingError,
// InternalServerError, ResourceNotFound, AccessDenied, DuplicateItem).
struct BatchStatementError {
  std::optional<std::string> code{};
  std::optional<std::string> message{};
  // The item of a failed condition, with ReturnValuesOnConditionCheckFailure=ALL_OLD.
  std::optional<Item> item{};
  friend bool operator==(const BatchStatementError&, const BatchStatementError&) = default;
};

// One entry of BatchExecuteStatement's Responses, in request order.
struct BatchStatementResponse {
  std::optional<BatchStatementError> error{};
  std::optional<std::string> table_name{};
  std::optional<Item> item{};
  friend bool operator==(const BatchStatementResponse&, const BatchStatementResponse&) = default;
};

struct BatchExecuteStatementResponse {
  std::optional<std::vector<BatchStatementResponse>> responses{};
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity{};
  friend bool operator==(const BatchExecuteStatementResponse&, const BatchExecuteStatementResponse&) = default;
};

// One statement of ExecuteTransaction.
struct ParameterizedStatement {
  std::string statement{};
  std::optional<std::vector<AttributeValue>> parameters{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const ParameterizedStatement&, const ParameterizedStatement&) = default;
};

struct ExecuteTransactionRequest {
  std::vector<ParameterizedStatement> transact_statements{};
  // Makes the call idempotent for 10 minutes.
  std::optional<std::string> client_request_token{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  friend bool operator==(const ExecuteTransactionRequest&, const ExecuteTransactionRequest&) = default;
};

struct ExecuteTransactionResponse {
  // For a transaction of SELECTs, one entry per statement (Item absent when not found).
  std::optional<std::vector<ItemResponse>> responses{};
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity{};
  friend bool operator==(const ExecuteTransactionResponse&, const ExecuteTransactionResponse&) = default;
};

}  // namespace dynamo::api
