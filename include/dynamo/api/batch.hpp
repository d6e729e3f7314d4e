// Requests and responses of BatchGetItem and BatchWriteItem. Both are keyed by table name
// and both may hand back work the service did not do (UnprocessedKeys/UnprocessedItems),
// shaped exactly like the request so it can be sent again.
//
//   using namespace dynamo::api;
//   BatchWriteItemRequest write{.request_items = {
//       {"Thread", {WriteRequest{.put_request = PutRequest{.item = {{"forum", "C++"}, {"subject", "A"}}}},
//                   WriteRequest{.delete_request = DeleteRequest{.key = {{"forum", "C++"}, {"subject", "B"}}}}}},
//   }};
//   // retry: write.request_items = *response.unprocessed_items;
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"

namespace dynamo::api {

// The keys to read from one table, and how.
struct KeysAndAttributes {
  std::vector<Item> keys{};
  std::optional<std::vector<std::string>> attributes_to_get{};  // legacy
  std::optional<bool> consistent_read{};
  std::optional<std::string> projection_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  friend bool operator==(const KeysAndAttributes&, const KeysAndAttributes&) = default;
};

struct BatchGetItemRequest {
  std::map<std::string, KeysAndAttributes> request_items{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  friend bool operator==(const BatchGetItemRequest&, const BatchGetItemRequest&) = default;
};

struct BatchGetItemResponse {
  std::optional<std::map<std::string, std::vector<Item>>> responses{};
  std::optional<std::map<std::string, KeysAndAttributes>> unprocessed_keys{};
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity{};
  friend bool operator==(const BatchGetItemResponse&, const BatchGetItemResponse&) = default;
};

struct PutRequest {
  Item item{};
  friend bool operator==(const PutRequest&, const PutRequest&) = default;
};

struct DeleteRequest {
  Item key{};
  friend bool operator==(const DeleteRequest&, const DeleteRequest&) = default;
};

// One write of a batch: exactly one of the two is set.
struct WriteRequest {
  std::optional<PutRequest> put_request{};
  std::optional<DeleteRequest> delete_request{};
  friend bool operator==(const WriteRequest&, const WriteRequest&) = default;
};

struct BatchWriteItemRequest {
  std::map<std::string, std::vector<WriteRequest>> request_items{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics{};
  friend bool operator==(const BatchWriteItemRequest&, const BatchWriteItemRequest&) = default;
};

struct BatchWriteItemResponse {
  std::optional<std::map<std::string, std::vector<WriteRequest>>> unprocessed_items{};
  std::optional<std::map<std::string, std::vector<ItemCollectionMetrics>>> item_collection_metrics{};
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity{};
  friend bool operator==(const BatchWriteItemResponse&, const BatchWriteItemResponse&) = default;
};

}  // namespace dynamo::api
