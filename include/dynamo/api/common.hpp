// Building blocks shared by the API's requests and responses: consumed capacity, item
// collection metrics, expression attribute maps, and raw JSON for unmodelled parameters.
//
//   dynamo::api::ConsumedCapacity cc{.table_name = "Thread", .capacity_units = 1.5,
//                                    .table = dynamo::api::Capacity{.capacity_units = 1.0}};
//   dynamo::api::ExpressionAttributeNames names{{"#v", "views"}};
//
// Conventions of every API struct: a member the API reference marks "Required: Yes" is a
// plain member (always written); every other member is a std::optional, written only when
// set, so that "absent" and "present but empty" survive a round trip through JSON exactly.
// Members are snake_case spellings of the wire names (TableName -> table_name).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/value/attribute_value.hpp"

namespace dynamo::api {

// ExpressionAttributeNames: "#placeholder" -> attribute name.
using ExpressionAttributeNames = std::map<std::string, std::string>;
// ExpressionAttributeValues: ":placeholder" -> value (an AttributeMap keeps them sorted).
using ExpressionAttributeValues = AttributeMap;

// A JSON value carried verbatim (minified), for a parameter dynamo does not model:
// UpdateTable's ReplicaUpdates (see docs/api.md).
// Decoding checks that it is a JSON object; encoding writes `text` as is, after checking
// that it parses.
struct RawJson {
  std::string text{};
  friend bool operator==(const RawJson&, const RawJson&) = default;
};

// The capacity consumed on one table or index.
struct Capacity {
  std::optional<double> read_capacity_units{};
  std::optional<double> write_capacity_units{};
  std::optional<double> capacity_units{};
  friend bool operator==(const Capacity&, const Capacity&) = default;
};

// ConsumedCapacity: totals, and with ReturnConsumedCapacity=INDEXES the per-index breakdown.
struct ConsumedCapacity {
  std::optional<std::string> table_name{};
  std::optional<double> capacity_units{};
  std::optional<double> read_capacity_units{};
  std::optional<double> write_capacity_units{};
  std::optional<Capacity> table{};
  std::optional<std::map<std::string, Capacity>> local_secondary_indexes{};
  std::optional<std::map<std::string, Capacity>> global_secondary_indexes{};
  friend bool operator==(const ConsumedCapacity&, const ConsumedCapacity&) = default;
};

// ItemCollectionMetrics (tables with local secondary indexes, ReturnItemCollectionMetrics=SIZE).
struct ItemCollectionMetrics {
  std::optional<Item> item_collection_key{};
  // Lower and upper bound of the collection's size estimate, in GB.
  std::optional<std::vector<double>> size_estimate_range_gb{};
  friend bool operator==(const ItemCollectionMetrics&, const ItemCollectionMetrics&) = default;
};

}  // namespace dynamo::api
