// The conformance suite: every DynamoDB operation through Connection, written once and run
// on every backend (see backends.hpp). Each test states the DynamoDB behaviour it pins;
// where a peer is known to differ, known_gap() names the difference and the test follows
// DynamoDB for every other backend.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <chrono>
#include <set>
#include <thread>
#include <utility>

#include "conformance/backends.hpp"
#include "conformance/fixture.hpp"
#include "dynamo/client/table_connection.hpp"
#include "dynamo/codec/json.hpp"

namespace dynamo {
namespace {

using namespace api;
using testing::connect_to;
using testing::known_gap;

class Conformance : public testing::BackendTest {
 protected:
  // forum (S, hash) + subject (S, range), with a GSI on (status, views) and an LSI on views.
  std::string create_thread_table() {
    return create(CreateTableRequest{
        .attribute_definitions = {{"forum", ScalarAttributeType::s},
                                  {"subject", ScalarAttributeType::s},
                                  {"status", ScalarAttributeType::s},
                                  {"views", ScalarAttributeType::n}},
        .key_schema = {{"forum", KeyType::hash}, {"subject", KeyType::range}},
        .local_secondary_indexes = std::vector<LocalSecondaryIndex>{{
            .index_name = "by_views",
            .key_schema = {{"forum", KeyType::hash}, {"views", KeyType::range}},
            .projection = {.projection_type = ProjectionType::keys_only},
        }},
        .global_secondary_indexes = std::vector<GlobalSecondaryIndex>{{
            .index_name = "by_status",
            .key_schema = {{"status", KeyType::hash}, {"views", KeyType::range}},
            .projection = {.projection_type = ProjectionType::all},
            .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 5, .write_capacity_units = 5},
        }},
    });
  }

  // id (N, hash) only.
  std::string create_simple_table() {
    return create(CreateTableRequest{
        .attribute_definitions = {{"id", ScalarAttributeType::n}},
        .key_schema = {{"id", KeyType::hash}},
    });
  }
};

// CreateTable returns the description; DescribeTable reports the key schema, the indexes
// and ACTIVE; ListTables lists it, paging with Limit; DeleteTable removes it.
TEST_P(Conformance, TableLifecycle) {
  const std::string name = create_thread_table();
  const auto table = db().describe_table({.table_name = name}).table.value();
  EXPECT_EQ(table.table_name, name);
  EXPECT_EQ(table.table_status, TableStatus::active);
  ASSERT_TRUE(table.key_schema);
  EXPECT_EQ(table.key_schema->at(0).attribute_name, "forum");
  EXPECT_EQ(table.key_schema->at(0).key_type, KeyType::hash);
  EXPECT_EQ(table.key_schema->at(1).attribute_name, "subject");
  ASSERT_TRUE(table.global_secondary_indexes);
  EXPECT_EQ(table.global_secondary_indexes->at(0).index_name, "by_status");
  ASSERT_TRUE(table.local_secondary_indexes);
  EXPECT_EQ(table.local_secondary_indexes->at(0).index_name, "by_views");
  EXPECT_EQ(table.item_count, 0);

  std::set<std::string> listed;
  std::optional<std::string> start;
  do {
    const auto page = db().list_tables({.exclusive_start_table_name = start, .limit = 1});
    for (const auto& n : page.table_names.value_or(std::vector<std::string>{})) listed.insert(n);
    EXPECT_LE(page.table_names.value_or(std::vector<std::string>{}).size(), 1u);
    start = page.last_evaluated_table_name;
  } while (start);
  EXPECT_TRUE(listed.count(name));

  db().delete_table({.table_name = name});
  // DeleteTable may leave the table DELETING for a while; it must be gone eventually.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (true) {
    try {
      db().describe_table({.table_name = name});
    } catch (const TableDoesNotExist& e) {
      EXPECT_EQ(e.code(), "ResourceNotFoundException");
      break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Creating a table that exists is ResourceInUseException; describing one that does not is
// TableDoesNotExist carrying ResourceNotFoundException.
TEST_P(Conformance, TableErrors) {
  const std::string name = create_simple_table();
  try {
    db().create_table({.table_name = name,
                       .attribute_definitions = {{"id", ScalarAttributeType::n}},
                       .key_schema = {{"id", KeyType::hash}},
                       .provisioned_throughput = ProvisionedThroughput{1, 1}});
    ADD_FAILURE() << "created twice";
  } catch (const TableError& e) {
    EXPECT_EQ(e.code(), "ResourceInUseException");
  }
  EXPECT_THROW(db().describe_table({.table_name = fresh_name("missing")}), TableDoesNotExist);
  try {
    db().get_item({.table_name = fresh_name("missing"), .key = {{"id", 1}}});
    ADD_FAILURE();
  } catch (const GetError& e) {
    EXPECT_EQ(e.code(), "ResourceNotFoundException");
  }
}

// Every attribute type survives PutItem and GetItem unchanged; numbers come back canonical.
TEST_P(Conformance, PutGetEveryType) {
  const auto table = db().table(create_simple_table());
  const Item item{
      {"id", 1},
      {"s", "text \xc3\xa9"},
      {"n", Number::parse("-12.50")},
      {"b", Binary{0, 1, 255}},
      {"t", true},
      {"z", Null{}},
      {"m", AttributeMap{{"x", List{1, "y"}}, {"e", ""}}},
      {"l", List{AttributeMap{}, List{}}},
      {"ss", StringSet{"a", "b"}},
      {"ns", NumberSet{Number(1), Number::parse("2.5")}},
      {"bs", BinarySet{Binary{1}, Binary{2}}},
  };
  table.put(item);
  const auto got = table.get({{"id", 1}}, /*consistent_read=*/true);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, item);
  EXPECT_EQ(got->at("n").as_number().to_string(), "-12.5");
  EXPECT_FALSE(table.get({{"id", 2}}, true));
}

// ProjectionExpression returns only the named attributes, nested paths included.
TEST_P(Conformance, GetWithProjection) {
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"a", 1}, {"b", 2}, {"m", AttributeMap{{"x", 1}, {"y", 2}}}});
  const auto got = table.get_item({.key = {{"id", 1}},
                                   .consistent_read = true,
                                   .projection_expression = "#a, m.x",
                                   .expression_attribute_names = ExpressionAttributeNames{{"#a", "a"}}});
  EXPECT_EQ(got.item, (Item{{"a", 1}, {"m", AttributeMap{{"x", 1}}}}));
}

