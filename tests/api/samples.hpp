// Test support: API structs with every member set, for round-trip tests, the fuzzer's seeds
// and the benchmark.
#pragma once

#include "dynamo/api.hpp"

namespace dynamo::api::samples {

inline Item thread_key() { return Item{{"ForumName", "Amazon DynamoDB"}, {"Subject", "How do I update multiple items?"}}; }

inline Item thread_item() {
  return Item{
      {"ForumName", "Amazon DynamoDB"},
      {"Subject", "How do I update multiple items?"},
      {"Views", 12},
      {"Tags", StringSet{"Multiple Items", "HelpMe"}},
      {"Ratings", NumberSet{Number::parse("4.5"), 3}},
      {"Blob", Binary{0x00, 0xff, 0x10}},
      {"Meta", AttributeMap{{"pinned", true}, {"moderator", Null{}}, {"history", List{1, "two"}}}},
  };
}

inline ExpressionAttributeNames names() { return {{"#v", "Views"}, {"#s", "Subject"}}; }
inline ExpressionAttributeValues values() { return {{":one", 1}, {":s", "How"}}; }

inline Capacity capacity(double units) {
  return Capacity{.read_capacity_units = units, .write_capacity_units = units * 2, .capacity_units = units * 3};
}

inline ConsumedCapacity consumed_capacity() {
  return ConsumedCapacity{
      .table_name = "Thread",
      .capacity_units = 3.5,
      .read_capacity_units = 1.5,
      .write_capacity_units = 2.0,
      .table = capacity(0.5),
      .local_secondary_indexes = std::map<std::string, Capacity>{{"LastPostIndex", capacity(1.0)}},
      .global_secondary_indexes = std::map<std::string, Capacity>{{"ViewsIndex", capacity(0.25)}},
  };
}

inline ItemCollectionMetrics item_collection_metrics() {
  return ItemCollectionMetrics{.item_collection_key = Item{{"ForumName", "Amazon DynamoDB"}},
                               .size_estimate_range_gb = std::vector<double>{0.0, 1.0}};
}

// A legacy condition map: Views > 1, and Subject BETWEEN "a" AND "m".
inline ConditionMap legacy_condition() {
  return ConditionMap{
      {"Views", {.attribute_value_list = AttributeValueList{1}, .comparison_operator = ComparisonOperator::gt}},
      {"Subject",
       {.attribute_value_list = AttributeValueList{"a", "m"}, .comparison_operator = ComparisonOperator::between}},
  };
}

// A legacy Expected map using each of its forms: Value, Exists false, ComparisonOperator.
inline ExpectedMap legacy_expected() {
  return ExpectedMap{
      {"Views", {.comparison_operator = ComparisonOperator::lt, .attribute_value_list = AttributeValueList{10}}},
      {"Subject", {.value = AttributeValue("Modules"), .exists = true}},
      {"Locked", {.exists = false}},
      {"Tags", {.value = AttributeValue(StringSet{"c++"}), .comparison_operator = ComparisonOperator::contains}},
  };
}

inline std::vector<KeySchemaElement> key_schema() {
  return {{.attribute_name = "ForumName", .key_type = KeyType::hash},
          {.attribute_name = "Subject", .key_type = KeyType::range}};
}

inline Projection include_projection() {
  return Projection{.projection_type = ProjectionType::include,
                    .non_key_attributes = std::vector<std::string>{"Views", "Tags"}};
}

inline TableDescription table_description() {
  return TableDescription{
      .attribute_definitions = std::vector<AttributeDefinition>{{"ForumName", ScalarAttributeType::s},
                                                                {"Subject", ScalarAttributeType::s},
                                                                {"Views", ScalarAttributeType::n}},
      .table_name = "Thread",
      .key_schema = key_schema(),
      .table_status = TableStatus::active,
      .creation_date_time = 1548707562.843,
      .provisioned_throughput = ProvisionedThroughputDescription{.last_increase_date_time = 1548707600.5,
                                                                 .last_decrease_date_time = 1548707700.25,
                                                                 .number_of_decreases_today = 1,
                                                                 .read_capacity_units = 5,
                                                                 .write_capacity_units = 10},
      .table_size_bytes = 123456789012,
      .item_count = 42,
      .table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread",
      .table_id = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
      .billing_mode_summary = BillingModeSummary{.billing_mode = BillingMode::provisioned,
                                                 .last_update_to_pay_per_request_date_time = 1548707000.0},
      .local_secondary_indexes = std::vector<LocalSecondaryIndexDescription>{{
          .index_name = "LastPostIndex",
          .key_schema = std::vector<KeySchemaElement>{{"ForumName", KeyType::hash}, {"LastPost", KeyType::range}},
          .projection = Projection{.projection_type = ProjectionType::keys_only},
          .index_size_bytes = 100,
          .item_count = 3,
          .index_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread/index/LastPostIndex",
      }},
      .global_secondary_indexes = std::vector<GlobalSecondaryIndexDescription>{{
          .index_name = "ViewsIndex",
          .key_schema = std::vector<KeySchemaElement>{{"ForumName", KeyType::hash}, {"Views", KeyType::range}},
          .projection = include_projection(),
          .index_status = IndexStatus::creating,
          .backfilling = true,
          .provisioned_throughput = ProvisionedThroughputDescription{.read_capacity_units = 1, .write_capacity_units = 1},
          .index_size_bytes = 0,
          .item_count = 0,
          .index_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread/index/ViewsIndex",
          .on_demand_throughput = OnDemandThroughput{.max_read_request_units = -1, .max_write_request_units = 50},
          .warm_throughput = GlobalSecondaryIndexWarmThroughputDescription{
              .read_units_per_second = 12000, .write_units_per_second = 4000, .status = IndexStatus::active},
      }},
      .stream_specification = StreamSpecification{.stream_enabled = true,
                                                  .stream_view_type = StreamViewType::new_and_old_images},
      .latest_stream_label = "2019-01-28T20:32:42.843",
      .latest_stream_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/Thread/stream/2019-01-28T20:32:42.843",
      .sse_description = SSEDescription{.status = SSEStatus::enabled,
                                        .sse_type = SSEType::kms,
                                        .kms_master_key_arn = "arn:aws:kms:us-east-1:123456789012:key/abcd",
                                        .inaccessible_encryption_date_time = 1548707000.0},
      .table_class_summary = TableClassSummary{.table_class = TableClass::standard_infrequent_access,
                                               .last_update_date_time = 1548707999.5},
      .deletion_protection_enabled = true,
      .on_demand_throughput = OnDemandThroughput{.max_read_request_units = 100, .max_write_request_units = 200},
      .warm_throughput = TableWarmThroughputDescription{
          .read_units_per_second = 12000, .write_units_per_second = 4000, .status = TableStatus::updating},
  };
}

inline GlobalSecondaryIndex views_index() {
  return GlobalSecondaryIndex{
      .index_name = "ViewsIndex",
      .key_schema = {{"ForumName", KeyType::hash}, {"Views", KeyType::range}},
      .projection = include_projection(),
      .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 5, .write_capacity_units = 6},
      .on_demand_throughput = OnDemandThroughput{.max_read_request_units = 10},
      .warm_throughput = WarmThroughput{.read_units_per_second = 12000, .write_units_per_second = 4000},
  };
}

