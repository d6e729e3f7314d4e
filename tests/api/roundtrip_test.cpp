// Round trips of every request and response struct through JSON: struct -> JSON -> struct
// gives an equal struct and the same JSON again, both with every member set and with only
// the required ones.
#include <gtest/gtest.h>

#include "api/samples.hpp"
#include "dynamo/api.hpp"

namespace dynamo::api {
namespace {

using namespace samples;

template <class T>
void expect_round_trip(const T& message) {
  const std::string json = encode(message);
  const T back = decode<T>(json);
  EXPECT_TRUE(back == message) << json;
  EXPECT_EQ(encode(back), json);
}

// --- table operations ---------------------------------------------------------------

// CreateTable with every parameter, and with only TableName/AttributeDefinitions/KeySchema.
TEST(ApiRoundTrip, CreateTable) {
  expect_round_trip(create_table());
  expect_round_trip(CreateTableRequest{.table_name = "T",
                                       .attribute_definitions = {{"id", ScalarAttributeType::s}},
                                       .key_schema = {{"id", KeyType::hash}}});
  expect_round_trip(CreateTableResponse{.table_description = table_description()});
  expect_round_trip(CreateTableResponse{});
}

// DeleteTable request and response (full TableDescription and empty).
TEST(ApiRoundTrip, DeleteTable) {
  expect_round_trip(DeleteTableRequest{.table_name = "Thread"});
  expect_round_trip(DeleteTableResponse{.table_description = table_description()});
  expect_round_trip(DeleteTableResponse{});
}

// DescribeTable: the full TableDescription with indexes, streams, SSE, class, throughput.
TEST(ApiRoundTrip, DescribeTable) {
  expect_round_trip(DescribeTableRequest{.table_name = "Thread"});
  expect_round_trip(DescribeTableResponse{.table = table_description()});
  expect_round_trip(DescribeTableResponse{.table = TableDescription{}});
  expect_round_trip(DescribeTableResponse{});
}

// ListTables with paging parameters and without any.
TEST(ApiRoundTrip, ListTables) {
  expect_round_trip(ListTablesRequest{.exclusive_start_table_name = "Forum", .limit = 2});
  expect_round_trip(ListTablesRequest{});
  expect_round_trip(ListTablesResponse{.table_names = std::vector<std::string>{"Forum", "Thread"},
                                       .last_evaluated_table_name = "Thread"});
  expect_round_trip(ListTablesResponse{.table_names = std::vector<std::string>{}});
  expect_round_trip(ListTablesResponse{});
}

// UpdateTable with GSI create/update/delete and every other parameter; TableName only.
TEST(ApiRoundTrip, UpdateTable) {
  expect_round_trip(update_table());
  expect_round_trip(UpdateTableRequest{.table_name = "Thread"});
  expect_round_trip(UpdateTableResponse{.table_description = table_description()});
  expect_round_trip(UpdateTableResponse{});
}

// UpdateTimeToLive and DescribeTimeToLive.
TEST(ApiRoundTrip, TimeToLive) {
  expect_round_trip(UpdateTimeToLiveRequest{
      .table_name = "Sessions", .time_to_live_specification = {.enabled = true, .attribute_name = "ttl"}});
  expect_round_trip(UpdateTimeToLiveResponse{
      .time_to_live_specification = TimeToLiveSpecification{.enabled = false, .attribute_name = "ttl"}});
  expect_round_trip(UpdateTimeToLiveResponse{});
  expect_round_trip(DescribeTimeToLiveRequest{.table_name = "Sessions"});
  expect_round_trip(DescribeTimeToLiveResponse{.time_to_live_description = TimeToLiveDescription{
                                                   .time_to_live_status = TimeToLiveStatus::enabling,
                                                   .attribute_name = "ttl"}});
  expect_round_trip(DescribeTimeToLiveResponse{
      .time_to_live_description = TimeToLiveDescription{.time_to_live_status = TimeToLiveStatus::disabled}});
  expect_round_trip(DescribeTimeToLiveResponse{});
}

// --- item operations ----------------------------------------------------------------

// GetItem with projection, consistency, legacy AttributesToGet; key only.
TEST(ApiRoundTrip, GetItem) {
  expect_round_trip(GetItemRequest{.table_name = "Thread",
                                   .key = thread_key(),
                                   .attributes_to_get = std::vector<std::string>{"Views"},
                                   .consistent_read = true,
                                   .return_consumed_capacity = ReturnConsumedCapacity::indexes,
                                   .projection_expression = "#v",
                                   .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}}});
  expect_round_trip(GetItemRequest{.table_name = "Thread", .key = thread_key()});
  expect_round_trip(GetItemResponse{.item = thread_item(), .consumed_capacity = consumed_capacity()});
  expect_round_trip(GetItemResponse{.item = Item{}});
  expect_round_trip(GetItemResponse{});
}

