// Requests and responses of Query and Scan.
//
//   using namespace dynamo::api;
//   QueryRequest q{
//       .table_name = "Thread",
//       .limit = 10,
//       .scan_index_forward = false,
//       .key_condition_expression = "forum = :f AND begins_with(subject, :p)",
//       .expression_attribute_values = ExpressionAttributeValues{{":f", "C++"}, {":p", "M"}},
//   };
//   // Page on: q.exclusive_start_key = response.last_evaluated_key;
//
// Legacy parameters (AttributesToGet, KeyConditions, QueryFilter, ScanFilter,
// ConditionalOperator) are typed too; their shapes are in dynamo/api/legacy.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"
#include "dynamo/api/legacy.hpp"

namespace dynamo::api {

struct QueryRequest {
  std::string table_name{};
  std::optional<std::string> index_name{};
  std::optional<Select> select{};
  std::optional<std::vector<std::string>> attributes_to_get{};  // legacy
  std::optional<int> limit{};
  std::optional<bool> consistent_read{};
  std::optional<ConditionMap> key_conditions{};               // legacy
  std::optional<ConditionMap> query_filter{};                 // legacy
  std::optional<ConditionalOperator> conditional_operator{};  // legacy
  std::optional<bool> scan_index_forward{};
  std::optional<Item> exclusive_start_key{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<std::string> projection_expression{};
  std::optional<std::string> filter_expression{};
  std::optional<std::string> key_condition_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  friend bool operator==(const QueryRequest&, const QueryRequest&) = default;
};

struct QueryResponse {
  std::optional<std::vector<Item>> items{};
  std::optional<int> count{};
  std::optional<int> scanned_count{};
  std::optional<Item> last_evaluated_key{};
  std::optional<ConsumedCapacity> consumed_capacity{};
  friend bool operator==(const QueryResponse&, const QueryResponse&) = default;
};

struct ScanRequest {
  std::string table_name{};
  std::optional<std::string> index_name{};
  std::optional<std::vector<std::string>> attributes_to_get{};  // legacy
  std::optional<int> limit{};
  std::optional<Select> select{};
  std::optional<ConditionMap> scan_filter{};                  // legacy
  std::optional<ConditionalOperator> conditional_operator{};  // legacy
  std::optional<Item> exclusive_start_key{};
  std::optional<ReturnConsumedCapacity> return_consumed_capacity{};
  std::optional<int> total_segments{};
  std::optional<int> segment{};
  std::optional<std::string> projection_expression{};
  std::optional<std::string> filter_expression{};
  std::optional<ExpressionAttributeNames> expression_attribute_names{};
  std::optional<ExpressionAttributeValues> expression_attribute_values{};
  std::optional<bool> consistent_read{};
  friend bool operator==(const ScanRequest&, const ScanRequest&) = default;
};

struct ScanResponse {
  std::optional<std::vector<Item>> items{};
  std::optional<int> count{};
  std::optional<int> scanned_count{};
  std::optional<Item> last_evaluated_key{};
  std::optional<ConsumedCapacity> consumed_capacity{};
  friend bool operator==(const ScanResponse&, const ScanResponse&) = default;
};

}  // namespace dynamo::api