// A failed condition is ConditionalCheckFailedException and changes nothing; a passing one
// writes. PutItem ReturnValues=ALL_OLD returns the replaced item.
TEST_P(Conformance, ConditionalPut) {
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"v", 1}});
  try {
    table.put_item({.item = {{"id", 1}, {"v", 2}}, .condition_expression = "attribute_not_exists(id)"});
    ADD_FAILURE() << "condition should fail";
  } catch (const PutError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
  }
  EXPECT_EQ(table.get({{"id", 1}}, true)->at("v"), AttributeValue(1));
  const auto replaced = table.put_item({.item = {{"id", 1}, {"v", 3}},
                                        .return_values = ReturnValue::all_old,
                                        .condition_expression = "v = :one",
                                        .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}});
  EXPECT_EQ(replaced.attributes, (Item{{"id", 1}, {"v", 1}}));
}

// ReturnValuesOnConditionCheckFailure=ALL_OLD puts the existing item in the error.
TEST_P(Conformance, ConditionFailureReturnsOldItem) {
  if (auto gap = known_gap(GetParam(), "return_values_on_condition_check_failure"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"v", 1}});
  try {
    table.delete_item({.key = {{"id", 1}},
                       .condition_expression = "v = :two",
                       .expression_attribute_values = ExpressionAttributeValues{{":two", 2}},
                       .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
    ADD_FAILURE();
  } catch (const DeleteError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
    EXPECT_EQ(e.item(), (Item{{"id", 1}, {"v", 1}}));
  }
}

// UpdateItem creates a missing item (upsert), applies SET/ADD/REMOVE/DELETE, and returns
// what ReturnValues asks for.
TEST_P(Conformance, UpdateItem) {
  const auto table = db().table(create_simple_table());
  const auto created = table.update_item({.key = {{"id", 1}},
                                          .return_values = ReturnValue::all_new,
                                          .update_expression = "SET #n = :n, tags = :tags ADD #v :one",
                                          .expression_attribute_names = ExpressionAttributeNames{{"#n", "name"}, {"#v", "views"}},
                                          .expression_attribute_values = ExpressionAttributeValues{
                                              {":n", "first"}, {":tags", StringSet{"a", "b", "c"}}, {":one", 1}}});
  EXPECT_EQ(created.attributes,
            (Item{{"id", 1}, {"name", "first"}, {"tags", StringSet{"a", "b", "c"}}, {"views", 1}}));

  const auto updated_old = table.update_item({.key = {{"id", 1}},
                                              .return_values = ReturnValue::updated_old,
                                              .update_expression = "ADD #v :five DELETE tags :gone REMOVE #n",
                                              .expression_attribute_names = ExpressionAttributeNames{{"#n", "name"}, {"#v", "views"}},
                                              .expression_attribute_values = ExpressionAttributeValues{
                                                  {":five", 5}, {":gone", StringSet{"a"}}}});
  EXPECT_EQ(updated_old.attributes,
            (Item{{"name", "first"}, {"tags", StringSet{"a", "b", "c"}}, {"views", 1}}));
  EXPECT_EQ(table.get({{"id", 1}}, true), (Item{{"id", 1}, {"tags", StringSet{"b", "c"}}, {"views", 6}}));

  const auto updated_new = table.update_item({.key = {{"id", 1}},
                                              .return_values = ReturnValue::updated_new,
                                              .update_expression = "SET #v = #v - :two, l = list_append(:l, :l)",
                                              .expression_attribute_names = ExpressionAttributeNames{{"#v", "views"}},
                                              .expression_attribute_values = ExpressionAttributeValues{
                                                  {":two", 2}, {":l", List{1}}}});
  EXPECT_EQ(updated_new.attributes, (Item{{"l", List{1, 1}}, {"views", 4}}));
}

// Updating a key attribute is a ValidationException; so is an unused placeholder value.
TEST_P(Conformance, UpdateValidation) {
  const auto table = db().table(create_simple_table());
  try {
    table.update_item({.key = {{"id", 1}},
                       .update_expression = "SET id = :v",
                       .expression_attribute_values = ExpressionAttributeValues{{":v", 2}}});
    ADD_FAILURE();
  } catch (const UpdateError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
  try {
    table.update_item({.key = {{"id", 1}},
                       .update_expression = "SET a = :v",
                       .expression_attribute_values = ExpressionAttributeValues{{":v", 2}, {":unused", 3}}});
    ADD_FAILURE();
  } catch (const UpdateError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

// DeleteItem with ALL_OLD returns the deleted item; deleting a missing item succeeds.
TEST_P(Conformance, DeleteItem) {
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"v", "x"}});
  const auto deleted = table.delete_item({.key = {{"id", 1}}, .return_values = ReturnValue::all_old});
  EXPECT_EQ(deleted.attributes, (Item{{"id", 1}, {"v", "x"}}));
  EXPECT_FALSE(table.get({{"id", 1}}, true));
  const auto again = table.delete_item({.key = {{"id", 1}}, .return_values = ReturnValue::all_old});
  EXPECT_FALSE(again.attributes);
}

// Key attribute values must match the schema: a wrong type or an empty string key is a
// ValidationException.
TEST_P(Conformance, KeyValidation) {
  const auto table = db().table(create_thread_table());
  try {
    table.put({{"forum", 1}, {"subject", "s"}});
    ADD_FAILURE();
  } catch (const PutError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
  try {
    table.put({{"forum", ""}, {"subject", "s"}});
    ADD_FAILURE();
  } catch (const PutError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
  try {
    (void)table.get({{"forum", "f"}});
    ADD_FAILURE();
  } catch (const GetError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

void put_thread_items(const TableConnection& table, int n) {
  for (int i = 0; i < n; ++i) {
    char subject[16];
    std::snprintf(subject, sizeof subject, "s%03d", i);
    table.put({{"forum", "f"}, {"subject", subject}, {"views", i}, {"status", i % 2 ? "open" : "closed"}});
  }
  table.put({{"forum", "other"}, {"subject", "s000"}, {"views", 1000}});
}

// Query returns the partition in sort-key order (reversed with ScanIndexForward=false),
// applies the sort-key condition, and counts matches and items evaluated.
TEST_P(Conformance, QueryOrderAndConditions) {
  const auto table = db().table(create_thread_table());
  put_thread_items(table, 10);
  const auto all = table.query({.consistent_read = true,
                                .key_condition_expression = "forum = :f",
                                .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}}});
  ASSERT_EQ(all.items->size(), 10u);
  EXPECT_EQ(all.count, 10);
  EXPECT_EQ(all.items->front().at("subject"), AttributeValue("s000"));
  EXPECT_EQ(all.items->back().at("subject"), AttributeValue("s009"));

  const auto reversed = table.query({.consistent_read = true,
                                     .scan_index_forward = false,
                                     .key_condition_expression = "forum = :f AND begins_with(subject, :p)",
                                     .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}, {":p", "s00"}}});
  ASSERT_EQ(reversed.items->size(), 10u);
  EXPECT_EQ(reversed.items->front().at("subject"), AttributeValue("s009"));

  const auto between = table.query({.consistent_read = true,
                                    .filter_expression = "#v > :min",
                                    .key_condition_expression = "forum = :f AND subject BETWEEN :a AND :b",
                                    .expression_attribute_names = ExpressionAttributeNames{{"#v", "views"}},
                                    .expression_attribute_values = ExpressionAttributeValues{
                                        {":f", "f"}, {":a", "s002"}, {":b", "s006"}, {":min", 3}}});
  EXPECT_EQ(between.count, 3);          // s004, s005, s006 pass the filter
  EXPECT_EQ(between.scanned_count, 5);  // s002..s006 were evaluated

  const auto counted = table.query({.select = Select::count,
                                    .consistent_read = true,
                                    .key_condition_expression = "forum = :f",
                                    .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}}});
  EXPECT_EQ(counted.count, 10);
  EXPECT_FALSE(counted.items && !counted.items->empty());
}

