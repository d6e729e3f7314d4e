// Requests and responses of the single-item operations: GetItem, PutItem, UpdateItem,
// DeleteItem. Expressions are strings at this level (dynamo/expr renders and parses them).
//
//   using namespace dynamo::api;
//   PutItemRequest put{
//       .table_name = "Thread",
//       .item = {{"forum", "C++"}, {"subject", "Modules"}, {"views", 0}},
//       .condition_expression = "attribute_not_exists(forum)",
//   };
//   UpdateItemRequest update{
//       .table_name = "Thread",
//       .key = {{"forum", "C++"}, {"subject", "Modules"}},
//       .return_values = ReturnValue::updated_new,
//       .update_expression = "SET #v = #v + :one",
//       .expression_attribute_names = ExpressionAttributeNames{{"#v", "views"}},
//       .expression_attribute_values = ExpressionAttributeValues{{":one", 1}},
//   };
//
// Legacy parameters (AttributesToGet, Expected, AttributeUpdates, ConditionalOperator) are
// typed too; their shapes are in dynamo/api/legacy.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"
#include "dynamo/api/legacy.hpp"

namespace dynamo::api {

struct GetItemRequest {
  std::string table_name{};
  Item key{};
  std::optional<std::vector<std::string>> attributes_to_get{};  // legacy
  std::optional<bool> consistent_read{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<std::string> projection_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  friend bool operator==(const GetItemRequest&, const GetItemRequest&) = default;
};

struct GetItemResponse {
  std::optional<Item> item{};  // absent when no item has the key
  std::optional<ConsumedCapacity> consumed_capacity{};
  friend bool operator==(const GetItemResponse&, const GetItemResponse&) = default;
};

struct PutItemRequest {
  std::string table_name{};
  Item item{};
  std::optional<ExpectedMap> expected{};  // legacy
  std::optional<ReturnValue> return_values{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics{};
  std::optional<ConditionalOperator> conditional_operator{};  // legacy
  std::optional<std::string> condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const PutItemRequest&, const PutItemRequest&) = default;
};

struct PutItemResponse {
  std::optional<Item> attributes{};
  std::optional<ConsumedCapacity> consumed_capacity{};
  std::optional<ItemCollectionMetrics> item_collection_metrics{};
  friend bool operator==(const PutItemResponse&, const PutItemResponse&) = default;
};

struct UpdateItemRequest {
  std::string table_name{};
  Item key{};
  std::optional<AttributeUpdateMap> attribute_updates{};  // legacy
  std::optional<ExpectedMap> expected{};       // legacy
  std::optional<ConditionalOperator> conditional_operator{};  // legacy
  std::optional<ReturnValue> return_values{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics{};
  std::optional<std::string> update_expression{};
  std::optional<std::string> condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const UpdateItemRequest&, const UpdateItemRequest&) = default;
};

struct UpdateItemResponse {
  std::optional<Item> attributes{};
  std::optional<ConsumedCapacity> consumed_capacity{};
  std::optional<ItemCollectionMetrics> item_collection_metrics{};
  friend bool operator==(const UpdateItemResponse&, const UpdateItemResponse&) = default;
};

struct DeleteItemRequest {
  std::string table_name{};
  Item key{};
  std::optional<ExpectedMap> expected{};                      // legacy
  std::optional<ConditionalOperator> conditional_operator{};  // legacy
  std::optional<ReturnValue> return_values{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics{};
  std::optional<std::string> condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const DeleteItemRequest&, const DeleteItemRequest&) = default;
};

struct DeleteItemResponse {
  std::optional<Item> attributes{};
  std::optional<ConsumedCapacity> consumed_capacity{};
  std::optional<ItemCollectionMetrics> item_collection_metrics{};
  friend bool operator==(const DeleteItemResponse&, const DeleteItemResponse&) = default;
};

}  // namespace dynamo::api
