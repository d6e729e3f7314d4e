// Codec of BatchGetItem and BatchWriteItem.
#include "api/describe_common.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, KeysAndAttributes& s) {
  v("Keys", s.keys, required);
  v("AttributesToGet", s.attributes_to_get);
  v("ConsistentRead", s.consistent_read);
  v("ProjectionExpression", s.projection_expression);
  v("ExpressionAttributeNames", s.expression_attribute_names);
}

template <class V>
void describe(V& v, BatchGetItemRequest& s) {
  v("RequestItems", s.request_items, required);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
}

template <class V>
void describe(V& v, BatchGetItemResponse& s) {
  v("Responses", s.responses);
  v("UnprocessedKeys", s.unprocessed_keys);
  v("ConsumedCapacity", s.consumed_capacity);
}

template <class V>
void describe(V& v, PutRequest& s) {
  v("Item", s.item, required);
}

template <class V>
void describe(V& v, DeleteRequest& s) {
  v("Key", s.key, required);
}

template <class V>
void describe(V& v, WriteRequest& s) {
  v("PutRequest", s.put_request);
  v("DeleteRequest", s.delete_request);
}

template <class V>
void describe(V& v, BatchWriteItemRequest& s) {
  v("RequestItems", s.request_items, required);
  v("ReturnConsumedCapacity", s.return_consumed_capacity);
  v("ReturnItemCollectionMetrics", s.return_item_collection_metrics);
}

template <class V>
void describe(V& v, BatchWriteItemResponse& s) {
  v("UnprocessedItems", s.unprocessed_items);
  v("ItemCollectionMetrics", s.item_collection_metrics);
  v("ConsumedCapacity", s.consumed_capacity);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(BatchGetItemRequest, true)
DYNAMO_API_DEFINE_CODEC(BatchGetItemResponse, false)
DYNAMO_API_DEFINE_CODEC(BatchWriteItemRequest, true)
DYNAMO_API_DEFINE_CODEC(BatchWriteItemResponse, false)

}  // namespace dynamo::api
