// Internal: wire descriptions of the table-schema types (see wire.hpp).
#pragma once

#include "api/wire.hpp"
#include "dynamo/api/table_types.hpp"

namespace dynamo::api::wire {

template <class V>
void describe(V& v, AttributeDefinition& s) {
  v("AttributeName", s.attribute_name, required);
  v("AttributeType", s.attribute_type, required);
}

template <class V>
void describe(V& v, KeySchemaElement& s) {
  v("AttributeName", s.attribute_name, required);
  v("KeyType", s.key_type, required);
}

template <class V>
void describe(V& v, Projection& s) {
  v("ProjectionType", s.projection_type);
  v("NonKeyAttributes", s.non_key_attributes);
}

template <class V>
void describe(V& v, ProvisionedThroughput& s) {
  v("ReadCapacityUnits", s.read_capacity_units, required);
  v("WriteCapacityUnits", s.write_capacity_units, required);
}

template <class V>
void describe(V& v, OnDemandThroughput& s) {
  v("MaxReadRequestUnits", s.max_read_request_units);
  v("MaxWriteRequestUnits", s.max_write_request_units);
}

template <class V>
void describe(V& v, WarmThroughput& s) {
  v("ReadUnitsPerSecond", s.read_units_per_second);
  v("WriteUnitsPerSecond", s.write_units_per_second);
}

template <class V>
void describe(V& v, ProvisionedThroughputDescription& s) {
  v("LastIncreaseDateTime", s.last_increase_date_time);
  v("LastDecreaseDateTime", s.last_decrease_date_time);
  v("NumberOfDecreasesToday", s.number_of_decreases_today);
  v("ReadCapacityUnits", s.read_capacity_units);
  v("WriteCapacityUnits", s.write_capacity_units);
}

template <class V>
void describe(V& v, StreamSpecification& s) {
  v("StreamEnabled", s.stream_enabled, required);
  v("StreamViewType", s.stream_view_type);
}

template <class V>
void describe(V& v, SSESpecification& s) {
  v("Enabled", s.enabled);
  v("SSEType", s.sse_type);
  v("KMSMasterKeyId", s.kms_master_key_id);
}

template <class V>
void describe(V& v, SSEDescription& s) {
  v("Status", s.status);
  v("SSEType", s.sse_type);
  v("KMSMasterKeyArn", s.kms_master_key_arn);
  v("InaccessibleEncryptionDateTime", s.inaccessible_encryption_date_time);
}

template <class V>
void describe(V& v, Tag& s) {
  v("Key", s.key, required);
  v("Value", s.value, required);
}

template <class V>
void describe(V& v, LocalSecondaryIndex& s) {
  v("IndexName", s.index_name, required);
  v("KeySchema", s.key_schema, required);
  v("Projection", s.projection, required);
}

template <class V>
void describe(V& v, GlobalSecondaryIndex& s) {
  v("IndexName", s.index_name, required);
  v("KeySchema", s.key_schema, required);
  v("Projection", s.projection, required);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("OnDemandThroughput", s.on_demand_throughput);
  v("WarmThroughput", s.warm_throughput);
}

template <class V>
void describe(V& v, LocalSecondaryIndexDescription& s) {
  v("IndexName", s.index_name);
  v("KeySchema", s.key_schema);
  v("Projection", s.projection);
  v("IndexSizeBytes", s.index_size_bytes);
  v("ItemCount", s.item_count);
  v("IndexArn", s.index_arn);
}

template <class V>
void describe(V& v, GlobalSecondaryIndexWarmThroughputDescription& s) {
  v("ReadUnitsPerSecond", s.read_units_per_second);
  v("WriteUnitsPerSecond", s.write_units_per_second);
  v("Status", s.status);
}

template <class V>
void describe(V& v, GlobalSecondaryIndexDescription& s) {
  v("IndexName", s.index_name);
  v("KeySchema", s.key_schema);
  v("Projection", s.projection);
  v("IndexStatus", s.index_status);
  v("Backfilling", s.backfilling);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("IndexSizeBytes", s.index_size_bytes);
  v("ItemCount", s.item_count);
  v("IndexArn", s.index_arn);
  v("OnDemandThroughput", s.on_demand_throughput);
  v("WarmThroughput", s.warm_throughput);
}

template <class V>
void describe(V& v, BillingModeSummary& s) {
  v("BillingMode", s.billing_mode);
  v("LastUpdateToPayPerRequestDateTime", s.last_update_to_pay_per_request_date_time);
}

template <class V>
void describe(V& v, TableClassSummary& s) {
  v("TableClass", s.table_class);
  v("LastUpdateDateTime", s.last_update_date_time);
}

template <class V>
void describe(V& v, TableWarmThroughputDescription& s) {
  v("ReadUnitsPerSecond", s.read_units_per_second);
  v("WriteUnitsPerSecond", s.write_units_per_second);
  v("Status", s.status);
}

template <class V>
void describe(V& v, TableDescription& s) {
  v("AttributeDefinitions", s.attribute_definitions);
  v("TableName", s.table_name);
  v("KeySchema", s.key_schema);
  v("TableStatus", s.table_status);
  v("CreationDateTime", s.creation_date_time);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("TableSizeBytes", s.table_size_bytes);
  v("ItemCount", s.item_count);
  v("TableArn", s.table_arn);
  v("TableId", s.table_id);
  v("BillingModeSummary", s.billing_mode_summary);
  v("LocalSecondaryIndexes", s.local_secondary_indexes);
  v("GlobalSecondaryIndexes", s.global_secondary_indexes);
  v("StreamSpecification", s.stream_specification);
  v("LatestStreamLabel", s.latest_stream_label);
  v("LatestStreamArn", s.latest_stream_arn);
  v("SSEDescription", s.sse_description);
  v("TableClassSummary", s.table_class_summary);
  v("DeletionProtectionEnabled", s.deletion_protection_enabled);
  v("OnDemandThroughput", s.on_demand_throughput);
  v("WarmThroughput", s.warm_throughput);
}

template <class V>
void describe(V& v, CreateGlobalSecondaryIndexAction& s) {
  v("IndexName", s.index_name, required);
  v("KeySchema", s.key_schema, required);
  v("Projection", s.projection, required);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("OnDemandThroughput", s.on_demand_throughput);
  v("WarmThroughput", s.warm_throughput);
}

template <class V>
void describe(V& v, UpdateGlobalSecondaryIndexAction& s) {
  v("IndexName", s.index_name, required);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("OnDemandThroughput", s.on_demand_throughput);
  v("WarmThroughput", s.warm_throughput);
}

template <class V>
void describe(V& v, DeleteGlobalSecondaryIndexAction& s) {
  v("IndexName", s.index_name, required);
}

template <class V>
void describe(V& v, GlobalSecondaryIndexUpdate& s) {
  v("Update", s.update);
  v("Create", s.create);
  v("Delete", s.delete_);
}

}  // namespace dynamo::api::wire
