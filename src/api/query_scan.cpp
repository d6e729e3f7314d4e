// Codec of Query and Scan.
#include "api/describe_common.hpp"
#include "api/describe_legacy.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, QueryRequest& s) {
  v("TableName", s.table_name, required);
  v("IndexName", s.index_name);
  v("Select", s.select);
  v("AttributesToGet", s.attributes_to_get);
  v("Limit", s.limit);
  v("ConsistentRead", s.consistent_read);
  v("KeyConditions", s.key_conditions);
  v("QueryFilter", s.query_filter);
  v("ConditionalOperator", s.conditional_operator);
  v("ScanIndexForward", s.scan_index_forward);
  v("ExclusiveStartKey", s.exclusive_start_key);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ProjectionExpression", s.projection_expression);
  v("FilterExpression", s.filter_expression);
  v("KeyConditionExpression", s.key_condition_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
  v("ExpressionAttributeValues", s.expression_attribute_values);
}

// Query and Scan answer with the same members.
template <class V, class Response>
void describe_page(V& v, Response& s) {
  v("Items", s.items);
  v("Count", s.count);
  v("ScannedCount", s.scanned_count);
  v("LastEvaluatedKey", s.last_evaluated_key);
  v("ConsumedCapacity", s.consumed_capacity);
}

template <class V>
void describe(V& v, QueryResponse& s) {
  describe_page(v, s);
}

template <class V>
void describe(V& v, ScanRequest& s) {
  v("TableName", s.table_name, required);
  v("IndexName", s.index_name);
  v("AttributesToGet", s.attributes_to_get);
  v("Limit", s.limit);
  v("Select", s.select);
  v("ScanFilter", s.scan_filter);
  v("ConditionalOperator", s.conditional_operator);
  v("ExclusiveStartKey", s.exclusive_start_key);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("TotalSegments", s.total_segments);
  v("Segment", s.segment);
  v("ProjectionExpression", s.projection_expression);
  v("FilterExpression", s.filter_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
  v("ExpressionAttributeValues", s.expression_attribute_values);
  v("ConsistentRead", s.consistent_read);
}

template <class V>
void describe(V& v, ScanResponse& s) {
  describe_page(v, s);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(QueryRequest, true)
DYNAMO_API_DEFINE_CODEC(QueryResponse, false)
DYNAMO_API_DEFINE_CODEC(ScanRequest, true)
DYNAMO_API_DEFINE_CODEC(ScanResponse, false)

}  // namespace dynamo::api
