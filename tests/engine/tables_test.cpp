// CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable and TTL settings.
#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

// A created table is ACTIVE at once and described with ARN, key schema and zero counts.
TEST(EngineTables, CreateAndDescribe) {
  Engine engine(quiet_options());
  auto created = engine.create_table(table_request("Thread", ScalarAttributeType::s));
  ASSERT_TRUE(created.table_description);
  EXPECT_EQ(created.table_description->table_status, TableStatus::active);
  auto described = engine.describe_table({.table_name = "Thread"}).table.value();
  EXPECT_EQ(described.table_arn, "arn:aws:dynamodb:us-east-1:000000000000:table/Thread");
  EXPECT_EQ(described.item_count, 0);
  EXPECT_EQ(described.table_size_bytes, 0);
  EXPECT_EQ(described.key_schema->size(), 2u);
  EXPECT_EQ(described.billing_mode_summary->billing_mode, BillingMode::pay_per_request);
  put(engine, "Thread", {{"pk", "a"}, {"sk", "b"}, {"n", 1}});
  described = engine.describe_table({.table_name = "Thread"}).table.value();
  EXPECT_EQ(described.item_count, 1);
  EXPECT_EQ(described.table_size_bytes, static_cast<std::int64_t>(item_size({{"pk", "a"}, {"sk", "b"}, {"n", 1}})));
}

// Creating a table twice is ResourceInUseException.
TEST(EngineTables, CreateExistingIsInUse) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Thread"));
  EXPECT_DYNAMO_ERROR(engine.create_table(table_request("Thread")), "ResourceInUseException",
                      "Table already exists: Thread");
}

// Table names are 3-255 characters of [A-Za-z0-9_.-], reported as constraint violations.
TEST(EngineTables, TableNameRules) {
  Engine engine(quiet_options());
  EXPECT_DYNAMO_ERROR(engine.create_table(table_request("ab")), validation,
                      "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 3");
  EXPECT_DYNAMO_ERROR(engine.describe_table({.table_name = "a!"}), validation,
                      "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member "
                      "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to "
                      "satisfy constraint: Member must have length greater than or equal to 3");
  EXPECT_DYNAMO_ERROR(engine.create_table(table_request(std::string(256, 'x'))), validation,
                      "1 validation error detected: Value '" + std::string(256, 'x') +
                          "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255");
  (void)engine.create_table(table_request("a.b-c_D9"));
}

