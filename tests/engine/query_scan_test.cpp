// Query and Scan: key conditions, sort orders, Limit, the 1 MB page, LastEvaluatedKey,
// resuming, reverse order, Select, filters and parallel scan.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "dynamo/codec/json.hpp"
#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

std::vector<AttributeValue> sort_keys(const std::vector<Item>& items) {
  std::vector<AttributeValue> keys;
  for (const auto& item : items) keys.push_back(item.at("sk"));
  return keys;
}

QueryRequest query_pk(const std::string& table, const std::string& pk) {
  return QueryRequest{.table_name = table,
                      .key_condition_expression = "pk = :p",
                      .expression_attribute_values = ExpressionAttributeValues{{":p", pk}}};
}

// Numbers sort numerically, not as text.
TEST(EngineQuery, NumberSortOrder) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
  for (const char* n : {"10", "-2.5", "9", "100", "0", "-10"}) put(engine, "Tbl", {{"pk", "a"}, {"sk", Number::parse(n)}});
  auto items = engine.query(query_pk("Tbl", "a")).items.value();
  EXPECT_EQ(sort_keys(items), (std::vector<AttributeValue>{-10, Number::parse("-2.5"), 0, 9, 10, 100}));
}

// Strings sort by UTF-8 bytes, unsigned: "Z" < "a" < "é" (0xC3...) < "😀" (0xF0...).
TEST(EngineQuery, StringSortOrder) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::s));
  for (const char* s : {"a", "\xF0\x9F\x98\x80", "Z", "\xC3\xA9", "ab", "A"}) put(engine, "Tbl", {{"pk", "a"}, {"sk", s}});
  auto items = engine.query(query_pk("Tbl", "a")).items.value();
  EXPECT_EQ(sort_keys(items),
            (std::vector<AttributeValue>{"A", "Z", "a", "ab", "\xC3\xA9", "\xF0\x9F\x98\x80"}));
}

// Binaries sort by unsigned bytes: 0x7f < 0x80 < 0xff.
TEST(EngineQuery, BinarySortOrder) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::b));
  for (int b : {0xff, 0x00, 0x80, 0x7f}) put(engine, "Tbl", {{"pk", "a"}, {"sk", Binary{static_cast<std::uint8_t>(b)}}});
  auto items = engine.query(query_pk("Tbl", "a")).items.value();
  EXPECT_EQ(sort_keys(items),
            (std::vector<AttributeValue>{Binary{0x00}, Binary{0x7f}, Binary{0x80}, Binary{0xff}}));
}

class EngineQueryPaging : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
    for (int i = 0; i < 10; ++i) put(engine, "Tbl", {{"pk", "a"}, {"sk", i}, {"odd", i % 2 == 1}});
    put(engine, "Tbl", {{"pk", "b"}, {"sk", 0}});
  }
  Engine engine{quiet_options()};
};

// Every sort-key operator selects the right range.
TEST_F(EngineQueryPaging, SortKeyConditions) {
  const auto run = [&](const std::string& condition, ExpressionAttributeValues values) {
    values.insert_or_assign(":p", "a");
    return sort_keys(engine.query({.table_name = "Tbl", .key_condition_expression = "pk = :p AND " + condition,
                                   .expression_attribute_values = values}).items.value());
  };
  EXPECT_EQ(run("sk = :v", {{":v", 3}}), (std::vector<AttributeValue>{3}));
  EXPECT_EQ(run("sk < :v", {{":v", 2}}), (std::vector<AttributeValue>{0, 1}));
  EXPECT_EQ(run("sk <= :v", {{":v", 1}}), (std::vector<AttributeValue>{0, 1}));
  EXPECT_EQ(run("sk > :v", {{":v", 7}}), (std::vector<AttributeValue>{8, 9}));
  EXPECT_EQ(run("sk >= :v", {{":v", 8}}), (std::vector<AttributeValue>{8, 9}));
  EXPECT_EQ(run("sk BETWEEN :l AND :h", {{":l", 3}, {":h", 5}}), (std::vector<AttributeValue>{3, 4, 5}));
}

