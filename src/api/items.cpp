// Codec of the single-item operations: GetItem, PutItem, UpdateItem, DeleteItem; and the
// wire spellings of the legacy parameters' enumerations (dynamo/api/legacy.hpp).
#include <array>

#include "api/describe_common.hpp"
#include "api/describe_legacy.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace {

// Spellings in enumerator order; the value sets in the service's own order (as it prints
// them in a ValidationException).
constexpr std::array<std::string_view, 13> comparison_operator_names = {
    "EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH"};
constexpr std::array<std::string_view, 3> attribute_action_names = {"ADD", "PUT", "DELETE"};

template <class E, std::size_t N>
bool parse_name(const std::array<std::string_view, N>& names, std::string_view text, E& out) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) {
      out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E value) noexcept {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view{};
}

}  // namespace

std::string_view to_string(ComparisonOperator value) noexcept { return name_of(comparison_operator_names, value); }
bool from_string(std::string_view text, ComparisonOperator& out) noexcept {
  return parse_name(comparison_operator_names, text, out);
}
std::string_view enum_value_set(ComparisonOperator) noexcept {
  return "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";
}
std::string_view to_string(AttributeAction value) noexcept { return name_of(attribute_action_names, value); }
bool from_string(std::string_view text, AttributeAction& out) noexcept {
  return parse_name(attribute_action_names, text, out);
}
std::string_view enum_value_set(AttributeAction) noexcept { return "[ADD, DELETE, PUT]"; }

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