inline CreateTableRequest create_table() {
  return CreateTableRequest{
      .table_name = "Thread",
      .attribute_definitions = {{"ForumName", ScalarAttributeType::s},
                                {"Subject", ScalarAttributeType::s},
                                {"LastPost", ScalarAttributeType::n},
                                {"Views", ScalarAttributeType::n},
                                {"Blob", ScalarAttributeType::b}},
      .key_schema = key_schema(),
      .local_secondary_indexes = std::vector<LocalSecondaryIndex>{{
          .index_name = "LastPostIndex",
          .key_schema = {{"ForumName", KeyType::hash}, {"LastPost", KeyType::range}},
          .projection = Projection{.projection_type = ProjectionType::keys_only},
      }},
      .global_secondary_indexes = std::vector<GlobalSecondaryIndex>{views_index()},
      .billing_mode = BillingMode::provisioned,
      .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 5, .write_capacity_units = 5},
      .stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::keys_only},
      .sse_specification = SSESpecification{.enabled = true, .sse_type = SSEType::kms, .kms_master_key_id = "alias/key"},
      .tags = std::vector<Tag>{{"Owner", "forum-team"}, {"Stage", "test"}},
      .table_class = TableClass::standard,
      .deletion_protection_enabled = false,
      .on_demand_throughput = OnDemandThroughput{.max_read_request_units = 1, .max_write_request_units = 2},
      .warm_throughput = WarmThroughput{.read_units_per_second = 1, .write_units_per_second = 2},
      .resource_policy = R"({"Version":"2012-10-17","Statement":[]})",
  };
}