// begins_with selects a prefix range of string sort keys, forward and backward.
TEST(EngineQuery, BeginsWith) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::s));
  for (const char* s : {"a", "ab", "abc", "abd", "ac", "b", "ab\xff", "ab\xff\xff"}) put(engine, "Tbl", {{"pk", "p"}, {"sk", s}});
  QueryRequest q{.table_name = "Tbl", .key_condition_expression = "pk = :p AND begins_with(sk, :s)",
                 .expression_attribute_values = ExpressionAttributeValues{{":p", "p"}, {":s", "ab"}}};
  EXPECT_EQ(sort_keys(engine.query(q).items.value()),
            (std::vector<AttributeValue>{"ab", "abc", "abd", "ab\xff", "ab\xff\xff"}));
  q.scan_index_forward = false;
  EXPECT_EQ(sort_keys(engine.query(q).items.value()),
            (std::vector<AttributeValue>{"ab\xff\xff", "ab\xff", "abd", "abc", "ab"}));
}

// Limit counts items evaluated before the filter; LastEvaluatedKey comes back even when
// the limit coincides with the end; resuming gives the rest, in both directions.
TEST_F(EngineQueryPaging, LimitFilterAndResume) {
  QueryRequest q = query_pk("Tbl", "a");
  q.filter_expression = "odd = :t";
  q.expression_attribute_values->insert_or_assign(":t", true);
  q.limit = 4;
  auto page = engine.query(q);
  EXPECT_EQ(page.scanned_count, 4);
  EXPECT_EQ(page.count, 2);
  EXPECT_EQ(sort_keys(*page.items), (std::vector<AttributeValue>{1, 3}));
  EXPECT_EQ(page.last_evaluated_key, (Item{{"pk", "a"}, {"sk", 3}}));
  std::vector<AttributeValue> all = sort_keys(*page.items);
  while (page.last_evaluated_key) {
    q.exclusive_start_key = page.last_evaluated_key;
    page = engine.query(q);
    auto more = sort_keys(*page.items);
    all.insert(all.end(), more.begin(), more.end());
  }
  EXPECT_EQ(all, (std::vector<AttributeValue>{1, 3, 5, 7, 9}));
  // 10 items, limit 5: the second page ends exactly at the last item and still has a key.
  QueryRequest exact = query_pk("Tbl", "a");
  exact.limit = 5;
  exact.exclusive_start_key = Item{{"pk", "a"}, {"sk", 4}};
  auto last = engine.query(exact);
  EXPECT_EQ(last.count, 5);
  EXPECT_EQ(last.last_evaluated_key, (Item{{"pk", "a"}, {"sk", 9}}));
  exact.exclusive_start_key = last.last_evaluated_key;
  auto empty = engine.query(exact);
  EXPECT_EQ(empty.count, 0);
  EXPECT_FALSE(empty.last_evaluated_key);
  // Backward paging.
  QueryRequest back = query_pk("Tbl", "a");
  back.scan_index_forward = false;
  back.limit = 3;
  auto b1 = engine.query(back);
  EXPECT_EQ(sort_keys(*b1.items), (std::vector<AttributeValue>{9, 8, 7}));
  back.exclusive_start_key = b1.last_evaluated_key;
  EXPECT_EQ(sort_keys(*engine.query(back).items), (std::vector<AttributeValue>{6, 5, 4}));
}

// A page stops once 1 MB of items has been read, with a LastEvaluatedKey.
TEST(EngineQuery, OneMegabytePage) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
  const std::string blob(100 * 1024, 'x');
  for (int i = 0; i < 25; ++i) put(engine, "Tbl", {{"pk", "a"}, {"sk", i}, {"blob", blob}});
  auto page = engine.query(query_pk("Tbl", "a"));
  // Each item is a little over 100 KB: the 11th crosses 1 MB.
  EXPECT_EQ(page.count, 11);
  EXPECT_EQ(page.last_evaluated_key, (Item{{"pk", "a"}, {"sk", 10}}));
  auto scan = engine.scan({.table_name = "Tbl", .select = Select::count});
  EXPECT_EQ(scan.scanned_count, 11);
  EXPECT_FALSE(scan.items);
}