// PutItem with every parameter (Expected in each of its forms); table and item only.
TEST(ApiRoundTrip, PutItem) {
  expect_round_trip(put_item());
  expect_round_trip(PutItemRequest{.table_name = "Thread", .item = thread_key()});
  expect_round_trip(PutItemResponse{.attributes = thread_item(),
                                    .consumed_capacity = consumed_capacity(),
                                    .item_collection_metrics = item_collection_metrics()});
  expect_round_trip(PutItemResponse{});
}

// UpdateItem with every parameter (AttributeUpdates with each action); key only.
TEST(ApiRoundTrip, UpdateItem) {
  expect_round_trip(update_item());
  expect_round_trip(UpdateItemRequest{.table_name = "Thread", .key = thread_key()});
  expect_round_trip(UpdateItemResponse{.attributes = thread_item(),
                                       .consumed_capacity = consumed_capacity(),
                                       .item_collection_metrics = item_collection_metrics()});
  expect_round_trip(UpdateItemResponse{});
}

// Every ComparisonOperator and AttributeAction survives the trip under its wire spelling.
TEST(ApiRoundTrip, LegacyOperatorsAndActions) {
  const ComparisonOperator operators[] = {
      ComparisonOperator::eq,       ComparisonOperator::ne,      ComparisonOperator::in,
      ComparisonOperator::le,       ComparisonOperator::lt,      ComparisonOperator::ge,
      ComparisonOperator::gt,       ComparisonOperator::between, ComparisonOperator::not_null,
      ComparisonOperator::null,     ComparisonOperator::contains, ComparisonOperator::not_contains,
      ComparisonOperator::begins_with};
  ScanRequest scan{.table_name = "Thread", .scan_filter = ConditionMap{}};
  for (const auto op : operators) {
    const std::string name(to_string(op));
    ASSERT_FALSE(name.empty());
    EXPECT_EQ(parse_enum<ComparisonOperator>(name), op);
    scan.scan_filter->emplace(name, Condition{.attribute_value_list = AttributeValueList{name}, .comparison_operator = op});
  }
  expect_round_trip(scan);
  UpdateItemRequest update{.table_name = "Thread", .key = thread_key(), .attribute_updates = AttributeUpdateMap{}};
  for (const auto action : {AttributeAction::add, AttributeAction::put, AttributeAction::delete_}) {
    update.attribute_updates->emplace(std::string(to_string(action)), AttributeValueUpdate{.value = 1, .action = action});
  }
  expect_round_trip(update);
  EXPECT_EQ(encode(UpdateItemRequest{.table_name = "T",
                                     .key = {{"k", 1}},
                                     .attribute_updates = AttributeUpdateMap{{"n", {.action = AttributeAction::delete_}}}}),
            R"({"TableName":"T","Key":{"k":{"N":"1"}},"AttributeUpdates":{"n":{"Action":"DELETE"}}})");
}

// DeleteItem with every parameter; key only.
TEST(ApiRoundTrip, DeleteItem) {
  expect_round_trip(DeleteItemRequest{.table_name = "Thread",
                                      .key = thread_key(),
                                      .expected = legacy_expected(),
                                      .conditional_operator = ConditionalOperator::and_,
                                      .return_values = ReturnValue::all_old,
                                      .return_consumed_capacity = ReturnConsumedCapacity::none,
                                      .return_item_collection_metrics = ReturnItemCollectionMetrics::size,
                                      .condition_expression = "#v = :one",
                                      .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}},
                                      .expression_attribute_values = ExpressionAttributeValues{{":one", 1}},
                                      .return_values_on_condition_check_failure =
                                          ReturnValuesOnConditionCheckFailure::all_old});
  expect_round_trip(DeleteItemRequest{.table_name = "Thread", .key = thread_key()});
  expect_round_trip(DeleteItemResponse{.attributes = thread_item(),
                                       .consumed_capacity = consumed_capacity(),
                                       .item_collection_metrics = item_collection_metrics()});
  expect_round_trip(DeleteItemResponse{});
}

// --- query and scan -----------------------------------------------------------------

// Query with every parameter; table only; a page with items, counts and a LastEvaluatedKey.
TEST(ApiRoundTrip, Query) {
  expect_round_trip(query());
  expect_round_trip(QueryRequest{.table_name = "Thread"});
  expect_round_trip(QueryResponse{.items = std::vector<Item>{thread_item(), thread_key()},
                                  .count = 2,
                                  .scanned_count = 5,
                                  .last_evaluated_key = thread_key(),
                                  .consumed_capacity = consumed_capacity()});
  expect_round_trip(QueryResponse{.items = std::vector<Item>{}, .count = 0, .scanned_count = 0});
  expect_round_trip(QueryResponse{});
}

// Scan with segments and every parameter; table only; responses.
TEST(ApiRoundTrip, Scan) {
  expect_round_trip(scan());
  expect_round_trip(ScanRequest{.table_name = "Thread"});
  expect_round_trip(ScanResponse{.items = std::vector<Item>{thread_item()},
                                 .count = 1,
                                 .scanned_count = 1,
                                 .last_evaluated_key = thread_key(),
                                 .consumed_capacity = consumed_capacity()});
  expect_round_trip(ScanResponse{});
}