// A Query's FilterExpression may not name the partition or sort key (they belong in the
// key condition); the error names the key attribute.
TEST_P(Conformance, QueryFilterOnKeyRefused) {
  if (auto gap = known_gap(GetParam(), "query_filter_on_key"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_thread_table());
  put_thread_items(table, 3);
  try {
    (void)table.query({.filter_expression = "subject > :s",
                       .key_condition_expression = "forum = :f",
                       .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}, {":s", "s000"}}});
    ADD_FAILURE() << "a filter on the sort key was accepted";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(e.cause_message(),
              "Filter Expression can only contain non-primary key attributes: Primary key attribute: subject");
  }
}

// Limit caps the items evaluated per page; LastEvaluatedKey resumes exactly where the page
// ended, and together the pages hold every item once.
TEST_P(Conformance, QueryPaging) {
  const auto table = db().table(create_thread_table());
  put_thread_items(table, 7);
  std::vector<std::string> subjects;
  std::optional<Item> start;
  int pages = 0;
  do {
    const auto page = table.query({.limit = 3,
                                   .consistent_read = true,
                                   .exclusive_start_key = start,
                                   .key_condition_expression = "forum = :f",
                                   .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}}});
    for (const auto& item : page.items.value_or(std::vector<Item>{})) subjects.push_back(item.at("subject").as_string());
    EXPECT_LE(page.count.value_or(0), 3);
    start = page.last_evaluated_key;
    if (start) {
      EXPECT_EQ(start->size(), 2u);  // the table key: forum and subject
    }
    ASSERT_LT(++pages, 10);
  } while (start);
  ASSERT_EQ(subjects.size(), 7u);
  EXPECT_EQ(subjects.front(), "s000");
  EXPECT_EQ(subjects.back(), "s006");
}

// A query on a GSI finds items by the index key, in index sort order; items without the
// index key attribute are not in the index; LastEvaluatedKey holds table and index keys.
TEST_P(Conformance, QueryGlobalIndex) {
  const auto table = db().table(create_thread_table());
  put_thread_items(table, 6);
  const auto open = table.query({.index_name = "by_status",
                                 .limit = 2,
                                 .key_condition_expression = "#s = :open",
                                 .expression_attribute_names = ExpressionAttributeNames{{"#s", "status"}},
                                 .expression_attribute_values = ExpressionAttributeValues{{":open", "open"}}});
  ASSERT_EQ(open.items->size(), 2u);
  EXPECT_EQ(open.items->at(0).at("views"), AttributeValue(1));
  EXPECT_EQ(open.items->at(1).at("views"), AttributeValue(3));
  ASSERT_TRUE(open.last_evaluated_key);
  EXPECT_EQ(open.last_evaluated_key->size(), 4u);  // forum, subject, status, views
  const auto rest = table.query({.index_name = "by_status",
                                 .exclusive_start_key = open.last_evaluated_key,
                                 .key_condition_expression = "#s = :open",
                                 .expression_attribute_names = ExpressionAttributeNames{{"#s", "status"}},
                                 .expression_attribute_values = ExpressionAttributeValues{{":open", "open"}}});
  ASSERT_EQ(rest.items->size(), 1u);
  EXPECT_EQ(rest.items->at(0).at("views"), AttributeValue(5));
}