inline UpdateTableRequest update_table() {
  return UpdateTableRequest{
      .table_name = "Thread",
      .attribute_definitions = std::vector<AttributeDefinition>{{"Views", ScalarAttributeType::n}},
      .billing_mode = BillingMode::pay_per_request,
      .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 1, .write_capacity_units = 1},
      .global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{
          {.create = CreateGlobalSecondaryIndexAction{.index_name = "ViewsIndex",
                                                      .key_schema = {{"Views", KeyType::hash}},
                                                      .projection = Projection{.projection_type = ProjectionType::all},
                                                      .provisioned_throughput = ProvisionedThroughput{1, 2},
                                                      .on_demand_throughput = OnDemandThroughput{.max_read_request_units = 4},
                                                      .warm_throughput = WarmThroughput{.read_units_per_second = 5}}},
          {.update = UpdateGlobalSecondaryIndexAction{.index_name = "OtherIndex",
                                                      .provisioned_throughput = ProvisionedThroughput{3, 4},
                                                      .on_demand_throughput = OnDemandThroughput{.max_write_request_units = 7},
                                                      .warm_throughput = WarmThroughput{.write_units_per_second = 8}}},
          {.delete_ = DeleteGlobalSecondaryIndexAction{.index_name = "OldIndex"}},
      },
      .stream_specification = StreamSpecification{.stream_enabled = false},
      .sse_specification = SSESpecification{.enabled = false},
      .replica_updates = RawJson{R"({"Create":{"RegionName":"eu-west-1"}})"},
      .table_class = TableClass::standard_infrequent_access,
      .deletion_protection_enabled = true,
      .on_demand_throughput = OnDemandThroughput{.max_read_request_units = -1},
      .warm_throughput = WarmThroughput{.read_units_per_second = 100},
  };
}

inline KeysAndAttributes keys_and_attributes() {
  return KeysAndAttributes{.keys = {thread_key(), Item{{"ForumName", "S3"}, {"Subject", "x"}}},
                           .attributes_to_get = std::vector<std::string>{"Views"},
                           .consistent_read = true,
                           .projection_expression = "#v, Subject",
                           .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}}};
}

inline std::vector<WriteRequest> write_requests() {
  return {WriteRequest{.put_request = PutRequest{.item = thread_item()}},
          WriteRequest{.delete_request = DeleteRequest{.key = thread_key()}}};
}

