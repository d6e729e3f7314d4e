// Requests and responses of the table operations: CreateTable, DeleteTable, DescribeTable,
// ListTables, UpdateTable.
//
//   using namespace dynamo::api;
//   CreateTableRequest create{
//       .table_name = "Thread",
//       .attribute_definitions = {{"forum", ScalarAttributeType::s}, {"subject", ScalarAttributeType::s}},
//       .key_schema = {{"forum", KeyType::hash}, {"subject", KeyType::range}},
//       .billing_mode = BillingMode::pay_per_request,
//   };
//   std::string body = encode(create);   // dynamo/api/codec.hpp
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/table_types.hpp"

namespace dynamo::api {

struct CreateTableRequest {
  std::string table_name{};
  std::vector<AttributeDefinition> attribute_definitions{};
  std::vector<KeySchemaElement> key_schema{};
  std::optional<std::vector<LocalSecondaryIndex>> local_secondary_indexes{};
  std::optional<std::vector<GlobalSecondaryIndex>> global_secondary_indexes{};
  std::optional<BillingMode> billing_mode{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::optional<StreamSpecification> stream_specification{};
  std::optional<SSESpecification> sse_specification{};
  std::optional<std::vector<Tag>> tags{};
  std::optional<TableClass> table_class{};
  std::optional<bool> deletion_protection_enabled{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<WarmThroughput> warm_throughput{};
  // A resource-based policy document (JSON text, carried as a string as on the wire).
  std::optional<std::string> resource_policy{};
  friend bool operator==(const CreateTableRequest&, const CreateTableRequest&) = default;
};

struct CreateTableResponse {
  std::optional<TableDescription> table_description{};
  friend bool operator==(const CreateTableResponse&, const CreateTableResponse&) = default;
};

struct DeleteTableRequest {
  std::string table_name{};
  friend bool operator==(const DeleteTableRequest&, const DeleteTableRequest&) = default;
};

struct DeleteTableResponse {
  std::optional<TableDescription> table_description{};
  friend bool operator==(const DeleteTableResponse&, const DeleteTableResponse&) = default;
};

struct DescribeTableRequest {
  std::string table_name{};
  friend bool operator==(const DescribeTableRequest&, const DescribeTableRequest&) = default;
};

struct DescribeTableResponse {
  std::optional<TableDescription> table{};  // wire name "Table"
  friend bool operator==(const DescribeTableResponse&, const DescribeTableResponse&) = default;
};

struct ListTablesRequest {
  std::optional<std::string> exclusive_start_table_name{};
  std::optional<int> limit{};
  friend bool operator==(const ListTablesRequest&, const ListTablesRequest&) = default;
};

struct ListTablesResponse {
  std::optional<std::vector<std::string>> table_names{};
  std::optional<std::string> last_evaluated_table_name{};
  friend bool operator==(const ListTablesResponse&, const ListTablesResponse&) = default;
};

struct UpdateTableRequest {
  std::string table_name{};
  std::optional<std::vector<AttributeDefinition>> attribute_definitions{};
  std::optional<BillingMode> billing_mode{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::optional<std::vector<GlobalSecondaryIndexUpdate>> global_secondary_index_updates{};
  std::optional<StreamSpecification> stream_specification{};
  std::optional<SSESpecification> sse_specification{};
  // Global-table replica changes, carried verbatim (dynamo does not model global tables).
  std::optional<RawJson> replica_updates{};
  std::optional<TableClass> table_class{};
  std::optional<bool> deletion_protection_enabled{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<WarmThroughput> warm_throughput{};
  friend bool operator==(const UpdateTableRequest&, const UpdateTableRequest&) = default;
};

struct UpdateTableResponse {
  std::optional<TableDescription> table_description{};
  friend bool operator==(const UpdateTableResponse&, const UpdateTableResponse&) = default;
};

}  // namespace dynamo::api