// Consistent reads on a global secondary index are refused.
TEST_P(Conformance, ConsistentReadOnGlobalIndexIsRefused) {
  const auto table = db().table(create_thread_table());
  try {
    table.query({.index_name = "by_status",
                 .consistent_read = true,
                 .key_condition_expression = "#s = :open",
                 .expression_attribute_names = ExpressionAttributeNames{{"#s", "status"}},
                 .expression_attribute_values = ExpressionAttributeValues{{":open", "open"}}});
    ADD_FAILURE();
  } catch (const QueryError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

// A local secondary index orders a partition by its own sort key.
TEST_P(Conformance, QueryLocalIndex) {
  const auto table = db().table(create_thread_table());
  table.put({{"forum", "f"}, {"subject", "a"}, {"views", 30}});
  table.put({{"forum", "f"}, {"subject", "b"}, {"views", 10}});
  table.put({{"forum", "f"}, {"subject", "c"}, {"views", 20}});
  const auto page = table.query({.index_name = "by_views",
                                 .consistent_read = true,
                                 .key_condition_expression = "forum = :f AND #v > :v",
                                 .expression_attribute_names = ExpressionAttributeNames{{"#v", "views"}},
                                 .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}, {":v", 15}}});
  ASSERT_EQ(page.items->size(), 2u);
  EXPECT_EQ(page.items->at(0).at("subject"), AttributeValue("c"));
  EXPECT_EQ(page.items->at(1).at("subject"), AttributeValue("a"));
}

// Parallel scan segments are disjoint and together hold every item; a filter is applied
// after Limit counts evaluated items.
TEST_P(Conformance, ScanSegmentsAndFilter) {
  const auto table = db().table(create_simple_table());
  for (int i = 0; i < 40; ++i) table.put({{"id", i}, {"even", i % 2 == 0}});
  std::multiset<int> seen;
  for (int segment = 0; segment < 4; ++segment) {
    std::optional<Item> start;
    do {
      const auto page = table.scan({.limit = 7, .exclusive_start_key = start, .total_segments = 4, .segment = segment,
                                    .consistent_read = true});
      for (const auto& item : page.items.value_or(std::vector<Item>{})) seen.insert(item.at("id").as_number().to<int>());
      start = page.last_evaluated_key;
    } while (start);
  }
  EXPECT_EQ(seen.size(), 40u);
  EXPECT_EQ(std::set<int>(seen.begin(), seen.end()).size(), 40u);

  const auto filtered = table.scan({.filter_expression = "#e = :t",
                                    .expression_attribute_names = ExpressionAttributeNames{{"#e", "even"}},
                                    .expression_attribute_values = ExpressionAttributeValues{{":t", true}},
                                    .consistent_read = true});
  EXPECT_EQ(filtered.count, 20);
  EXPECT_EQ(filtered.scanned_count, 40);
}

// BatchWriteItem puts and deletes up to 25 items; BatchGetItem reads them back.
TEST_P(Conformance, BatchWriteAndGet) {
  const std::string name = create_simple_table();
  std::vector<WriteRequest> writes;
  for (int i = 0; i < 25; ++i) writes.push_back({.put_request = PutRequest{.item = {{"id", i}, {"v", i * 10}}}});
  auto written = db().batch_write_item({.request_items = {{name, writes}}});
  EXPECT_TRUE(!written.unprocessed_items || written.unprocessed_items->empty() ||
              written.unprocessed_items->at(name).empty());

  db().batch_write_item({.request_items = {{name, {{.delete_request = DeleteRequest{.key = {{"id", 0}}}}}}}});

  KeysAndAttributes keys{.consistent_read = true};
  for (int i = 0; i < 5; ++i) keys.keys.push_back({{"id", i}});
  const auto got = db().batch_get_item({.request_items = {{name, keys}}});
  const auto& items = got.responses->at(name);
  EXPECT_EQ(items.size(), 4u);  // id 0 was deleted
  for (const auto& item : items) {
    EXPECT_EQ(item.at("v").as_number(), Number(item.at("id").as_number().to<int>() * 10));
  }
}

