// Secondary indexes: maintenance on every write path, projections, sparse indexes, type
// checks, index Query/Scan paging with table+index keys, and UpdateTable backfill/deletion.
#include <set>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

// Table Orders(pk S, sk N) with GSI byStatus(status S, amount N, INCLUDE note), GSI byCust
// (cust S, KEYS_ONLY) and LSI byTotal(pk, amount N, ALL).
CreateTableRequest orders_table() {
  auto request = table_request("Orders", ScalarAttributeType::n);
  request.attribute_definitions.push_back({"status", ScalarAttributeType::s});
  request.attribute_definitions.push_back({"amount", ScalarAttributeType::n});
  request.attribute_definitions.push_back({"cust", ScalarAttributeType::s});
  request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "byStatus",
       .key_schema = {{"status", KeyType::hash}, {"amount", KeyType::range}},
       .projection = {.projection_type = ProjectionType::include, .non_key_attributes = std::vector<std::string>{"note"}}},
      {.index_name = "byCust", .key_schema = {{"cust", KeyType::hash}}, .projection = {.projection_type = ProjectionType::keys_only}}};
  request.local_secondary_indexes = std::vector<LocalSecondaryIndex>{
      {.index_name = "byTotal", .key_schema = {{"pk", KeyType::hash}, {"amount", KeyType::range}},
       .projection = {.projection_type = ProjectionType::all}}};
  return request;
}

QueryRequest by_status(const std::string& status) {
  return QueryRequest{.table_name = "Orders", .index_name = "byStatus",
                      .key_condition_expression = "#s = :s",
                      .expression_attribute_names = ExpressionAttributeNames{{"#s", "status"}},
                      .expression_attribute_values = ExpressionAttributeValues{{":s", status}}};
}

std::int64_t index_count(Engine& engine, const std::string& name) {
  auto d = engine.describe_table({.table_name = "Orders"}).table.value();
  for (const auto& g : d.global_secondary_indexes.value_or(std::vector<GlobalSecondaryIndexDescription>{})) {
    if (g.index_name == name) return g.item_count.value_or(-1);
  }
  for (const auto& l : d.local_secondary_indexes.value_or(std::vector<LocalSecondaryIndexDescription>{})) {
    if (l.index_name == name) return l.item_count.value_or(-1);
  }
  return -1;
}

class EngineIndexes : public ::testing::Test {
 protected:
  void SetUp() override { (void)engine.create_table(orders_table()); }
  Engine engine{quiet_options()};
};

// A GSI query returns the projected attributes (keys + INCLUDE list) in index order.
TEST_F(EngineIndexes, ProjectionAndOrder) {
  put(engine, "Orders", {{"pk", "a"}, {"sk", 1}, {"status", "open"}, {"amount", 30}, {"note", "n"}, {"secret", "s"}});
  put(engine, "Orders", {{"pk", "b"}, {"sk", 1}, {"status", "open"}, {"amount", 10}});
  put(engine, "Orders", {{"pk", "c"}, {"sk", 1}, {"status", "done"}, {"amount", 20}});
  auto items = engine.query(by_status("open")).items.value();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0], (Item{{"pk", "b"}, {"sk", 1}, {"status", "open"}, {"amount", 10}}));
  EXPECT_EQ(items[1], (Item{{"pk", "a"}, {"sk", 1}, {"status", "open"}, {"amount", 30}, {"note", "n"}}));
  // KEYS_ONLY: table and index keys.
  put(engine, "Orders", {{"pk", "d"}, {"sk", 2}, {"cust", "x"}, {"note", "n"}});
  auto keys = engine.query({.table_name = "Orders", .index_name = "byCust", .key_condition_expression = "cust = :c",
                            .expression_attribute_values = ExpressionAttributeValues{{":c", "x"}}}).items.value();
  EXPECT_EQ(keys, (std::vector<Item>{{{"pk", "d"}, {"sk", 2}, {"cust", "x"}}}));
}

