// Codec of TransactGetItems and TransactWriteItems.
#include "api/describe_common.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, TransactGet& s) {
  v("Key", s.key, required);
  v("TableName", s.table_name, required);
  v("ProjectionExpression", s.projection_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
}

template <class V>
void describe(V& v, TransactGetItem& s) {
  v("Get", s.get, required);
}

template <class V>
void describe(V& v, TransactGetItemsRequest& s) {
  v("TransactItems", s.transact_items, required);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
}

template <class V>
void describe(V& v, ItemResponse& s) {
  v("Item", s.item);
}

template <class V>
void describe(V& v, TransactGetItemsResponse& s) {
  v("ConsumedCapacity", s.consumed_capacity);
  v("Responses", s.responses);
}

// The condition members every write action shares.
template <class V, class Action>
void describe_condition(V& v, Action& s) {
  v("ExpressionAttributeNames", s.expression_attribute_names);
  v("ExpressionAttributeValues", s.expression_attribute_values);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

template <class V>
void describe(V& v, TransactConditionCheck& s) {
  v("Key", s.key, required);
  v("TableName", s.table_name, required);
  v("ConditionExpression", s.condition_expression, required);
  describe_condition(v, s);
}

template <class V>
void describe(V& v, TransactPut& s) {
  v("Item", s.item, required);
  v("TableName", s.table_name, required);
  v("ConditionExpression", s.condition_expression);
  describe_condition(v, s);
}

template <class V>
void describe(V& v, TransactDelete& s) {
  v("Key", s.key, required);
  v("TableName", s.table_name, required);
  v("ConditionExpression", s.condition_expression);
  describe_condition(v, s);
}

template <class V>
void describe(V& v, TransactUpdate& s) {
  v("Key", s.key, required);
  v("UpdateExpression", s.update_expression, required);
  v("TableName", s.table_name, required);
  v("ConditionExpression", s.condition_expression);
  describe_condition(v, s);
}

template <class V>
void describe(V& v, TransactWriteItem& s) {
  v("ConditionCheck", s.condition_check);
  v("Put", s.put);
  v("Delete", s.delete_);
  v("Update", s.update);
}

template <class V>
void describe(V& v, TransactWriteItemsRequest& s) {
  v("TransactItems", s.transact_items, required);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ReturnItemCollectionMetrics", s.return_item_collection_metrics);
  v("ClientRequestToken", s.client_request_token);
}

template <class V>
void describe(V& v, TransactWriteItemsResponse& s) {
  v("ConsumedCapacity", s.consumed_capacity);
  v("ItemCollectionMetrics", s.item_collection_metrics);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(TransactGetItemsRequest, true)
DYNAMO_API_DEFINE_CODEC(TransactGetItemsResponse, false)
DYNAMO_API_DEFINE_CODEC(TransactWriteItemsRequest, true)
DYNAMO_API_DEFINE_CODEC(TransactWriteItemsResponse, false)

}  // namespace dynamo::api