// Two writes to one key in a batch are refused.
TEST_P(Conformance, BatchWriteRejectsDuplicateKeys) {
  if (auto gap = known_gap(GetParam(), "batch_duplicate_keys"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string name = create_simple_table();
  try {
    db().batch_write_item({.request_items = {{name,
                                              {{.put_request = PutRequest{.item = {{"id", 1}}}},
                                               {.put_request = PutRequest{.item = {{"id", 1}, {"x", 1}}}}}}}});
    ADD_FAILURE();
  } catch (const PutError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

// TransactWriteItems applies every action or none; a failed condition cancels all of them
// with one reason per action.
TEST_P(Conformance, TransactWrite) {
  const std::string name = create_simple_table();
  if (auto gap = known_gap(GetParam(), "transactions"); !gap.empty()) {
    EXPECT_THROW(db().transact_write_items({.transact_items = {{.put = TransactPut{.item = {{"id", 1}}, .table_name = name}}}}),
                 TransactWriteError);  // the peer refuses loudly rather than pretending
    GTEST_SKIP() << gap;
  }
  const auto table = db().table(name);
  table.put({{"id", 1}, {"balance", 100}});
  table.put({{"id", 2}, {"balance", 0}});
  auto transfer = [&](int amount) {
    return TransactWriteItemsRequest{.transact_items = {
                                         {.update = TransactUpdate{
                                              .key = {{"id", 1}},
                                              .update_expression = "SET balance = balance - :a",
                                              .table_name = name,
                                              .condition_expression = "balance >= :a",
                                              .expression_attribute_values = ExpressionAttributeValues{{":a", amount}},
                                          }},
                                         {.update = TransactUpdate{
                                              .key = {{"id", 2}},
                                              .update_expression = "SET balance = balance + :a",
                                              .table_name = name,
                                              .expression_attribute_values = ExpressionAttributeValues{{":a", amount}},
                                          }},
                                     }};
  };
  db().transact_write_items(transfer(60));
  EXPECT_EQ(table.get({{"id", 1}}, true)->at("balance"), AttributeValue(40));
  EXPECT_EQ(table.get({{"id", 2}}, true)->at("balance"), AttributeValue(60));
  try {
    db().transact_write_items(transfer(60));
    ADD_FAILURE() << "overdraft accepted";
  } catch (const TransactWriteError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 2u);
    EXPECT_EQ(e.cancellation_reasons()[0].code, "ConditionalCheckFailed");
    EXPECT_EQ(e.cancellation_reasons()[1].code, std::nullopt);
  }
  EXPECT_EQ(table.get({{"id", 1}}, true)->at("balance"), AttributeValue(40));
  EXPECT_EQ(table.get({{"id", 2}}, true)->at("balance"), AttributeValue(60));
}

// TransactGetItems with a key of the wrong type in one Get: the transaction is cancelled
// with a ValidationError reason for that Get and None for the others (measured on the
// service), not refused with a request-level ValidationException.
TEST_P(Conformance, TransactGetWrongKeyTypeIsACancellationReason) {
  const std::string name = create_simple_table();
  if (auto gap = known_gap(GetParam(), "transactions"); !gap.empty()) GTEST_SKIP() << gap;
  if (auto gap = known_gap(GetParam(), "transaction_key_type_reason"); !gap.empty()) GTEST_SKIP() << gap;
  try {
    (void)db().transact_get_items({.transact_items = {{.get = {.key = {{"id", 1}}, .table_name = name}},
                                                      {.get = {.key = {{"id", "one"}}, .table_name = name}}}});
    ADD_FAILURE() << "a key of the wrong type was read";
  } catch (const TransactGetError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 2u);
    EXPECT_EQ(e.cancellation_reasons()[0].code, std::nullopt);
    EXPECT_EQ(e.cancellation_reasons()[1].code, "ValidationError");
    EXPECT_EQ(e.cancellation_reasons()[1].message, "The provided key element does not match the schema");
  }
}

// TransactGetItems reads several items at once, in request order, absent ones empty.
TEST_P(Conformance, TransactGet) {
  const std::string name = create_simple_table();
  if (auto gap = known_gap(GetParam(), "transactions"); !gap.empty()) {
    EXPECT_THROW(db().transact_get_items({.transact_items = {{.get = {.key = {{"id", 1}}, .table_name = name}}}}),
                 TransactGetError);  // the peer refuses loudly rather than pretending
    GTEST_SKIP() << gap;
  }
  db().table(name).put({{"id", 1}, {"v", "one"}});
  const auto got = db().transact_get_items(
      {.transact_items = {{.get = {.key = {{"id", 2}}, .table_name = name}}, {.get = {.key = {{"id", 1}}, .table_name = name}}}});
  ASSERT_EQ(got.responses->size(), 2u);
  EXPECT_FALSE(got.responses->at(0).item);
  EXPECT_EQ(got.responses->at(1).item, (Item{{"id", 1}, {"v", "one"}}));
}

// UpdateTable changes provisioned throughput; DescribeTable reports it.
TEST_P(Conformance, UpdateTableThroughput) {
  const std::string name = create_simple_table();
  db().update_table({.table_name = name,
                     .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 7, .write_capacity_units = 9}});
  wait_active(name);
  const auto table = db().describe_table({.table_name = name}).table.value();
  EXPECT_EQ(table.provisioned_throughput->read_capacity_units, 7);
  EXPECT_EQ(table.provisioned_throughput->write_capacity_units, 9);
}

// UpdateTimeToLive enables TTL on an attribute; DescribeTimeToLive reports it.
TEST_P(Conformance, TimeToLiveSettings) {
  const std::string name = create_simple_table();
  if (auto gap = known_gap(GetParam(), "ttl"); !gap.empty()) {
    // The peer must at least refuse loudly rather than pretend.
    EXPECT_THROW(db().update_time_to_live({.table_name = name,
                                           .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}}),
                 Error);
    GTEST_SKIP() << gap;
  }
  const auto updated = db().update_time_to_live(
      {.table_name = name, .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  EXPECT_EQ(updated.time_to_live_specification, (TimeToLiveSpecification{.enabled = true, .attribute_name = "expires"}));
  const auto described = db().describe_time_to_live({.table_name = name});
  ASSERT_TRUE(described.time_to_live_description);
  EXPECT_EQ(described.time_to_live_description->attribute_name, "expires");
  EXPECT_EQ(described.time_to_live_description->time_to_live_status, TimeToLiveStatus::enabled);
}

// Many asynchronous writes can be in flight at once; all land.
TEST_P(Conformance, AsyncWritesInFlight) {
  const auto table = db().table(create_simple_table());
  std::vector<std::future<PutItemResponse>> pending;
  for (int i = 0; i < 40; ++i) pending.push_back(table.put_item_async({.item = {{"id", i}, {"async", true}}}));
  for (auto& f : pending) f.get();
  const auto all = table.scan({.select = Select::count, .consistent_read = true});
  EXPECT_EQ(all.count, 40);
}

// Legacy Expected: Value/Exists and ComparisonOperator entries, ANDed by default or ORed;
// a failed check is ConditionalCheckFailedException and changes nothing.
TEST_P(Conformance, LegacyExpected) {
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"v", 5}, {"s", "hello"}, {"tags", StringSet{"a", "b"}}});
  auto check = [&](ExpectedMap expected, std::optional<ConditionalOperator> op = std::nullopt) {
    try {
      table.put_item({.item = {{"id", 1}, {"v", 5}, {"s", "hello"}, {"tags", StringSet{"a", "b"}}},
                      .expected = std::move(expected),
                      .conditional_operator = op});
      return true;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "ConditionalCheckFailedException") << e.what();
      return false;
    }
  };
  auto entry = [](ComparisonOperator op, AttributeValueList values) {
    ExpectedAttributeValue e{.comparison_operator = op};
    if (!values.empty()) e.attribute_value_list = std::move(values);
    return e;
  };
  EXPECT_TRUE(check({{"v", {.value = AttributeValue(5)}}, {"missing", {.exists = false}}}));
  EXPECT_FALSE(check({{"v", {.value = AttributeValue(6)}}}));
  EXPECT_FALSE(check({{"v", {.exists = false}}}));
  EXPECT_TRUE(check({{"v", entry(ComparisonOperator::between, {4, 6})}, {"s", entry(ComparisonOperator::begins_with, {"he"})}}));
  EXPECT_TRUE(check({{"tags", entry(ComparisonOperator::contains, {"a"})}, {"v", entry(ComparisonOperator::in, {1, 5})}}));
  EXPECT_TRUE(check({{"missing", entry(ComparisonOperator::ne, {1})}, {"missing2", entry(ComparisonOperator::null, {})}}));
  EXPECT_FALSE(check({{"v", entry(ComparisonOperator::lt, {5})}}));
  EXPECT_FALSE(check({{"v", entry(ComparisonOperator::gt, {9})}, {"s", entry(ComparisonOperator::not_null, {})}}));
  if (known_gap(GetParam(), "legacy_conditional_or").empty()) {
    EXPECT_TRUE(check({{"v", entry(ComparisonOperator::gt, {9})}, {"s", entry(ComparisonOperator::not_null, {})}},
                      ConditionalOperator::or_));
    EXPECT_TRUE(check({{"s", entry(ComparisonOperator::null, {})}, {"v", entry(ComparisonOperator::eq, {5})}},
                      ConditionalOperator::or_));
  }
  if (known_gap(GetParam(), "legacy_not_contains_missing").empty()) {
    // NOT_CONTAINS on a missing attribute is false (while NE on one is true).
    EXPECT_FALSE(check({{"missing", entry(ComparisonOperator::not_contains, {"a"})}}));
  }
  if (known_gap(GetParam(), "legacy_expected_on_delete").empty()) {
    try {
      table.delete_item({.key = {{"id", 1}}, .expected = ExpectedMap{{"v", {.value = AttributeValue(4)}}}});
      ADD_FAILURE() << "the delete's Expected should fail";
    } catch (const DeleteError& e) {
      EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
    }
  }
  table.delete_item({.key = {{"id", 1}}, .expected = ExpectedMap{{"v", {.value = AttributeValue(5)}}}});
  EXPECT_FALSE(table.get({{"id", 1}}, true));
}