// Every write path maintains the index: put, overwrite, update (key change and removal),
// delete, batch write, transaction.
TEST_F(EngineIndexes, MaintainedOnEveryWritePath) {
  put(engine, "Orders", {{"pk", "a"}, {"sk", 1}, {"status", "open"}, {"amount", 1}});
  EXPECT_EQ(index_count(engine, "byStatus"), 1);
  put(engine, "Orders", {{"pk", "a"}, {"sk", 1}, {"status", "done"}, {"amount", 1}});  // overwrite moves it
  EXPECT_EQ(engine.query(by_status("open")).count, 0);
  EXPECT_EQ(engine.query(by_status("done")).count, 1);
  (void)engine.update_item({.table_name = "Orders", .key = {{"pk", "a"}, {"sk", 1}},
                            .update_expression = "SET #s = :s", .expression_attribute_names = ExpressionAttributeNames{{"#s", "status"}},
                            .expression_attribute_values = ExpressionAttributeValues{{":s", "open"}}});
  EXPECT_EQ(engine.query(by_status("open")).count, 1);
  EXPECT_EQ(engine.query(by_status("done")).count, 0);
  (void)engine.update_item({.table_name = "Orders", .key = {{"pk", "a"}, {"sk", 1}}, .update_expression = "REMOVE amount"});
  EXPECT_EQ(engine.query(by_status("open")).count, 0);  // sparse: no sort key, not in the index
  EXPECT_EQ(index_count(engine, "byStatus"), 0);
  (void)engine.batch_write_item({.request_items = {{"Orders", {
      WriteRequest{.put_request = PutRequest{.item = {{"pk", "b"}, {"sk", 1}, {"status", "open"}, {"amount", 2}}}},
      WriteRequest{.put_request = PutRequest{.item = {{"pk", "c"}, {"sk", 1}, {"status", "open"}, {"amount", 3}}}}}}}});
  EXPECT_EQ(engine.query(by_status("open")).count, 2);
  (void)engine.transact_write_items({.transact_items = {
      {.delete_ = TransactDelete{.key = {{"pk", "b"}, {"sk", 1}}, .table_name = "Orders"}},
      {.put = TransactPut{.item = {{"pk", "d"}, {"sk", 1}, {"status", "open"}, {"amount", 4}}, .table_name = "Orders"}}}});
  auto open = engine.query(by_status("open")).items.value();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].at("pk"), AttributeValue("c"));
  EXPECT_EQ(open[1].at("pk"), AttributeValue("d"));
  (void)engine.delete_item({.table_name = "Orders", .key = {{"pk", "c"}, {"sk", 1}}});
  EXPECT_EQ(engine.query(by_status("open")).count, 1);
  EXPECT_EQ(index_count(engine, "byStatus"), 1);
  EXPECT_EQ(index_count(engine, "byTotal"), 1);
}

// A write whose index key has the wrong type (or is empty) is rejected, not silently unindexed.
TEST_F(EngineIndexes, IndexKeyTypeChecked) {
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Orders", .item = {{"pk", "a"}, {"sk", 1}, {"status", 5}}}), validation,
                      "One or more parameter values were invalid: Type mismatch for Index Key status Expected: S "
                      "Actual: N IndexName: byStatus");
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Orders", .item = {{"pk", "a"}, {"sk", 1}, {"cust", ""}}}), validation,
                      "One or more parameter values are not valid. A value specified for a secondary index key is not "
                      "supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                      "IndexName: byCust, IndexKey: cust");
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Orders", .key = {{"pk", "a"}, {"sk", 1}},
                                          .update_expression = "SET amount = :t",
                                          .expression_attribute_values = ExpressionAttributeValues{{":t", "x"}}}),
                      validation,
                      "One or more parameter values were invalid: Type mismatch for Index Key amount Expected: N Actual: "
                      "S IndexName: byTotal");
}

// Index reads: consistent reads refused on a GSI, allowed on an LSI; unknown index refused;
// ALL_ATTRIBUTES refused on a non-ALL GSI.
TEST_F(EngineIndexes, IndexReadRules) {
  auto q = by_status("open");
  q.consistent_read = true;
  EXPECT_DYNAMO_ERROR(engine.query(q), validation, "Consistent reads are not supported on global secondary indexes");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Orders", .index_name = "byCust", .consistent_read = true}), validation,
                      "Consistent reads are not supported on global secondary indexes");
  (void)engine.query({.table_name = "Orders", .index_name = "byTotal", .consistent_read = true,
                      .key_condition_expression = "pk = :p",
                      .expression_attribute_values = ExpressionAttributeValues{{":p", "a"}}});
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Orders", .index_name = "nope"}), validation,
                      "The table does not have the specified index: nope");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Orders", .index_name = "byStatus", .select = Select::all_attributes}),
                      validation,
                      "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                      "global secondary index byStatus because its projection type is not ALL");
}

