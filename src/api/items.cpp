// Codec of the single-item operations: GetItem, PutItem, UpdateItem, DeleteItem.
#include "api/describe_common.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, GetItemRequest& s) {
  v("TableName", s.table_name, required);
  v("Key", s.key, required);
  v("AttributesToGet", s.attributes_to_get);
  v("ConsistentRead", s.consistent_read);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ProjectionExpression", s.projection_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
}

template <class V>
void describe(V& v, GetItemResponse& s) {
  v("Item", s.item);
  v("ConsumedCapacity", s.consumed_capacity);
}

template <class V>
void describe(V& v, PutItemRequest& s) {
  v("TableName", s.table_name, required);
  v("Item", s.item, required);
  v("Expected", s.expected);
  v("ReturnValues", s.return_values);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ReturnItemCollectionMetrics", s.return_item_collection_metrics);
  v("ConditionalOperator", s.conditional_operator);
  v("ConditionExpression", s.condition_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
  v("ExpressionAttributeValues", s.expression_attribute_values);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

// PutItem, UpdateItem and DeleteItem answer with the same three members.
template <class V, class Response>
void describe_write_response(V& v, Response& s) {
  v("Attributes", s.attributes);
  v("ConsumedCapacity", s.consumed_capacity);
  v("ItemCollectionMetrics", s.item_collection_metrics);
}

template <class V>
void describe(V& v, PutItemResponse& s) {
  describe_write_response(v, s);
}

template <class V>
void describe(V& v, UpdateItemRequest& s) {
  v("TableName", s.table_name, required);
  v("Key", s.key, required);
  v("AttributeUpdates", s.attribute_updates);
  v("Expected", s.expected);
  v("ConditionalOperator", s.conditional_operator);
  v("ReturnValues", s.return_values);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ReturnItemCollectionMetrics", s.return_item_collection_metrics);
  v("UpdateExpression", s.update_expression);
  v("ConditionExpression", s.condition_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
  v("ExpressionAttributeValues", s.expression_attribute_values);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

template <class V>
void describe(V& v, UpdateItemResponse& s) {
  describe_write_response(v, s);
}

template <class V>
void describe(V& v, DeleteItemRequest& s) {
  v("TableName", s.table_name, required);
  v("Key", s.key, required);
  v("Expected", s.expected);
  v("ConditionalOperator", s.conditional_operator);
  v("ReturnValues", s.return_values);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ReturnItemCollectionMetrics", s.return_item_collection_metrics);
  v("ConditionExpression", s.condition_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
  v("ExpressionAttributeValues", s.expression_attribute_values);
  v("ReturnValuesOnConditionCheckFailure", s.return_values_on_condition_check_failure);
}

template <class V>
void describe(V& v, DeleteItemResponse& s) {
  describe_write_response(v, s);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(GetItemRequest, true)
DYNAMO_API_DEFINE_CODEC(GetItemResponse, false)
DYNAMO_API_DEFINE_CODEC(PutItemRequest, true)
DYNAMO_API_DEFINE_CODEC(PutItemResponse, false)
DYNAMO_API_DEFINE_CODEC(UpdateItemRequest, true)
DYNAMO_API_DEFINE_CODEC(UpdateItemResponse, false)
DYNAMO_API_DEFINE_CODEC(DeleteItemRequest, true)
DYNAMO_API_DEFINE_CODEC(DeleteItemResponse, false)

}  // namespace dynamo::api
