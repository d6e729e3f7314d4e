// Codec of the table operations (CreateTable, DeleteTable, DescribeTable, ListTables,
// UpdateTable) and of UpdateTimeToLive/DescribeTimeToLive.
#include "api/describe_tables.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, CreateTableRequest& s) {
  // Not `required`: CreateTable refuses a missing TableName before any constraint, in its own
  // words ("The parameter 'TableName' is required but was not present in the request"), which
  // the engine gives for the empty name the decoder leaves.
  v("TableName", s.table_name);
  v("AttributeDefinitions", s.attribute_definitions, required);
  v("KeySchema", s.key_schema, required);
  v("LocalSecondaryIndexes", s.local_secondary_indexes);
  v("GlobalSecondaryIndexes", s.global_secondary_indexes);
  v("BillingMode", s.billing_mode);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("StreamSpecification", s.stream_specification);
  v("SSESpecification", s.sse_specification);
  v("Tags", s.tags);
  v("TableClass", s.table_class);
  v("DeletionProtectionEnabled", s.deletion_protection_enabled);
  v("WarmThroughput", s.warm_throughput);
  v("ResourcePolicy", s.resource_policy);
  v("OnDemandThroughput", s.on_demand_throughput);
}

template <class V>
void describe(V& v, CreateTableResponse& s) {
  v("TableDescription", s.table_description);
}

template <class V>
void describe(V& v, DeleteTableRequest& s) {
  v("TableName", s.table_name, required);
}

template <class V>
void describe(V& v, DeleteTableResponse& s) {
  v("TableDescription", s.table_description);
}

template <class V>
void describe(V& v, DescribeTableRequest& s) {
  v("TableName", s.table_name, required);
}

template <class V>
void describe(V& v, DescribeTableResponse& s) {
  v("Table", s.table);
}

template <class V>
void describe(V& v, ListTablesRequest& s) {
  v("ExclusiveStartTableName", s.exclusive_start_table_name);
  v("Limit", s.limit);
}

template <class V>
void describe(V& v, ListTablesResponse& s) {
  v("TableNames", s.table_names);
  v("LastEvaluatedTableName", s.last_evaluated_table_name);
}

template <class V>
void describe(V& v, UpdateTableRequest& s) {
  v("TableName", s.table_name, required);
  v("AttributeDefinitions", s.attribute_definitions);
  v("BillingMode", s.billing_mode);
  v("ProvisionedThroughput", s.provisioned_throughput);
  v("GlobalSecondaryIndexUpdates", s.global_secondary_index_updates);
  v("StreamSpecification", s.stream_specification);
  v("SSESpecification", s.sse_specification);
  v("ReplicaUpdates", s.replica_updates);
  v("TableClass", s.table_class);
  v("DeletionProtectionEnabled", s.deletion_protection_enabled);
  v("OnDemandThroughput", s.on_demand_throughput);
  v("WarmThroughput", s.warm_throughput);
}

template <class V>
void describe(V& v, UpdateTableResponse& s) {
  v("TableDescription", s.table_description);
}

template <class V>
void describe(V& v, TimeToLiveSpecification& s) {
  v("Enabled", s.enabled, required);
  v("AttributeName", s.attribute_name, required);
}

template <class V>
void describe(V& v, TimeToLiveDescription& s) {
  v("TimeToLiveStatus", s.time_to_live_status);
  v("AttributeName", s.attribute_name);
}

template <class V>
void describe(V& v, UpdateTimeToLiveRequest& s) {
  v("TableName", s.table_name, required);
  v("TimeToLiveSpecification", s.time_to_live_specification, required);
}

template <class V>
void describe(V& v, UpdateTimeToLiveResponse& s) {
  v("TimeToLiveSpecification", s.time_to_live_specification);
}

template <class V>
void describe(V& v, DescribeTimeToLiveRequest& s) {
  v("TableName", s.table_name, required);
}

template <class V>
void describe(V& v, DescribeTimeToLiveResponse& s) {
  v("TimeToLiveDescription", s.time_to_live_description);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(CreateTableRequest, true)
DYNAMO_API_DEFINE_CODEC(CreateTableResponse, false)
DYNAMO_API_DEFINE_CODEC(DeleteTableRequest, true)
DYNAMO_API_DEFINE_CODEC(DeleteTableResponse, false)
DYNAMO_API_DEFINE_CODEC(DescribeTableRequest, true)
DYNAMO_API_DEFINE_CODEC(DescribeTableResponse, false)
DYNAMO_API_DEFINE_CODEC(ListTablesRequest, true)
DYNAMO_API_DEFINE_CODEC(ListTablesResponse, false)
DYNAMO_API_DEFINE_CODEC(UpdateTableRequest, true)
DYNAMO_API_DEFINE_CODEC(UpdateTableResponse, false)
DYNAMO_API_DEFINE_CODEC(UpdateTimeToLiveRequest, true)
DYNAMO_API_DEFINE_CODEC(UpdateTimeToLiveResponse, false)
DYNAMO_API_DEFINE_CODEC(DescribeTimeToLiveRequest, true)
DYNAMO_API_DEFINE_CODEC(DescribeTimeToLiveResponse, false)

}  // namespace dynamo::api