// Exactly the key attributes must be defined.
TEST(EngineTables, AttributeDefinitionsMustMatchKeys) {
  Engine engine(quiet_options());
  auto extra = table_request("Thread");
  extra.attribute_definitions.push_back({"other", ScalarAttributeType::n});
  EXPECT_DYNAMO_ERROR(engine.create_table(extra), validation,
                      "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                      "match number of attributes defined in AttributeDefinitions");
  // Fewer definitions than table key elements, without indexes: the service's KeySchema
  // message (dynalite's and moto's createTable checks, written against it).
  auto missing = table_request("Thread");
  missing.attribute_definitions.clear();
  EXPECT_DYNAMO_ERROR(engine.create_table(missing), validation,
                      "Invalid KeySchema: Some index key attribute have no definition");
  // As many definitions as keys, naming another attribute: the definitions are listed.
  auto misnamed = table_request("Thread");
  misnamed.attribute_definitions = {{"typo", ScalarAttributeType::s}};
  EXPECT_DYNAMO_ERROR(engine.create_table(misnamed), validation,
                      "One or more parameter values were invalid: Some index key attributes are not defined in "
                      "AttributeDefinitions. Keys: [pk], AttributeDefinitions: [typo]");
  auto with_gsi = table_request("Thread");
  with_gsi.attribute_definitions.push_back({"g", ScalarAttributeType::s});
  with_gsi.attribute_definitions.push_back({"unused", ScalarAttributeType::s});
  with_gsi.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "byG", .key_schema = {{"g", KeyType::hash}}, .projection = {.projection_type = ProjectionType::all}}};
  EXPECT_DYNAMO_ERROR(engine.create_table(with_gsi), validation,
                      "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                      "AttributeDefinitions: [pk, g, unused], keys used: [g, pk]");
  auto range_first = table_request("Thread", ScalarAttributeType::s);
  std::swap(range_first.key_schema[0], range_first.key_schema[1]);
  EXPECT_DYNAMO_ERROR(engine.create_table(range_first), validation,
                      "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
}

// Billing mode decides whether ProvisionedThroughput is required or forbidden.
TEST(EngineTables, BillingModeRules) {
  Engine engine(quiet_options());
  auto provisioned = table_request("Thread");
  provisioned.billing_mode.reset();
  EXPECT_DYNAMO_ERROR(engine.create_table(provisioned), validation,
                      "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both "
                      "be specified when BillingMode is PROVISIONED");
  auto on_demand = table_request("Thread");
  on_demand.provisioned_throughput = ProvisionedThroughput{5, 5};
  EXPECT_DYNAMO_ERROR(engine.create_table(on_demand), validation,
                      "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can "
                      "be specified when BillingMode is PAY_PER_REQUEST");
  provisioned.provisioned_throughput = ProvisionedThroughput{5, 7};
  auto d = engine.create_table(provisioned).table_description.value();
  EXPECT_EQ(d.provisioned_throughput->read_capacity_units, 5);
  EXPECT_EQ(d.provisioned_throughput->write_capacity_units, 7);
}

// Index limits: at most 5 LSIs (sharing the table's partition key) and 20 GSIs.
TEST(EngineTables, IndexLimits) {
  Engine engine(quiet_options());
  auto request = table_request("Thread", ScalarAttributeType::s);
  std::vector<LocalSecondaryIndex> lsis;
  for (int i = 0; i < 6; ++i) {
    const std::string attr = "l" + std::to_string(i);
    request.attribute_definitions.push_back({attr, ScalarAttributeType::s});
    lsis.push_back({.index_name = "lsi" + std::to_string(i),
                    .key_schema = {{"pk", KeyType::hash}, {attr, KeyType::range}},
                    .projection = {.projection_type = ProjectionType::keys_only}});
  }
  request.local_secondary_indexes = lsis;
  EXPECT_DYNAMO_ERROR(engine.create_table(request), validation,
                      "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table "
                      "limit of 5");
  lsis.resize(1);
  lsis[0].key_schema[0].attribute_name = "l1";
  request.local_secondary_indexes = lsis;
  request.attribute_definitions.resize(4);
  EXPECT_DYNAMO_ERROR(engine.create_table(request), validation,
                      "One or more parameter values were invalid: Index KeySchema does not have the same leading hash "
                      "key as table KeySchema for index: lsi0. index hash key: l1, table hash key: pk");

  auto many = table_request("Many");
  std::vector<GlobalSecondaryIndex> gsis;
  for (int i = 0; i < 21; ++i) {
    const std::string attr = "g" + std::to_string(i);
    many.attribute_definitions.push_back({attr, ScalarAttributeType::s});
    gsis.push_back({.index_name = "gsi" + std::to_string(i),
                    .key_schema = {{attr, KeyType::hash}},
                    .projection = {.projection_type = ProjectionType::all}});
  }
  many.global_secondary_indexes = gsis;
  EXPECT_DYNAMO_ERROR(engine.create_table(many), validation,
                      "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table "
                      "limit of 20");
  gsis.pop_back();
  many.global_secondary_indexes = gsis;
  many.attribute_definitions.pop_back();
  auto d = engine.create_table(many).table_description.value();
  EXPECT_EQ(d.global_secondary_indexes->size(), 20u);
  EXPECT_EQ(d.global_secondary_indexes->front().index_arn,
            "arn:aws:dynamodb:us-east-1:000000000000:table/Many/index/gsi0");
}

// ListTables pages through names in sorted order with Limit and ExclusiveStartTableName.
TEST(EngineTables, ListTablesPaging) {
  Engine engine(quiet_options());
  for (const char* name : {"ccc", "aaa", "bbb", "ddd"}) (void)engine.create_table(table_request(name));
  auto first = engine.list_tables({.limit = 3});
  EXPECT_EQ(first.table_names, (std::vector<std::string>{"aaa", "bbb", "ccc"}));
  EXPECT_EQ(first.last_evaluated_table_name, "ccc");
  auto second = engine.list_tables({.exclusive_start_table_name = "ccc", .limit = 3});
  EXPECT_EQ(second.table_names, (std::vector<std::string>{"ddd"}));
  EXPECT_FALSE(second.last_evaluated_table_name);
  EXPECT_DYNAMO_ERROR(engine.list_tables({.limit = 101}), validation,
                      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must "
                      "have value less than or equal to 100");
  EXPECT_DYNAMO_ERROR(engine.list_tables({.limit = 0}), validation,
                      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                      "have value greater than or equal to 1");
}

// DeleteTable returns DELETING, after which the table is unknown to every operation.
TEST(EngineTables, DeleteTable) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Thread"));
  put(engine, "Thread", {{"pk", "a"}});
  auto deleted = engine.delete_table({.table_name = "Thread"});
  EXPECT_EQ(deleted.table_description->table_status, TableStatus::deleting);
  EXPECT_EQ(deleted.table_description->item_count, 1);
  EXPECT_DYNAMO_ERROR(engine.describe_table({.table_name = "Thread"}), "ResourceNotFoundException",
                      "Requested resource not found: Table: Thread not found");
  EXPECT_DYNAMO_ERROR(engine.delete_table({.table_name = "Thread"}), "ResourceNotFoundException",
                      "Requested resource not found: Table: Thread not found");
  EXPECT_DYNAMO_ERROR(engine.get_item({.table_name = "Thread", .key = {{"pk", "a"}}}), "ResourceNotFoundException",
                      "Requested resource not found");
}