inline TransactWriteItemsRequest transact_write() {
  return TransactWriteItemsRequest{
      .transact_items =
          {
              {.condition_check = TransactConditionCheck{.key = thread_key(),
                                                         .table_name = "Thread",
                                                         .condition_expression = "attribute_exists(#s)",
                                                         .expression_attribute_names = ExpressionAttributeNames{{"#s", "Subject"}},
                                                         .expression_attribute_values = std::nullopt,
                                                         .return_values_on_condition_check_failure =
                                                             ReturnValuesOnConditionCheckFailure::all_old}},
              {.put = TransactPut{.item = thread_item(),
                                  .table_name = "Thread",
                                  .condition_expression = "attribute_not_exists(ForumName)",
                                  .expression_attribute_names = names(),
                                  .expression_attribute_values = values(),
                                  .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::none}},
              {.delete_ = TransactDelete{.key = thread_key(),
                                         .table_name = "Thread",
                                         .condition_expression = "#v < :one",
                                         .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}},
                                         .expression_attribute_values = ExpressionAttributeValues{{":one", 1}},
                                         .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old}},
              {.update = TransactUpdate{.key = thread_key(),
                                        .update_expression = "SET #v = #v + :one",
                                        .table_name = "Thread",
                                        .condition_expression = "begins_with(#s, :s)",
                                        .expression_attribute_names = names(),
                                        .expression_attribute_values = values(),
                                        .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::none}},
          },
      .return_consumed_capacity = ReturnConsumedCapacity::indexes,
      .return_item_collection_metrics = ReturnItemCollectionMetrics::size,
      .client_request_token = "token-1",
  };
}

inline QueryRequest query() {
  return QueryRequest{
      .table_name = "Thread",
      .index_name = "LastPostIndex",
      .select = Select::all_projected_attributes,
      .attributes_to_get = std::vector<std::string>{"Subject"},
      .limit = 3,
      .consistent_read = true,
      .key_conditions = legacy_condition(),
      .query_filter = legacy_condition(),
      .conditional_operator = ConditionalOperator::or_,
      .scan_index_forward = false,
      .exclusive_start_key = thread_key(),
      .return_consumed_capacity = ReturnConsumedCapacity::total,
      .projection_expression = "#s, Views",
      .filter_expression = "Views > :one",
      .key_condition_expression = "ForumName = :s",
      .expression_attribute_names = ExpressionAttributeNames{{"#s", "Subject"}},
      .expression_attribute_values = values(),
  };
}

inline ScanRequest scan() {
  return ScanRequest{
      .table_name = "Thread",
      .index_name = "ViewsIndex",
      .attributes_to_get = std::vector<std::string>{"Subject", "Views"},
      .limit = 100,
      .select = Select::specific_attributes,
      .scan_filter = legacy_condition(),
      .conditional_operator = ConditionalOperator::and_,
      .exclusive_start_key = thread_key(),
      .return_consumed_capacity = ReturnConsumedCapacity::indexes,
      .total_segments = 4,
      .segment = 3,
      .projection_expression = "Subject, Views",
      .filter_expression = "#v >= :one",
      .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}},
      .expression_attribute_values = ExpressionAttributeValues{{":one", 1}},
      .consistent_read = false,
  };
}

inline PutItemRequest put_item() {
  return PutItemRequest{
      .table_name = "Thread",
      .item = thread_item(),
      .expected = legacy_expected(),
      .return_values = ReturnValue::all_old,
      .return_consumed_capacity = ReturnConsumedCapacity::total,
      .return_item_collection_metrics = ReturnItemCollectionMetrics::size,
      .conditional_operator = ConditionalOperator::and_,
      .condition_expression = "attribute_not_exists(#s) OR #v < :one",
      .expression_attribute_names = names(),
      .expression_attribute_values = values(),
      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old,
  };
}

inline UpdateItemRequest update_item() {
  return UpdateItemRequest{
      .table_name = "Thread",
      .key = thread_key(),
      .attribute_updates = AttributeUpdateMap{{"Views", {.value = AttributeValue(1), .action = AttributeAction::add}},
                                              {"Notes", {.action = AttributeAction::delete_}},
                                              {"Subject", {.value = AttributeValue("Modules")}}},
      .expected = legacy_expected(),
      .conditional_operator = ConditionalOperator::or_,
      .return_values = ReturnValue::updated_new,
      .return_consumed_capacity = ReturnConsumedCapacity::indexes,
      .return_item_collection_metrics = ReturnItemCollectionMetrics::none,
      .update_expression = "SET #v = #v + :one",
      .condition_expression = "begins_with(#s, :s)",
      .expression_attribute_names = names(),
      .expression_attribute_values = values(),
      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::none,
  };
}

}  // namespace dynamo::api::samples