// Legacy AttributeUpdates: PUT replaces, ADD adds numbers, unions sets and appends to
// lists, DELETE removes an attribute or set elements; an absent item is created.
TEST_P(Conformance, LegacyAttributeUpdates) {
  const auto table = db().table(create_simple_table());
  const auto created = table.update_item(
      {.key = {{"id", 1}},
       .attribute_updates = AttributeUpdateMap{{"n", {.value = AttributeValue(2), .action = AttributeAction::add}},
                                               {"s", {.value = AttributeValue("x")}},
                                               {"l", {.value = AttributeValue(List{1}), .action = AttributeAction::put}},
                                               {"tags", {.value = AttributeValue(StringSet{"a", "b"}),
                                                         .action = AttributeAction::add}}},
       .return_values = ReturnValue::all_new});
  EXPECT_EQ(created.attributes, (Item{{"id", 1}, {"n", 2}, {"s", "x"}, {"l", List{1}}, {"tags", StringSet{"a", "b"}}}));
  table.update_item(
      {.key = {{"id", 1}},
       .attribute_updates = AttributeUpdateMap{{"n", {.value = AttributeValue(-5), .action = AttributeAction::add}},
                                               {"s", {.action = AttributeAction::delete_}},
                                               {"l", {.value = AttributeValue(List{2}), .action = AttributeAction::add}},
                                               {"tags", {.value = AttributeValue(StringSet{"a"}),
                                                         .action = AttributeAction::delete_}}},
       .expected = ExpectedMap{{"n", {.value = AttributeValue(2)}}}});
  EXPECT_EQ(table.get({{"id", 1}}, true), (Item{{"id", 1}, {"n", -3}, {"l", List{1, 2}}, {"tags", StringSet{"b"}}}));
  if (auto gap = known_gap(GetParam(), "legacy_update_type_mismatch"); !gap.empty()) GTEST_SKIP() << gap;
  try {
    table.update_item({.key = {{"id", 1}},
                       .attribute_updates = AttributeUpdateMap{{"n", {.value = AttributeValue(StringSet{"z"}),
                                                                      .action = AttributeAction::add}}}});
    ADD_FAILURE() << "ADD of a set to a number was accepted";
  } catch (const UpdateError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
}

// Legacy KeyConditions (EQ on the partition key; BETWEEN, BEGINS_WITH on the sort key),
// QueryFilter and ScanFilter.
TEST_P(Conformance, LegacyQueryAndScan) {
  const auto table = db().table(create_thread_table());
  put_thread_items(table, 6);
  auto key = [](std::optional<Condition> sort) {
    ConditionMap keys{{"forum", {.attribute_value_list = AttributeValueList{"f"}, .comparison_operator = ComparisonOperator::eq}}};
    if (sort) keys.emplace("subject", *sort);
    return keys;
  };
  const auto between = table.query(
      {.consistent_read = true,
       .key_conditions = key(Condition{.attribute_value_list = AttributeValueList{"s001", "s003"},
                                       .comparison_operator = ComparisonOperator::between})});
  EXPECT_EQ(between.count, 3);
  if (auto gap = known_gap(GetParam(), "legacy_query_filter"); !gap.empty()) GTEST_SKIP() << gap;
  const auto prefixed = table.query(
      {.consistent_read = true,
       .key_conditions = key(Condition{.attribute_value_list = AttributeValueList{"s00"},
                                       .comparison_operator = ComparisonOperator::begins_with}),
       .query_filter = ConditionMap{{"views", {.attribute_value_list = AttributeValueList{3},
                                               .comparison_operator = ComparisonOperator::ge}}},
       .scan_index_forward = false});
  ASSERT_TRUE(prefixed.items);
  ASSERT_EQ(prefixed.count, 3);
  EXPECT_EQ(prefixed.scanned_count, 6);
  EXPECT_EQ(prefixed.items->front().at("subject"), AttributeValue("s005"));
  if (auto gap = known_gap(GetParam(), "legacy_conditional_or"); !gap.empty()) GTEST_SKIP() << gap;
  const auto scanned = table.scan(
      {.scan_filter = ConditionMap{{"views", {.attribute_value_list = AttributeValueList{1, 4},
                                              .comparison_operator = ComparisonOperator::in}},
                                   {"subject", {.attribute_value_list = AttributeValueList{"s000"},
                                                .comparison_operator = ComparisonOperator::eq}}},
       .conditional_operator = ConditionalOperator::or_,
       .consistent_read = true});
  EXPECT_EQ(scanned.count, 4);  // views 1 and 4, and both items with subject s000
}

// Legacy and expression parameters in one request are refused with the service's message.
TEST_P(Conformance, LegacyMixedWithExpressionsRefused) {
  if (auto gap = known_gap(GetParam(), "legacy_expected_on_delete"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  try {
    table.delete_item({.key = {{"id", 1}},
                       .expected = ExpectedMap{{"id", {.exists = false}}},
                       .condition_expression = "attribute_not_exists(id)"});
    ADD_FAILURE() << "Expected with ConditionExpression was accepted";
  } catch (const DeleteError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(e.cause_message(),
              "Can not use both expression and non-expression parameters in the same request: Non-expression "
              "parameters: {Expected} Expression parameters: {ConditionExpression}");
  }
  try {
    table.update_item({.key = {{"id", 1}},
                       .attribute_updates = AttributeUpdateMap{{"v", {.value = AttributeValue(1)}}},
                       .update_expression = "SET v = :v",
                       .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}});
    ADD_FAILURE() << "AttributeUpdates with UpdateExpression was accepted";
  } catch (const UpdateError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(e.cause_message(),
              "Can not use both expression and non-expression parameters in the same request: Non-expression "
              "parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
  }
}

// Malformed legacy conditions: wrong argument counts and Exists without Value.
TEST_P(Conformance, LegacyConditionErrors) {
  if (auto gap = known_gap(GetParam(), "legacy_validation"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  try {
    table.scan({.scan_filter = ConditionMap{{"v", {.attribute_value_list = AttributeValueList{1},
                                                   .comparison_operator = ComparisonOperator::between}}}});
    ADD_FAILURE() << "BETWEEN with one value was accepted";
  } catch (const ScanError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(e.cause_message(),
              "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN "
              "ComparisonOperator");
  }
  try {
    table.put_item({.item = {{"id", 1}}, .expected = ExpectedMap{{"v", {.exists = true}}}});
    ADD_FAILURE() << "Exists true without Value was accepted";
  } catch (const PutError& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_NE(e.cause_message().find("Value must be provided when Exists is true for Attribute: v"), std::string::npos)
        << e.cause_message();
  }
}

// The code and the service's message of the error `call` throws; empty when it succeeds.
template <class Call>
std::pair<std::string, std::string> error_of(Call&& call) {
  try {
    (void)call();
  } catch (const OperationError& e) {
    return {e.code(), e.cause_message()};
  }
  return {};
}

// Issue 12's differential rows: where the engine once answered unlike DynamoDB. Each states
// DynamoDB's behaviour and its source; peers that differ are listed in known_gap().

// REMOVE of a nested path whose parent is missing is refused on an existing item, and
// ignored (no item created) on an absent one (ScyllaDB Alternator's
// test_nested_attribute_update_bad_path_dot, test_nested_attribute_remove_from_missing_item).
TEST_P(Conformance, RemoveNestedPathUnderMissingParent) {
  if (auto gap = known_gap(GetParam(), "remove_nested_missing_parent"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"a", "hello"}});
  for (const char* expression : {"REMOVE c.d", "REMOVE c[0]", "REMOVE a.c"}) {
    const auto [code, message] = error_of([&] { return table.update_item({.key = {{"id", 1}}, .update_expression = expression}); });
    EXPECT_EQ(code, "ValidationException") << expression;
    EXPECT_EQ(message, "The document path provided in the update expression is invalid for update") << expression;
  }
  EXPECT_EQ(error_of([&] { return table.update_item({.key = {{"id", 2}}, .update_expression = "REMOVE c.d"}); }).first, "");
  EXPECT_FALSE(table.get({{"id", 2}}, true));
}

// An UpdateItem that only removes does not create an absent item; an empty one does
// (Alternator's test_update_item_non_existent).
TEST_P(Conformance, UpdateThatOnlyRemovesDoesNotCreate) {
  if (auto gap = known_gap(GetParam(), "update_remove_creates"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  table.update_item({.key = {{"id", 1}}, .update_expression = "REMOVE v"});
  EXPECT_FALSE(table.get({{"id", 1}}, true));
  table.update_item({.key = {{"id", 2}}});
  EXPECT_EQ(table.get({{"id", 2}}, true), (Item{{"id", 2}}));
}

// A projected path matching nothing inside a map or list leaves the attribute out
// (Alternator's test_projection_expression_path).
TEST_P(Conformance, ProjectionOfMissingNestedPath) {
  if (auto gap = known_gap(GetParam(), "projection_missing_nested"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"m", AttributeMap{{"b", 1}}}, {"l", List{1, 2}}});
  EXPECT_EQ(table.get_item({.key = {{"id", 1}}, .consistent_read = true, .projection_expression = "m.x"}).item, Item{});
  EXPECT_EQ(table.get_item({.key = {{"id", 1}}, .consistent_read = true, .projection_expression = "l[5], m.b"}).item,
            (Item{{"m", AttributeMap{{"b", 1}}}}));
  const auto scanned = table.scan({.projection_expression = "id, m.x"});
  EXPECT_EQ(scanned.items, (std::vector<Item>{{{"id", 1}}}));
}

// An ordering comparison with a value that is not S, N or B is a ValidationException; with
// an item attribute of such a type the condition is only false (Alternator's
// test_update_condition_lt).
TEST_P(Conformance, OrderingOperandTypeIsValidated) {
  if (auto gap = known_gap(GetParam(), "ordering_operand_type"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"a", 1}, {"x", List{1}}});
  const auto [code, message] = error_of([&] {
    return table.update_item({.key = {{"id", 1}},
                              .update_expression = "SET z = :one",
                              .condition_expression = "a < :v",
                              .expression_attribute_values = ExpressionAttributeValues{{":one", 1}, {":v", List{1}}}});
  });
  EXPECT_EQ(code, "ValidationException");
  EXPECT_EQ(message,
            "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, "
            "operand type: L");
  EXPECT_EQ(error_of([&] {
              return table.update_item({.key = {{"id", 1}},
                                        .update_expression = "SET z = :one",
                                        .condition_expression = "x < :v",
                                        .expression_attribute_values = ExpressionAttributeValues{{":one", 1}, {":v", 1}}});
            }).first,
            "ConditionalCheckFailedException");
}

// Documents nest 32 levels counting the attribute: 31 maps holding a scalar are stored, 32
// are refused (measured on the service by a suite that runs on AWS).
TEST_P(Conformance, NestingDepthBoundary) {
  if (auto gap = known_gap(GetParam(), "nesting_depth"); !gap.empty()) GTEST_SKIP() << gap;
  const auto nested = [](int levels) {
    AttributeValue v = "leaf";
    for (int i = 0; i < levels; ++i) v = AttributeMap{{"n", std::move(v)}};
    return v;
  };
  const auto table = db().table(create_simple_table());
  table.put({{"id", 1}, {"d", nested(31)}});
  EXPECT_EQ(table.get({{"id", 1}}, true)->at("d"), nested(31));
  const auto [code, message] = error_of([&] { return table.put_item({.item = {{"id", 2}, {"d", nested(32)}}}); });
  EXPECT_EQ(code, "ValidationException");
  EXPECT_NE(message.find("Nesting Levels have exceeded supported limits"), std::string::npos) << message;
}

// Query: a key condition on an attribute outside the key schema names the key schema element
// the condition missed (moto's tests, checked against AWS).
TEST_P(Conformance, QueryConditionMissedKeySchemaElement) {
  if (auto gap = known_gap(GetParam(), "query_missed_key_element"); !gap.empty()) GTEST_SKIP() << gap;
  const auto table = db().table(create_thread_table());
  const auto query = [&](const char* condition) {
    return error_of([&] {
      return table.query({.key_condition_expression = condition,
                          .expression_attribute_values = ExpressionAttributeValues{{":f", "f"}, {":s", "s"}}});
    });
  };
  EXPECT_EQ(query("wrongName = :f AND subject = :s"),
            (std::pair<std::string, std::string>{"ValidationException", "Query condition missed key schema element: forum"}));
  EXPECT_EQ(query("forum = :f AND wrongName = :s"),
            (std::pair<std::string, std::string>{"ValidationException", "Query condition missed key schema element: subject"}));
}

// Messages DynamoDB gives word for word: ExpressionAttributeValues without an expression,
// a table's BatchWriteItem list over 25, the same attribute as HASH and RANGE (dynalite's
// validations and tests, a suite run against AWS).
TEST_P(Conformance, ExactValidationMessages) {
  if (auto gap = known_gap(GetParam(), "exact_validation_messages"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string name = create_simple_table();
  const auto table = db().table(name);
  EXPECT_EQ(error_of([&] {
              return table.put_item({.item = {{"id", 1}}, .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}});
            }),
            (std::pair<std::string, std::string>{
                "ValidationException",
                "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"}));
  std::vector<WriteRequest> writes;
  for (int i = 0; i < 26; ++i) writes.push_back({.put_request = PutRequest{.item = {{"id", i}}}});
  const auto [code, message] = error_of([&] { return db().batch_write_item({.request_items = {{name, writes}}}); });
  EXPECT_EQ(code, "ValidationException");
  EXPECT_NE(message.find("' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member "
                         "must have length less than or equal to 25, Member must have length greater than or equal to 1]"),
            std::string::npos)
      << message;
  EXPECT_EQ(error_of([&] {
              return db().create_table({.table_name = fresh_name("twice"),
                                        .attribute_definitions = {{"id", ScalarAttributeType::n}},
                                        .key_schema = {{"id", KeyType::hash}, {"id", KeyType::range}},
                                        .provisioned_throughput = ProvisionedThroughput{1, 1}});
            }),
            (std::pair<std::string, std::string>{"ValidationException",
                                                 "Invalid KeySchema: Some index key attribute have no definition"}));
}

// Over HTTP, the logging hook reports each call's operation, table, status and attempts,
// and never the secret key.
TEST_P(Conformance, TransportLoggingHook) {
  const std::string endpoint = testing::http_endpoint(GetParam());
  if (endpoint.empty()) GTEST_SKIP() << "the embedded engine has no transport";
  const std::string name = create_simple_table();
  std::vector<std::string> lines;
  std::mutex mutex;
  auto options = testing::http_options(endpoint);
  options.transport_hooks.log_call = [&](const http::CallFinished& call) {
    std::lock_guard lock(mutex);
    lines.push_back(std::string(call.operation) + " " + std::string(call.table_name) + " " +
                    std::to_string(call.http_status) + " attempts=" + std::to_string(call.attempts) + " " +
                    std::string(call.client_request_id));
  };
  auto logged = Connection::connect(options);
  logged.put_item({.table_name = name, .item = {{"id", 1}}});
  EXPECT_THROW(logged.get_item({.table_name = name, .key = {{"wrong", 1}}}), GetError);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].rfind("PutItem " + name + " 200 attempts=1 ", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("GetItem " + name + " 400 attempts=1 ", 0), 0u) << lines[1];
  for (const auto& line : lines) EXPECT_EQ(line.find("dynamo-test-secret"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Conformance, ::testing::ValuesIn(testing::conformance_backends()),
                         [](const ::testing::TestParamInfo<std::string>& row) { return row.param; });

}  // namespace
}  // namespace dynamo
