// The table-schema types of DynamoDB's API: key schema, attribute definitions, secondary
// indexes and their projections, throughput, streams, encryption, tags, and the full
// TableDescription that CreateTable, DescribeTable, UpdateTable and DeleteTable return.
//
//   using namespace dynamo::api;
//   GlobalSecondaryIndex by_views{
//       .index_name = "ViewsIndex",
//       .key_schema = {{.attribute_name = "forum", .key_type = KeyType::hash},
//                      {.attribute_name = "views", .key_type = KeyType::range}},
//       .projection = {.projection_type = ProjectionType::include,
//                      .non_key_attributes = std::vector<std::string>{"subject"}},
//   };
//
// Timestamps (CreationDateTime and the like) are seconds since the Unix epoch, with a
// fraction, as on the wire.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"

namespace dynamo::api {

struct AttributeDefinition {
  std::string attribute_name{};
  ScalarAttributeType attribute_type{};
  friend bool operator==(const AttributeDefinition&, const AttributeDefinition&) = default;
};

struct KeySchemaElement {
  std::string attribute_name{};
  KeyType key_type{};
  friend bool operator==(const KeySchemaElement&, const KeySchemaElement&) = default;
};

// Which attributes an index copies: KEYS_ONLY, INCLUDE (with NonKeyAttributes) or ALL.
struct Projection {
  std::optional<ProjectionType> projection_type{};
  std::optional<std::vector<std::string>> non_key_attributes{};
  friend bool operator==(const Projection&, const Projection&) = default;
};

struct ProvisionedThroughput {
  std::int64_t read_capacity_units{};
  std::int64_t write_capacity_units{};
  friend bool operator==(const ProvisionedThroughput&, const ProvisionedThroughput&) = default;
};

// Caps of an on-demand table or index (-1 removes a cap).
struct OnDemandThroughput {
  std::optional<std::int64_t> max_read_request_units{};
  std::optional<std::int64_t> max_write_request_units{};
  friend bool operator==(const OnDemandThroughput&, const OnDemandThroughput&) = default;
};

struct WarmThroughput {
  std::optional<std::int64_t> read_units_per_second{};
  std::optional<std::int64_t> write_units_per_second{};
  friend bool operator==(const WarmThroughput&, const WarmThroughput&) = default;
};

struct ProvisionedThroughputDescription {
  std::optional<double> last_increase_date_time{};
  std::optional<double> last_decrease_date_time{};
  std::optional<std::int64_t> number_of_decreases_today{};
  std::optional<std::int64_t> read_capacity_units{};
  std::optional<std::int64_t> write_capacity_units{};
  friend bool operator==(const ProvisionedThroughputDescription&, const ProvisionedThroughputDescription&) = default;
};

struct StreamSpecification {
  bool stream_enabled{};
  std::optional<StreamViewType> stream_view_type{};
  friend bool operator==(const StreamSpecification&, const StreamSpecification&) = default;
};

struct SSESpecification {
  std::optional<bool> enabled{};
  std::optional<SSEType> sse_type{};
  std::optional<std::string> kms_master_key_id{};
  friend bool operator==(const SSESpecification&, const SSESpecification&) = default;
};

struct SSEDescription {
  std::optional<SSEStatus> status{};
  std::optional<SSEType> sse_type{};
  std::optional<std::string> kms_master_key_arn{};
  std::optional<double> inaccessible_encryption_date_time{};
  friend bool operator==(const SSEDescription&, const SSEDescription&) = default;
};

struct Tag {
  std::string key{};
  std::string value{};
  friend bool operator==(const Tag&, const Tag&) = default;
};

struct LocalSecondaryIndex {
  std::string index_name{};
  std::vector<KeySchemaElement> key_schema{};
  Projection projection{};
  friend bool operator==(const LocalSecondaryIndex&, const LocalSecondaryIndex&) = default;
};

struct GlobalSecondaryIndex {
  std::string index_name{};
  std::vector<KeySchemaElement> key_schema{};
  Projection projection{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<WarmThroughput> warm_throughput{};
  friend bool operator==(const GlobalSecondaryIndex&, const GlobalSecondaryIndex&) = default;
};

struct LocalSecondaryIndexDescription {
  std::optional<std::string> index_name{};
  std::optional<std::vector<KeySchemaElement>> key_schema{};
  std::optional<Projection> projection{};
  std::optional<std::int64_t> index_size_bytes{};
  std::optional<std::int64_t> item_count{};
  std::optional<std::string> index_arn{};
  friend bool operator==(const LocalSecondaryIndexDescription&, const LocalSecondaryIndexDescription&) = default;
};

struct GlobalSecondaryIndexWarmThroughputDescription {
  std::optional<std::int64_t> read_units_per_second{};
  std::optional<std::int64_t> write_units_per_second{};
  std::optional<IndexStatus> status{};
  friend bool operator==(const GlobalSecondaryIndexWarmThroughputDescription&,
                         const GlobalSecondaryIndexWarmThroughputDescription&) = default;
};

struct GlobalSecondaryIndexDescription {
  std::optional<std::string> index_name{};
  std::optional<std::vector<KeySchemaElement>> key_schema{};
  std::optional<Projection> projection{};
  std::optional<IndexStatus> index_status{};
  // True while a new index is being filled from the table's existing items.
  std::optional<bool> backfilling{};
  std::optional<ProvisionedThroughputDescription> provisioned_throughput{};
  std::optional<std::int64_t> index_size_bytes{};
  std::optional<std::int64_t> item_count{};
  std::optional<std::string> index_arn{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<GlobalSecondaryIndexWarmThroughputDescription> warm_throughput{};
  friend bool operator==(const GlobalSecondaryIndexDescription&, const GlobalSecondaryIndexDescription&) = default;
};

struct BillingModeSummary {
  std::optional<BillingMode> billing_mode{};
  std::optional<double> last_update_to_pay_per_request_date_time{};
  friend bool operator==(const BillingModeSummary&, const BillingModeSummary&) = default;
};

struct TableClassSummary {
  std::optional<TableClass> table_class{};
  std::optional<double> last_update_date_time{};
  friend bool operator==(const TableClassSummary&, const TableClassSummary&) = default;
};

struct TableWarmThroughputDescription {
  std::optional<std::int64_t> read_units_per_second{};
  std::optional<std::int64_t> write_units_per_second{};
  std::optional<TableStatus> status{};
  friend bool operator==(const TableWarmThroughputDescription&, const TableWarmThroughputDescription&) = default;
};

// Everything DescribeTable says about a table. Global-table replicas, restore and archival
// summaries are not modelled (they are ignored when decoding, like any unknown member).
struct TableDescription {
  std::optional<std::vector<AttributeDefinition>> attribute_definitions{};
  std::optional<std::string> table_name{};
  std::optional<std::vector<KeySchemaElement>> key_schema{};
  std::optional<TableStatus> table_status{};
  std::optional<double> creation_date_time{};
  std::optional<ProvisionedThroughputDescription> provisioned_throughput{};
  std::optional<std::int64_t> table_size_bytes{};
  std::optional<std::int64_t> item_count{};
  std::optional<std::string> table_arn{};
  std::optional<std::string> table_id{};
  std::optional<BillingModeSummary> billing_mode_summary{};
  std::optional<std::vector<LocalSecondaryIndexDescription>> local_secondary_indexes{};
  std::optional<std::vector<GlobalSecondaryIndexDescription>> global_secondary_indexes{};
  std::optional<StreamSpecification> stream_specification{};
  std::optional<std::string> latest_stream_label{};
  std::optional<std::string> latest_stream_arn{};
  std::optional<SSEDescription> sse_description{};
  std::optional<TableClassSummary> table_class_summary{};
  std::optional<bool> deletion_protection_enabled{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<TableWarmThroughputDescription> warm_throughput{};
  friend bool operator==(const TableDescription&, const TableDescription&) = default;
};

// One entry of UpdateTable's GlobalSecondaryIndexUpdates: exactly one of the three is set.
struct CreateGlobalSecondaryIndexAction {
  std::string index_name{};
  std::vector<KeySchemaElement> key_schema{};
  Projection projection{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<WarmThroughput> warm_throughput{};
  friend bool operator==(const CreateGlobalSecondaryIndexAction&, const CreateGlobalSecondaryIndexAction&) = default;
};

struct UpdateGlobalSecondaryIndexAction {
  std::string index_name{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::optional<OnDemandThroughput> on_demand_throughput{};
  std::optional<WarmThroughput> warm_throughput{};
  friend bool operator==(const UpdateGlobalSecondaryIndexAction&, const UpdateGlobalSecondaryIndexAction&) = default;
};

struct DeleteGlobalSecondaryIndexAction {
  std::string index_name{};
  friend bool operator==(const DeleteGlobalSecondaryIndexAction&, const DeleteGlobalSecondaryIndexAction&) = default;
};

struct GlobalSecondaryIndexUpdate {
  std::optional<CreateGlobalSecondaryIndexAction> create{};
  std::optional<UpdateGlobalSecondaryIndexAction> update{};
  std::optional<DeleteGlobalSecondaryIndexAction> delete_{};  // wire name "Delete"
  friend bool operator==(const GlobalSecondaryIndexUpdate&, const GlobalSecondaryIndexUpdate&) = default;
};

}  // namespace dynamo::api