// Select: COUNT returns no items; SPECIFIC_ATTRIBUTES requires a projection; the rest is refused.
TEST_F(EngineQueryPaging, SelectRules) {
  QueryRequest q = query_pk("Tbl", "a");
  q.select = Select::count;
  auto counted = engine.query(q);
  EXPECT_EQ(counted.count, 10);
  EXPECT_FALSE(counted.items);
  q.select = Select::specific_attributes;
  EXPECT_DYNAMO_ERROR(engine.query(q), validation,
                      "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when "
                      "choosing to get SPECIFIC_ATTRIBUTES");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .select = Select::specific_attributes}), validation,
                      "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  q.projection_expression = "sk";
  EXPECT_EQ(engine.query(q).items->front(), (Item{{"sk", 0}}));
  q.select = Select::all_attributes;
  EXPECT_DYNAMO_ERROR(engine.query(q), validation,
                      "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES");
  q.projection_expression.reset();
  q.select = Select::all_projected_attributes;
  EXPECT_DYNAMO_ERROR(engine.query(q), validation,
                      "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
}

// Key-condition mistakes are reported with the service's messages.
TEST_F(EngineQueryPaging, KeyConditionErrors) {
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Tbl"}), validation,
                      "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Tbl", .key_condition_expression = "sk = :v",
                                    .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}}),
                      validation, "Query condition missed key schema element: pk");
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Tbl", .key_condition_expression = "pk = :v",
                                    .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}}),
                      validation,
                      "One or more parameter values were invalid: Condition parameter type does not match schema type");
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Tbl", .limit = 0, .key_condition_expression = "pk = :v",
                                    .expression_attribute_values = ExpressionAttributeValues{{":v", "a"}}}),
                      validation,
                      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                      "have value greater than or equal to 1");
  QueryRequest bad_start = query_pk("Tbl", "a");
  bad_start.exclusive_start_key = Item{{"pk", "a"}};
  EXPECT_DYNAMO_ERROR(engine.query(bad_start), validation,
                      "The provided starting key is invalid: The provided key element does not match the schema");
}

// A Query's FilterExpression may not name a key attribute of what it reads (the Developer
// Guide: "A filter expression cannot contain partition key or sort key attributes"); a Scan's may.
TEST_F(EngineQueryPaging, FilterRejectsKeyAttributes) {
  QueryRequest by_sort = query_pk("Tbl", "a");
  by_sort.filter_expression = "sk > :low";
  by_sort.expression_attribute_values->insert_or_assign(":low", 1);
  EXPECT_DYNAMO_ERROR(engine.query(by_sort), validation,
                      "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
  QueryRequest by_partition = query_pk("Tbl", "a");
  by_partition.filter_expression = "attribute_exists(#p) AND size(#p) > :low";
  by_partition.expression_attribute_names = ExpressionAttributeNames{{"#p", "pk"}};
  by_partition.expression_attribute_values->insert_or_assign(":low", 1);
  EXPECT_DYNAMO_ERROR(engine.query(by_partition), validation,
                      "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk");
  // Other attributes are fine, and so is filtering a Scan on a key.
  QueryRequest by_other = query_pk("Tbl", "a");
  by_other.filter_expression = "attribute_not_exists(extra)";
  EXPECT_NO_THROW((void)engine.query(by_other));
  EXPECT_NO_THROW((void)engine.scan({.table_name = "Tbl", .filter_expression = "sk > :low",
                                     .expression_attribute_values = ExpressionAttributeValues{{":low", 1}}}));
}

// A full scan with small pages visits every item exactly once.
TEST(EngineScan, PagedScanIsComplete) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
  std::set<std::pair<std::string, int>> expected;
  for (int p = 0; p < 30; ++p) {
    for (int s = 0; s < 3; ++s) {
      put(engine, "Tbl", {{"pk", "p" + std::to_string(p)}, {"sk", s}});
      expected.emplace("p" + std::to_string(p), s);
    }
  }
  std::set<std::pair<std::string, int>> seen;
  ScanRequest scan{.table_name = "Tbl", .limit = 7};
  int pages = 0;
  do {
    auto page = engine.scan(scan);
    for (const auto& item : *page.items) {
      EXPECT_TRUE(seen.emplace(item.at("pk").as_string(), item.at("sk").as_number().to<int>()).second);
    }
    scan.exclusive_start_key = page.last_evaluated_key;
    ++pages;
  } while (scan.exclusive_start_key);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(pages, 13);  // 90 items / 7 per page, the last page ends at the last item (an empty 14th is not needed)
}