// Deletion protection blocks DeleteTable until it is turned off.
TEST(EngineTables, DeletionProtection) {
  Engine engine(quiet_options());
  auto request = table_request("Thread");
  request.deletion_protection_enabled = true;
  (void)engine.create_table(request);
  EXPECT_DYNAMO_ERROR(engine.delete_table({.table_name = "Thread"}), validation,
                      "Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
                      "protection first.");
  (void)engine.update_table({.table_name = "Thread", .deletion_protection_enabled = false});
  (void)engine.delete_table({.table_name = "Thread"});
}

// UpdateTable changes billing mode and throughput, and rejects a no-op.
TEST(EngineTables, UpdateThroughputAndBilling) {
  Engine engine(quiet_options());
  auto request = table_request("Thread");
  request.billing_mode = BillingMode::provisioned;
  request.provisioned_throughput = ProvisionedThroughput{5, 5};
  (void)engine.create_table(request);
  EXPECT_DYNAMO_ERROR(engine.update_table({.table_name = "Thread"}), validation,
                      "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                      "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  EXPECT_DYNAMO_ERROR(engine.update_table({.table_name = "Thread", .provisioned_throughput = ProvisionedThroughput{5, 5}}),
                      validation,
                      "The provisioned throughput for the table will not change. The requested value equals the "
                      "current value. Current ReadCapacityUnits provisioned for the table: 5. Requested "
                      "ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested "
                      "WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how "
                      "to request higher limits.");
  auto d = engine.update_table({.table_name = "Thread", .provisioned_throughput = ProvisionedThroughput{10, 20}})
               .table_description.value();
  EXPECT_EQ(d.provisioned_throughput->read_capacity_units, 10);
  d = engine.update_table({.table_name = "Thread", .billing_mode = BillingMode::pay_per_request}).table_description.value();
  EXPECT_EQ(d.billing_mode_summary->billing_mode, BillingMode::pay_per_request);
  EXPECT_EQ(d.provisioned_throughput->read_capacity_units, 0);
  EXPECT_DYNAMO_ERROR(engine.update_table({.table_name = "Nope", .billing_mode = BillingMode::pay_per_request}),
                      "ResourceNotFoundException", "Requested resource not found: Table: Nope not found");
}

// UpdateTimeToLive enables once; DescribeTimeToLive reports it; repeats are refused.
TEST(EngineTables, TimeToLiveSettings) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Sessions"));
  auto before = engine.describe_time_to_live({.table_name = "Sessions"});
  EXPECT_EQ(before.time_to_live_description->time_to_live_status, TimeToLiveStatus::disabled);
  auto updated = engine.update_time_to_live(
      {.table_name = "Sessions", .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  EXPECT_EQ(updated.time_to_live_specification->attribute_name, "expires");
  auto after = engine.describe_time_to_live({.table_name = "Sessions"});
  EXPECT_EQ(after.time_to_live_description->time_to_live_status, TimeToLiveStatus::enabled);
  EXPECT_EQ(after.time_to_live_description->attribute_name, "expires");
  EXPECT_DYNAMO_ERROR(engine.update_time_to_live({.table_name = "Sessions",
                                                  .time_to_live_specification = {.enabled = true, .attribute_name = "x"}}),
                      validation, "TimeToLive is already enabled");
  (void)engine.update_time_to_live(
      {.table_name = "Sessions", .time_to_live_specification = {.enabled = false, .attribute_name = "expires"}});
  EXPECT_DYNAMO_ERROR(engine.update_time_to_live({.table_name = "Sessions",
                                                  .time_to_live_specification = {.enabled = false, .attribute_name = "expires"}}),
                      validation, "TimeToLive is already disabled");
}

// An error body carries the old item and the cancellation reasons of the engine's errors.
TEST(EngineTables, ErrorBodies) {
  ConditionalCheckFailed failed(Item{{"pk", "a"}});
  auto body = error_body_of(failed);
  EXPECT_EQ(body.code, "ConditionalCheckFailedException");
  EXPECT_EQ(body.item, (Item{{"pk", "a"}}));
  TransactionCanceled canceled({CancellationReason{.code = "None"}, CancellationReason{.code = "ConditionalCheckFailed"}});
  EXPECT_EQ(std::string(canceled.what()),
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
  EXPECT_EQ(error_body_of(canceled).cancellation_reasons->size(), 2u);
}

}  // namespace
}  // namespace dynamo::engine::test