// --- batch --------------------------------------------------------------------------

// BatchGetItem: request per table, responses, unprocessed keys, capacity list.
TEST(ApiRoundTrip, BatchGetItem) {
  expect_round_trip(BatchGetItemRequest{
      .request_items = {{"Thread", keys_and_attributes()}, {"Forum", KeysAndAttributes{.keys = {Item{{"Name", "S3"}}}}}},
      .return_consumed_capacity = ReturnConsumedCapacity::total});
  expect_round_trip(BatchGetItemRequest{.request_items = {{"Forum", KeysAndAttributes{.keys = {Item{{"Name", "S3"}}}}}}});
  expect_round_trip(BatchGetItemResponse{
      .responses = std::map<std::string, std::vector<Item>>{{"Thread", {thread_item()}}, {"Forum", {}}},
      .unprocessed_keys = std::map<std::string, KeysAndAttributes>{{"Thread", keys_and_attributes()}},
      .consumed_capacity = std::vector<ConsumedCapacity>{consumed_capacity(), ConsumedCapacity{.table_name = "Forum"}}});
  expect_round_trip(BatchGetItemResponse{.responses = std::map<std::string, std::vector<Item>>{},
                                         .unprocessed_keys = std::map<std::string, KeysAndAttributes>{}});
  expect_round_trip(BatchGetItemResponse{});
}

// BatchWriteItem: puts and deletes, unprocessed items, item collection metrics.
TEST(ApiRoundTrip, BatchWriteItem) {
  expect_round_trip(BatchWriteItemRequest{.request_items = {{"Thread", write_requests()}},
                                          .return_consumed_capacity = ReturnConsumedCapacity::indexes,
                                          .return_item_collection_metrics = ReturnItemCollectionMetrics::size});
  expect_round_trip(BatchWriteItemRequest{.request_items = {{"Thread", write_requests()}}});
  expect_round_trip(BatchWriteItemResponse{
      .unprocessed_items = std::map<std::string, std::vector<WriteRequest>>{{"Thread", write_requests()}},
      .item_collection_metrics =
          std::map<std::string, std::vector<ItemCollectionMetrics>>{{"Thread", {item_collection_metrics()}}},
      .consumed_capacity = std::vector<ConsumedCapacity>{consumed_capacity()}});
  expect_round_trip(BatchWriteItemResponse{.unprocessed_items = std::map<std::string, std::vector<WriteRequest>>{}});
  expect_round_trip(BatchWriteItemResponse{});
}

// --- transactions -------------------------------------------------------------------

// TransactGetItems: gets with projections; responses with found and missing items.
TEST(ApiRoundTrip, TransactGetItems) {
  expect_round_trip(TransactGetItemsRequest{
      .transact_items = {{.get = TransactGet{.key = thread_key(),
                                             .table_name = "Thread",
                                             .projection_expression = "#v",
                                             .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}}}},
                         {.get = TransactGet{.key = thread_key(), .table_name = "Forum"}}},
      .return_consumed_capacity = ReturnConsumedCapacity::total});
  expect_round_trip(TransactGetItemsRequest{.transact_items = {{.get = TransactGet{.key = thread_key(), .table_name = "T"}}}});
  expect_round_trip(TransactGetItemsResponse{
      .consumed_capacity = std::vector<ConsumedCapacity>{consumed_capacity()},
      .responses = std::vector<ItemResponse>{{.item = thread_item()}, ItemResponse{}}});
  expect_round_trip(TransactGetItemsResponse{});
}

// TransactWriteItems with all four action kinds and a client request token.
TEST(ApiRoundTrip, TransactWriteItems) {
  expect_round_trip(transact_write());
  expect_round_trip(TransactWriteItemsRequest{
      .transact_items = {{.put = TransactPut{.item = thread_key(), .table_name = "Thread"}}}});
  expect_round_trip(TransactWriteItemsResponse{
      .consumed_capacity = std::vector<ConsumedCapacity>{consumed_capacity()},
      .item_collection_metrics =
          std::map<std::string, std::vector<ItemCollectionMetrics>>{{"Thread", {item_collection_metrics()}}}});
  expect_round_trip(TransactWriteItemsResponse{});
}

// Absent and present-but-empty optional members stay distinct through JSON.
TEST(ApiRoundTrip, AbsentAndEmptyStayDistinct) {
  const QueryRequest absent{.table_name = "T"};
  const QueryRequest empty{.table_name = "T",
                           .expression_attribute_names = ExpressionAttributeNames{},
                           .expression_attribute_values = ExpressionAttributeValues{}};
  EXPECT_EQ(encode(absent), R"({"TableName":"T"})");
  EXPECT_EQ(encode(empty), R"({"TableName":"T","ExpressionAttributeNames":{},"ExpressionAttributeValues":{}})");
  EXPECT_TRUE(decode<QueryRequest>(encode(empty)) == empty);
  EXPECT_FALSE(decode<QueryRequest>(encode(empty)) == absent);
}

}  // namespace
}  // namespace dynamo::api