// Reads load rows ahead of the walk (a hint that must change nothing): partitions of every
// length around the look-ahead distances, read forward and backward, whole and in pages,
// from the table and from an index whose rows point into it, give every row once, in order.
TEST(EngineQuery, PartitionsOfEveryLengthReadInOrder) {
  Engine engine(quiet_options());
  CreateTableRequest request = table_request("Tbl", ScalarAttributeType::n);
  request.attribute_definitions.push_back({"g", ScalarAttributeType::s});
  request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "byG", .key_schema = {{"g", KeyType::hash}, {"sk", KeyType::range}},
       .projection = {.projection_type = ProjectionType::all}}};
  (void)engine.create_table(request);
  const std::vector<int> lengths{1, 2, 3, 8, 9, 15, 16, 17, 18, 33, 100};
  // Written one row per partition in turn, so that no partition's rows lie together.
  for (int s = 0; s < 100; ++s) {
    for (int length : lengths) {
      if (s < length) put(engine, "Tbl", {{"pk", "p" + std::to_string(length)}, {"sk", s}, {"g", "g" + std::to_string(length)}});
    }
  }
  for (int length : lengths) {
    for (const bool forward : {true, false}) {
      for (const int limit : {0, 1, 7, 16}) {
        for (const bool by_index : {false, true}) {
          QueryRequest query = query_pk("Tbl", "p" + std::to_string(length));
          if (by_index) {
            query.index_name = "byG";
            query.key_condition_expression = "g = :p";
            query.expression_attribute_values = ExpressionAttributeValues{{":p", "g" + std::to_string(length)}};
          }
          query.scan_index_forward = forward;
          if (limit != 0) query.limit = limit;
          std::vector<AttributeValue> seen;
          do {
            auto page = engine.query(query);
            for (const auto& item : *page.items) seen.push_back(item.at("sk"));
            query.exclusive_start_key = page.last_evaluated_key;
          } while (query.exclusive_start_key);
          std::vector<AttributeValue> expected;
          for (int s = 0; s < length; ++s) expected.emplace_back(forward ? s : length - 1 - s);
          EXPECT_EQ(seen, expected) << "length " << length << (forward ? " forward" : " backward") << ", limit " << limit
                                    << (by_index ? ", by index" : "");
        }
      }
    }
  }
  // A sort-key range in the middle of the partition: the walk stops at its edges.
  for (int length : lengths) {
    for (const bool forward : {true, false}) {
      QueryRequest query{.table_name = "Tbl",
                         .key_condition_expression = "pk = :p AND sk BETWEEN :low AND :high",
                         .expression_attribute_values = ExpressionAttributeValues{
                             {":p", "p" + std::to_string(length)}, {":low", 2}, {":high", 12}}};
      query.scan_index_forward = forward;
      std::vector<AttributeValue> expected;
      for (int s = 2; s <= std::min(12, length - 1); ++s) expected.emplace_back(s);
      if (!forward) std::reverse(expected.begin(), expected.end());
      EXPECT_EQ(sort_keys(*engine.query(query).items), expected) << "length " << length << (forward ? " forward" : " backward");
    }
  }
  for (const std::optional<std::string>& index : {std::optional<std::string>{}, std::optional<std::string>{"byG"}}) {
    ScanRequest scan{.table_name = "Tbl", .index_name = index, .limit = 5};
    std::int64_t scanned = 0;
    do {
      auto page = engine.scan(scan);
      scanned += *page.count;
      scan.exclusive_start_key = page.last_evaluated_key;
    } while (scan.exclusive_start_key);
    EXPECT_EQ(scanned, 1 + 2 + 3 + 8 + 9 + 15 + 16 + 17 + 18 + 33 + 100) << index.value_or("the table");
  }
}