// Paging an index: LastEvaluatedKey holds the table key and the index key, and resuming
// from it walks through items with equal index keys without loss or repetition.
TEST_F(EngineIndexes, IndexPaging) {
  for (int i = 0; i < 9; ++i) {
    put(engine, "Orders", {{"pk", "p" + std::to_string(i)}, {"sk", i}, {"status", "open"}, {"amount", i / 3}});
  }
  auto q = by_status("open");
  q.limit = 2;
  std::vector<std::string> seen;
  auto page = engine.query(q);
  EXPECT_EQ(page.last_evaluated_key->size(), 4u);  // pk, sk, status, amount
  while (true) {
    for (const auto& item : *page.items) seen.push_back(item.at("pk").as_string());
    if (!page.last_evaluated_key) break;
    q.exclusive_start_key = page.last_evaluated_key;
    page = engine.query(q);
  }
  EXPECT_EQ(seen.size(), 9u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 9u);
  // Reverse order on the index sort key.
  auto back = by_status("open");
  back.scan_index_forward = false;
  EXPECT_EQ(engine.query(back).items->front().at("amount"), AttributeValue(2));
  // Scan of an index pages the same way.
  ScanRequest scan{.table_name = "Orders", .index_name = "byStatus", .limit = 4};
  std::size_t scanned = 0;
  while (true) {
    auto s = engine.scan(scan);
    scanned += s.items->size();
    if (!s.last_evaluated_key) break;
    scan.exclusive_start_key = s.last_evaluated_key;
  }
  EXPECT_EQ(scanned, 9u);
}

// UpdateTable creates a GSI backfilled from existing items and deletes it again.
TEST_F(EngineIndexes, UpdateTableBackfillAndDelete) {
  for (int i = 0; i < 5; ++i) {
    put(engine, "Orders", {{"pk", "p" + std::to_string(i)}, {"sk", 0}, {"region", i % 2 == 0 ? "eu" : "us"}});
  }
  put(engine, "Orders", {{"pk", "bad"}, {"sk", 0}, {"region", 7}});  // wrong type: left out of the index
  auto d = engine.update_table({.table_name = "Orders",
                                .attribute_definitions = std::vector<AttributeDefinition>{{"region", ScalarAttributeType::s}},
                                .global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{
                                    {.create = CreateGlobalSecondaryIndexAction{
                                         .index_name = "byRegion", .key_schema = {{"region", KeyType::hash}},
                                         .projection = {.projection_type = ProjectionType::all}}}}})
               .table_description.value();
  EXPECT_EQ(d.global_secondary_indexes->size(), 3u);
  EXPECT_EQ(index_count(engine, "byRegion"), 5);
  auto eu = engine.query({.table_name = "Orders", .index_name = "byRegion", .key_condition_expression = "#r = :r",
                          .expression_attribute_names = ExpressionAttributeNames{{"#r", "region"}},
                          .expression_attribute_values = ExpressionAttributeValues{{":r", "eu"}}});
  EXPECT_EQ(eu.count, 3);
  // Writes after creation are indexed too.
  put(engine, "Orders", {{"pk", "p9"}, {"sk", 0}, {"region", "eu"}});
  EXPECT_EQ(index_count(engine, "byRegion"), 6);
  d = engine.update_table({.table_name = "Orders",
                           .global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{
                               {.delete_ = DeleteGlobalSecondaryIndexAction{.index_name = "byRegion"}}}})
          .table_description.value();
  EXPECT_EQ(d.global_secondary_indexes->size(), 2u);
  for (const auto& def : *d.attribute_definitions) EXPECT_NE(def.attribute_name, "region");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Orders", .index_name = "byRegion"}), validation,
                      "The table does not have the specified index: byRegion");
  EXPECT_DYNAMO_ERROR(engine.update_table({.table_name = "Orders",
                                           .global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{
                                               {.delete_ = DeleteGlobalSecondaryIndexAction{.index_name = "byRegion"}},
                                               {.delete_ = DeleteGlobalSecondaryIndexAction{.index_name = "byCust"}}}}),
                      "LimitExceededException",
                      "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
}

