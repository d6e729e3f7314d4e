// Codec of ExecuteStatement, BatchExecuteStatement and ExecuteTransaction.
#include "api/describe_common.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, ExecuteStatementRequest& s) {
  v("Statement", s.statement, required);
  v("Parameters", s.parameters);
  v("ConsistentRead", s.consistent_read);
  v("NextToken", s.next_token);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("Limit", s.limit);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

template <class V>
void describe(V& v, ExecuteStatementResponse& s) {
  v("Items", s.items);
  v("NextToken", s.next_token);
  v("ConsumedCapacity", s.consumed_capacity);
  v("LastEvaluatedKey", s.last_evaluated_key);
}

template <class V>
void describe(V& v, BatchStatementRequest& s) {
  v("Statement", s.statement, required);
  v("Parameters", s.parameters);
  v("ConsistentRead", s.consistent_read);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

template <class V>
void describe(V& v, BatchExecuteStatementRequest& s) {
  v("Statements", s.statements, required);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
}

template <class V>
void describe(V& v, BatchStatementError& s) {
  v("Code", s.code);
  v("Message", s.message);
  v("Item", s.item);
}

template <class V>
void describe(V& v, BatchStatementResponse& s) {
  v("Error", s.error);
  v("TableName", s.table_name);
  v("Item", s.item);
}

template <class V>
void describe(V& v, BatchExecuteStatementResponse& s) {
  v("Responses", s.responses);
  v("ConsumedCapacity", s.consumed_capacity);
}

template <class V>
void describe(V& v, ParameterizedStatement& s) {
  v("Statement", s.statement, required);
  v("Parameters", s.parameters);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

template <class V>
void describe(V& v, ExecuteTransactionRequest& s) {
  v("TransactStatements", s.transact_statements, required);
  v("ClientRequestToken", s.client_request_token);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
}

template <class V>
void describe(V& v, ItemResponse& s) {
  v("Item", s.item);
}

template <class V>
void describe(V& v, ExecuteTransactionResponse& s) {
  v("Responses", s.responses);
  v("ConsumedCapacity", s.consumed_capacity);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(ExecuteStatementRequest, true)
DYNAMO_API_DEFINE_CODEC(ExecuteStatementResponse, false)
DYNAMO_API_DEFINE_CODEC(BatchExecuteStatementRequest, true)
DYNAMO_API_DEFINE_CODEC(BatchExecuteStatementResponse, false)
DYNAMO_API_DEFINE_CODEC(ExecuteTransactionRequest, true)
DYNAMO_API_DEFINE_CODEC(ExecuteTransactionResponse, false)

}  // namespace dynamo::api