// Parallel scan segments are disjoint and together complete, whatever TotalSegments is.
TEST(EngineScan, ParallelSegmentsDisjointAndComplete) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl"));
  for (int i = 0; i < 500; ++i) put(engine, "Tbl", {{"pk", "k" + std::to_string(i)}});
  for (int total : {1, 2, 3, 7, 64, 1000}) {
    std::multiset<std::string> seen;
    for (int segment = 0; segment < total; ++segment) {
      auto page = engine.scan({.table_name = "Tbl", .total_segments = total, .segment = segment});
      EXPECT_FALSE(page.last_evaluated_key);
      for (const auto& item : *page.items) seen.insert(item.at("pk").as_string());
    }
    EXPECT_EQ(seen.size(), 500u) << total;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 500u) << total;
  }
}

// Segment parameters are validated as the service validates them.
TEST(EngineScan, SegmentValidation) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl"));
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .total_segments = 2}), validation,
                      "The Segment parameter is required but was not present in the request when parameter "
                      "TotalSegments is present");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .segment = 0}), validation,
                      "The TotalSegments parameter is required but was not present in the request when Segment "
                      "parameter is present");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .total_segments = 1, .segment = 1}), validation,
                      "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 1 "
                      "is not less than TotalSegments: 1");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .total_segments = 1000001, .segment = 0}), validation,
                      "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: "
                      "Member must have value less than or equal to 1000000");
}

// Scan filters and projections apply to each item; Count and ScannedCount differ.
TEST(EngineScan, FilterAndProjection) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl"));
  for (int i = 0; i < 10; ++i) put(engine, "Tbl", {{"pk", "k" + std::to_string(i)}, {"n", i}, {"x", "y"}});
  auto page = engine.scan({.table_name = "Tbl", .projection_expression = "n", .filter_expression = "n >= :five",
                           .expression_attribute_values = ExpressionAttributeValues{{":five", 5}}});
  EXPECT_EQ(page.count, 5);
  EXPECT_EQ(page.scanned_count, 10);
  for (const auto& item : *page.items) EXPECT_EQ(item.size(), 1u);
}

// The reader of `visit` sees the items `read` returns, and the rest of the responses match.
// The JSON form's reader sees the JSON encoding of the same items.
template <class Request, class Response>
void expect_same_page(Engine& engine, const Request& request,
                      Response (Engine::*visit)(const Request&, const std::function<void(const Item&)>&),
                      Response (Engine::*visit_json)(const Request&, const std::function<void(std::string_view)>&),
                      Response (Engine::*read)(const Request&)) {
  std::vector<Item> seen;
  Response visited = (engine.*visit)(request, [&](const Item& item) { seen.push_back(item); });
  std::vector<std::string> seen_json;
  Response visited_json =
      (engine.*visit_json)(request, [&](std::string_view item) { seen_json.emplace_back(item); });
  Response expected = (engine.*read)(request);
  EXPECT_EQ(visited.items.has_value(), expected.items.has_value());
  EXPECT_TRUE(visited.items.value_or(std::vector<Item>{}).empty());
  EXPECT_EQ(seen, expected.items.value_or(std::vector<Item>{}));
  std::vector<std::string> expected_json;
  for (const Item& item : expected.items.value_or(std::vector<Item>{})) expected_json.push_back(json::encode(item));
  EXPECT_EQ(seen_json, expected_json);
  visited.items = expected.items;
  visited_json.items = expected.items;
  EXPECT_EQ(visited, expected);
  EXPECT_EQ(visited_json, expected);
}

