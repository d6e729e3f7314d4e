// Requests and responses of TransactGetItems and TransactWriteItems. The actions are named
// TransactGet/TransactPut/... here (the API calls them Get/Put/Update/Delete/ConditionCheck)
// so that they do not read like verbs or clash with dynamo::expr::Update.
//
//   using namespace dynamo::api;
//   TransactWriteItemsRequest tx{
//       .transact_items = {
//           {.condition_check = TransactConditionCheck{.key = {{"id", "acct-1"}}, .table_name = "Accounts",
//                                                      .condition_expression = "attribute_exists(id)"}},
//           {.put = TransactPut{.item = {{"id", "order-9"}}, .table_name = "Orders"}},
//       },
//       .client_request_token = "order-9",
//   };
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"

namespace dynamo::api {

struct TransactGet {
  Item key{};
  std::string table_name{};
  std::optional<std::string> projection_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  friend bool operator==(const TransactGet&, const TransactGet&) = default;
};

struct TransactGetItem {
  TransactGet get{};  // wire name "Get"
  friend bool operator==(const TransactGetItem&, const TransactGetItem&) = default;
};

struct TransactGetItemsRequest {
  std::vector<TransactGetItem> transact_items{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  friend bool operator==(const TransactGetItemsRequest&, const TransactGetItemsRequest&) = default;
};

// One entry of TransactGetItems' Responses, in request order; Item absent when not found.
struct ItemResponse {
  std::optional<Item> item{};
  friend bool operator==(const ItemResponse&, const ItemResponse&) = default;
};

struct TransactGetItemsResponse {
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity{};
  std::optional<std::vector<ItemResponse>> responses{};
  friend bool operator==(const TransactGetItemsResponse&, const TransactGetItemsResponse&) = default;
};

struct TransactConditionCheck {
  Item key{};
  std::string table_name{};
  std::string condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const TransactConditionCheck&, const TransactConditionCheck&) = default;
};

struct TransactPut {
  Item item{};
  std::string table_name{};
  std::optional<std::string> condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const TransactPut&, const TransactPut&) = default;
};

struct TransactDelete {
  Item key{};
  std::string table_name{};
  std::optional<std::string> condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const TransactDelete&, const TransactDelete&) = default;
};

struct TransactUpdate {
  Item key{};
  std::string update_expression{};
  std::string table_name{};
  std::optional<std::string> condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure{};
  friend bool operator==(const TransactUpdate&, const TransactUpdate&) = default;
};

// One action of TransactWriteItems: exactly one of the four is set (the engine checks).
struct TransactWriteItem {
  std::optional<TransactConditionCheck> condition_check{};  // wire name "ConditionCheck"
  std::optional<TransactPut> put{};                         // "Put"
  std::optional<TransactDelete> delete_{};                  // "Delete"
  std::optional<TransactUpdate> update{};                   // "Update"
  friend bool operator==(const TransactWriteItem&, const TransactWriteItem&) = default;
};

struct TransactWriteItemsRequest {
  std::vector<TransactWriteItem> transact_items{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics{};
  // Makes the call idempotent for 10 minutes.
  std::optional<std::string> client_request_token{};
  friend bool operator==(const TransactWriteItemsRequest&, const TransactWriteItemsRequest&) = default;
};

struct TransactWriteItemsResponse {
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity{};
  std::optional<std::map<std::string, std::vector<ItemCollectionMetrics>>> item_collection_metrics{};
  friend bool operator==(const TransactWriteItemsResponse&, const TransactWriteItemsResponse&) = default;
};

}  // namespace dynamo::api