// A Query on an index may not filter on that index's keys; the table's own keys are then
// ordinary attributes for the filter.
TEST_F(EngineIndexes, IndexQueryFilterRejectsIndexKeys) {
  QueryRequest request = by_status("open");
  request.filter_expression = "amount > :low";
  request.expression_attribute_values->insert_or_assign(":low", 1);
  EXPECT_DYNAMO_ERROR(engine.query(request), validation,
                      "Filter Expression can only contain non-primary key attributes: Primary key attribute: amount");
  request.filter_expression = "sk > :low";
  EXPECT_NO_THROW((void)engine.query(request));
}

// ReturnItemCollectionMetrics=SIZE on a table with a local secondary index reports the
// written item's collection: its partition key and a size range in GB.
TEST_F(EngineIndexes, ItemCollectionMetrics) {
  const ItemCollectionMetrics expected{.item_collection_key = Item{{"pk", "c1"}},
                                       .size_estimate_range_gb = std::vector<double>{0, 1}};
  auto put = engine.put_item({.table_name = "Orders",
                              .item = {{"pk", "c1"}, {"sk", 1}, {"amount", 5}},
                              .return_item_collection_metrics = ReturnItemCollectionMetrics::size});
  EXPECT_EQ(put.item_collection_metrics, expected);
  auto update = engine.update_item({.table_name = "Orders",
                                    .key = {{"pk", "c1"}, {"sk", 2}},
                                    .return_item_collection_metrics = ReturnItemCollectionMetrics::size,
                                    .update_expression = "SET amount = :a",
                                    .expression_attribute_values = ExpressionAttributeValues{{":a", 7}}});
  EXPECT_EQ(update.item_collection_metrics, expected);
  auto removed = engine.delete_item({.table_name = "Orders",
                                     .key = {{"pk", "c1"}, {"sk", 1}},
                                     .return_item_collection_metrics = ReturnItemCollectionMetrics::size});
  EXPECT_EQ(removed.item_collection_metrics, expected);
  // Not asked for (or NONE): nothing.
  EXPECT_FALSE(engine.put_item({.table_name = "Orders", .item = {{"pk", "c1"}, {"sk", 3}}}).item_collection_metrics);
  EXPECT_FALSE(engine.put_item({.table_name = "Orders",
                                .item = {{"pk", "c1"}, {"sk", 3}},
                                .return_item_collection_metrics = ReturnItemCollectionMetrics::none})
                   .item_collection_metrics);

  // Batches and transactions: one entry per collection touched, by table.
  BatchWriteItemRequest batch{
      .request_items = {{"Orders",
                         {{.put_request = PutRequest{.item = {{"pk", "c2"}, {"sk", 1}}}},
                          {.put_request = PutRequest{.item = {{"pk", "c2"}, {"sk", 2}}}},
                          {.delete_request = DeleteRequest{.key = {{"pk", "c1"}, {"sk", 3}}}}}}},
      .return_item_collection_metrics = ReturnItemCollectionMetrics::size};
  auto batch_metrics = engine.batch_write_item(batch).item_collection_metrics;
  ASSERT_TRUE(batch_metrics);
  ASSERT_EQ(batch_metrics->at("Orders").size(), 2u);
  EXPECT_EQ(batch_metrics->at("Orders")[0].item_collection_key, (Item{{"pk", "c2"}}));
  EXPECT_EQ(batch_metrics->at("Orders")[1].item_collection_key, (Item{{"pk", "c1"}}));
  auto tx = engine.transact_write_items(
      {.transact_items = {{.put = TransactPut{.item = {{"pk", "c3"}, {"sk", 1}}, .table_name = "Orders"}}},
       .return_item_collection_metrics = ReturnItemCollectionMetrics::size});
  ASSERT_TRUE(tx.item_collection_metrics);
  EXPECT_EQ(tx.item_collection_metrics->at("Orders"),
            (std::vector<ItemCollectionMetrics>{{.item_collection_key = Item{{"pk", "c3"}},
                                                 .size_estimate_range_gb = std::vector<double>{0, 1}}}));
}

// A table without a local secondary index has no item collections to report.
TEST(EngineItemCollections, NoLocalIndexNoMetrics) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Plain"));
  EXPECT_FALSE(engine.put_item({.table_name = "Plain",
                                .item = {{"pk", "a"}},
                                .return_item_collection_metrics = ReturnItemCollectionMetrics::size})
                   .item_collection_metrics);
}

}  // namespace
}  // namespace dynamo::engine::test