// visit_query and visit_scan hand the reader exactly the items query and scan return, in
// their order, and return the rest of the same response: table and index reads, projections,
// filters, paging, reverse order, Select COUNT and consumed capacity.
TEST(EngineVisit, VisitFormsSeeWhatQueryAndScanReturn) {
  Engine engine(quiet_options());
  auto table = table_request("Tbl", ScalarAttributeType::n);
  table.attribute_definitions.push_back({"g", ScalarAttributeType::s});
  table.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "byG", .key_schema = {{"g", KeyType::hash}, {"sk", KeyType::range}},
       .projection = {.projection_type = ProjectionType::keys_only}}};
  (void)engine.create_table(table);
  for (int i = 0; i < 30; ++i) {
    put(engine, "Tbl", {{"pk", i % 3 == 0 ? "a" : "b"}, {"sk", i}, {"g", i % 2 == 0 ? "even" : "odd"},
                        {"text", std::string(static_cast<std::size_t>(100 + i), 'x')}});
  }
  std::vector<QueryRequest> queries{
      {.table_name = "Tbl", .key_condition_expression = "pk = :p", .expression_attribute_values = ExpressionAttributeValues{{":p", "b"}}},
      {.table_name = "Tbl", .limit = 4, .return_consumed_capacity = ReturnConsumedCapacity::total,
       .key_condition_expression = "pk = :p and sk > :s", .expression_attribute_values = ExpressionAttributeValues{{":p", "b"}, {":s", 5}}},
      {.table_name = "Tbl", .exclusive_start_key = Item{{"pk", "b"}, {"sk", 11}}, .key_condition_expression = "pk = :p",
       .expression_attribute_values = ExpressionAttributeValues{{":p", "b"}}},
      {.table_name = "Tbl", .scan_index_forward = false, .projection_expression = "sk, #t",
       .filter_expression = "size(#t) <> :s", .key_condition_expression = "pk = :p",
       .expression_attribute_names = ExpressionAttributeNames{{"#t", "text"}},
       .expression_attribute_values = ExpressionAttributeValues{{":p", "a"}, {":s", 109}}},
      {.table_name = "Tbl", .index_name = "byG", .limit = 5, .key_condition_expression = "g = :g",
       .expression_attribute_values = ExpressionAttributeValues{{":g", "odd"}}},
      {.table_name = "Tbl", .select = Select::count, .key_condition_expression = "pk = :p",
       .expression_attribute_values = ExpressionAttributeValues{{":p", "a"}}},
      {.table_name = "Tbl", .key_condition_expression = "pk = :p", .expression_attribute_values = ExpressionAttributeValues{{":p", "none"}}},
  };
  for (const QueryRequest& request : queries) expect_same_page(engine, request, &Engine::visit_query, &Engine::visit_query_json, &Engine::query);
  std::vector<ScanRequest> scans{
      {.table_name = "Tbl"},
      {.table_name = "Tbl", .limit = 7, .return_consumed_capacity = ReturnConsumedCapacity::indexes},
      {.table_name = "Tbl", .index_name = "byG", .total_segments = 2, .segment = 1},
      {.table_name = "Tbl", .projection_expression = "pk", .filter_expression = "sk < :s",
       .expression_attribute_values = ExpressionAttributeValues{{":s", 10}}},
      {.table_name = "Tbl", .select = Select::count},
  };
  for (const ScanRequest& request : scans) expect_same_page(engine, request, &Engine::visit_scan, &Engine::visit_scan_json, &Engine::scan);
}

// visit_item and visit_item_json see the item get_item returns (whole or projected), and
// neither is called for an absent item.
TEST(EngineVisit, ItemFormsSeeWhatGetItemReturns) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
  put(engine, "Tbl", {{"pk", "a"}, {"sk", 1}, {"text", "line\nbreak"}, {"tags", StringSet{"x", "y"}},
                      {"nested", AttributeMap{{"list", List{AttributeValue(1), AttributeValue(Binary{0xff})}}}}});
  std::vector<GetItemRequest> requests{
      {.table_name = "Tbl", .key = Item{{"pk", "a"}, {"sk", 1}}},
      {.table_name = "Tbl", .key = Item{{"pk", "a"}, {"sk", 1}}, .projection_expression = "nested.#l[1], tags",
       .expression_attribute_names = ExpressionAttributeNames{{"#l", "list"}}},
      {.table_name = "Tbl", .key = Item{{"pk", "a"}, {"sk", 2}}},
  };
  for (const GetItemRequest& request : requests) {
    const GetItemResponse expected = engine.get_item(request);
    std::optional<Item> seen;
    (void)engine.visit_item(request, [&](const Item& item) { seen = item; });
    EXPECT_EQ(seen, expected.item);
    std::optional<std::string> seen_json;
    (void)engine.visit_item_json(request, [&](std::string_view item) { seen_json = std::string(item); });
    EXPECT_EQ(seen_json, expected.item ? std::optional(json::encode(*expected.item)) : std::nullopt);
  }
}

}  // namespace
}  // namespace dynamo::engine::test
