// The conformance rows of PartiQL for DynamoDB: ExecuteStatement, BatchExecuteStatement and
// ExecuteTransaction through Connection on every backend (see backends.hpp). Each test pins
// one behaviour AWS's "PartiQL for DynamoDB" reference documents; a peer that does not
// implement it is a known_gap() with the reason.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "conformance/backends.hpp"
#include "conformance/fixture.hpp"

namespace dynamo {
namespace {

using namespace api;
using testing::known_gap;

class PartiqlConformance : public testing::BackendTest {
 protected:
  void SetUp() override {
    if (auto gap = known_gap(GetParam(), "partiql"); !gap.empty()) GTEST_SKIP() << gap;
    BackendTest::SetUp();
  }

  // A table keyed by pk (S) and sk (N), holding pk "a" with sk 1..n, v = sk * 10.
  std::string table_with_items(int n) {
    const std::string name = create({.table_name = fresh_name("partiql"),
                                     .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                                     .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}}});
    for (int i = 1; i <= n; ++i) (void)db().put_item({.table_name = name, .item = {{"pk", "a"}, {"sk", i}, {"v", i * 10}}});
    return name;
  }

  std::vector<Item> run(const std::string& statement, std::vector<AttributeValue> parameters = {}) {
    ExecuteStatementRequest request{.statement = statement};
    if (!parameters.empty()) request.parameters = std::move(parameters);
    return db().execute_statement(request).items.value_or(std::vector<Item>{});
  }

  // The code of the error `statement` raises, or "" when it succeeds.
  std::string error_of(const std::string& statement, std::vector<AttributeValue> parameters = {}) {
    try {
      (void)run(statement, std::move(parameters));
    } catch (const Error& e) {
      return e.code();
    }
    return "";
  }

  std::optional<Item> get(const std::string& table, const std::string& pk, int sk) {
    return db().get_item({.table_name = table, .key = {{"pk", pk}, {"sk", sk}}, .consistent_read = true}).item;
  }
};

// A SELECT whose WHERE pins the partition key reads that partition (a Query), in sort key
// order; parameters bind in order.
TEST_P(PartiqlConformance, SelectByPartitionKeyWithParameters) {
  if (auto gap = known_gap(GetParam(), "partiql_sort_key_conditions"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(3);
  const auto items = run("SELECT * FROM \"" + table + "\" WHERE pk = ? AND sk >= ?", {AttributeValue("a"), AttributeValue(2)});
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("sk"), AttributeValue(2));
  EXPECT_EQ(items[1].at("v"), AttributeValue(30));
}

// A projection returns only the paths named.
TEST_P(PartiqlConformance, SelectProjection) {
  if (auto gap = known_gap(GetParam(), "partiql_sort_key_conditions"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  const auto items = run("SELECT v FROM \"" + table + "\" WHERE pk = 'a' AND sk = 1");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0], (Item{{"v", 10}}));
}

// A SELECT without the partition key scans the table and filters.
TEST_P(PartiqlConformance, SelectScanWithFilter) {
  const std::string table = table_with_items(4);
  const auto items = run("SELECT * FROM \"" + table + "\" WHERE v > 20");
  std::set<std::string> sort_keys;
  for (const Item& item : items) sort_keys.insert(item.at("sk").as_number().to_string());
  EXPECT_EQ(sort_keys, (std::set<std::string>{"3", "4"}));
}

// Limit caps the items of one response; NextToken continues where it stopped.
TEST_P(PartiqlConformance, LimitAndNextToken) {
  if (auto gap = known_gap(GetParam(), "partiql_paging"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(5);
  std::vector<Item> all;
  std::optional<std::string> token;
  int pages = 0;
  do {
    ExecuteStatementRequest request{.statement = "SELECT * FROM \"" + table + "\" WHERE pk = 'a'", .next_token = token, .limit = 2};
    auto page = db().execute_statement(request);
    EXPECT_LE(page.items.value_or(std::vector<Item>{}).size(), 2u);
    for (auto& item : page.items.value_or(std::vector<Item>{})) all.push_back(item);
    token = page.next_token;
  } while (token && ++pages < 10);
  EXPECT_EQ(all.size(), 5u);
  EXPECT_GE(pages, 2);
}

// INSERT writes a new item; INSERT of an existing key is DuplicateItemException and
// changes nothing.
TEST_P(PartiqlConformance, InsertAndDuplicate) {
  if (auto gap = known_gap(GetParam(), "partiql_duplicate_insert"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  EXPECT_EQ(error_of("INSERT INTO \"" + table + "\" VALUE {'pk': 'b', 'sk': 1, 'v': 7}"), "");
  EXPECT_EQ(get(table, "b", 1)->at("v"), AttributeValue(7));
  EXPECT_EQ(error_of("INSERT INTO \"" + table + "\" VALUE {'pk': 'a', 'sk': 1, 'v': 99}"), "DuplicateItemException");
  EXPECT_EQ(get(table, "a", 1)->at("v"), AttributeValue(10));
}

// UPDATE ... SET / REMOVE of an existing item; RETURNING ALL NEW * answers the new item.
TEST_P(PartiqlConformance, UpdateSetRemoveReturning) {
  if (auto gap = known_gap(GetParam(), "partiql_updates"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  const auto items =
      run("UPDATE \"" + table + "\" SET w = 'x' SET v = v + 1 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("v"), AttributeValue(11));
  EXPECT_EQ(items[0].at("w"), AttributeValue("x"));
  (void)run("UPDATE \"" + table + "\" REMOVE w WHERE pk = 'a' AND sk = 1");
  EXPECT_FALSE(get(table, "a", 1)->contains("w"));
}

// UPDATE of an item that does not exist fails its implicit existence condition and creates
// nothing.
TEST_P(PartiqlConformance, UpdateOfAMissingItemFails) {
  if (auto gap = known_gap(GetParam(), "partiql_updates"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  EXPECT_EQ(error_of("UPDATE \"" + table + "\" SET v = 1 WHERE pk = 'zz' AND sk = 1"), "ConditionalCheckFailedException");
  EXPECT_FALSE(get(table, "zz", 1).has_value());
}

// DELETE by full key removes the item; a WHERE on another attribute is a condition.
TEST_P(PartiqlConformance, DeleteWithCondition) {
  if (auto gap = known_gap(GetParam(), "partiql_write_conditions"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(2);
  EXPECT_EQ(error_of("DELETE FROM \"" + table + "\" WHERE pk = 'a' AND sk = 1 AND v = 999"),
            "ConditionalCheckFailedException");
  EXPECT_TRUE(get(table, "a", 1).has_value());
  EXPECT_EQ(error_of("DELETE FROM \"" + table + "\" WHERE pk = 'a' AND sk = 1 AND v = 10"), "");
  EXPECT_FALSE(get(table, "a", 1).has_value());
  EXPECT_TRUE(get(table, "a", 2).has_value());
}

// A statement that does not parse, or a table that does not exist.
TEST_P(PartiqlConformance, Errors) {
  if (auto gap = known_gap(GetParam(), "partiql_errors"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  EXPECT_EQ(error_of("SELEC * FROM \"" + table + "\""), "ValidationException");
  EXPECT_EQ(error_of("SELECT * FROM \"" + table + "\" WHERE pk = ?"), "ValidationException");  // no parameter
  EXPECT_EQ(error_of("SELECT * FROM \"conf_no_such_table\" WHERE pk = 'a'"), "ResourceNotFoundException");
}

// BatchExecuteStatement answers one response per statement, in order, with an error for
// the statement that failed and the others applied.
TEST_P(PartiqlConformance, BatchExecuteStatementPerStatementErrors) {
  if (auto gap = known_gap(GetParam(), "partiql_batch"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  const auto answer = db().batch_execute_statement(
      {.statements = {{.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'c', 'sk': 1}"},
                      {.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'a', 'sk': 1}"},
                      {.statement = "UPDATE \"" + table + "\" SET v = 5 WHERE pk = 'a' AND sk = 1"}}});
  ASSERT_TRUE(answer.responses);
  ASSERT_EQ(answer.responses->size(), 3u);
  EXPECT_FALSE((*answer.responses)[0].error.has_value());
  ASSERT_TRUE((*answer.responses)[1].error.has_value());
  EXPECT_EQ((*answer.responses)[1].error->code, "DuplicateItem");
  EXPECT_FALSE((*answer.responses)[2].error.has_value());
  EXPECT_TRUE(get(table, "c", 1).has_value());
  EXPECT_EQ(get(table, "a", 1)->at("v"), AttributeValue(5));
}

// ExecuteTransaction applies every statement or none: one failed condition cancels it with
// a reason per statement.
TEST_P(PartiqlConformance, ExecuteTransactionAllOrNothing) {
  if (auto gap = known_gap(GetParam(), "partiql_transaction"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  (void)db().execute_transaction(
      {.transact_statements = {{.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 't', 'sk': 1}"},
                               {.statement = "UPDATE \"" + table + "\" SET v = 1 WHERE pk = 'a' AND sk = 1"}}});
  EXPECT_TRUE(get(table, "t", 1).has_value());
  EXPECT_EQ(get(table, "a", 1)->at("v"), AttributeValue(1));
  try {
    (void)db().execute_transaction(
        {.transact_statements = {{.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'u', 'sk': 1}"},
                                 {.statement = "UPDATE \"" + table + "\" SET v = 2 WHERE pk = 'a' AND sk = 1 AND v = 999"}}});
    ADD_FAILURE() << "a transaction with a failed condition was applied";
  } catch (const TransactWriteError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 2u);
    EXPECT_EQ(e.cancellation_reasons()[0].code, std::nullopt);
    EXPECT_EQ(e.cancellation_reasons()[1].code, "ConditionalCheckFailed");
  }
  EXPECT_FALSE(get(table, "u", 1).has_value());
  EXPECT_EQ(get(table, "a", 1)->at("v"), AttributeValue(1));
}

// The sort keys of the items `statement` returns, sorted.
std::set<int> sort_keys_of(const std::vector<Item>& items) {
  std::set<int> keys;
  for (const Item& item : items) keys.insert(item.at("sk").as_number().to<int>());
  return keys;
}

// WHERE's comparison operators, BETWEEN, IN, AND, OR, NOT, IS [NOT] MISSING, IS NULL and the
// functions begins_with, contains, attribute_type and size, as filters of one partition.
TEST_P(PartiqlConformance, WhereOperatorsAndFunctions) {
  if (auto gap = known_gap(GetParam(), "partiql_where_functions"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(5);
  (void)db().update_item({.table_name = table, .key = {{"pk", "a"}, {"sk", 1}},
                          .update_expression = "SET tag = :t, l = :l, n = :n",
                          .expression_attribute_values = ExpressionAttributeValues{
                              {":t", "red-x"}, {":l", List{1, 2, 3}}, {":n", AttributeValue::null()}}});
  (void)db().update_item({.table_name = table, .key = {{"pk", "a"}, {"sk", 2}}, .update_expression = "SET tag = :t",
                          .expression_attribute_values = ExpressionAttributeValues{{":t", "blue"}}});
  const std::string from = "SELECT * FROM \"" + table + "\" WHERE pk = 'a' AND ";
  EXPECT_EQ(sort_keys_of(run(from + "v <> 30")), (std::set<int>{1, 2, 4, 5}));
  EXPECT_EQ(sort_keys_of(run(from + "v < 30")), (std::set<int>{1, 2}));
  EXPECT_EQ(sort_keys_of(run(from + "v <= 30")), (std::set<int>{1, 2, 3}));
  EXPECT_EQ(sort_keys_of(run(from + "v > 30")), (std::set<int>{4, 5}));
  EXPECT_EQ(sort_keys_of(run(from + "v >= 30")), (std::set<int>{3, 4, 5}));
  EXPECT_EQ(sort_keys_of(run(from + "v BETWEEN 20 AND 40")), (std::set<int>{2, 3, 4}));
  EXPECT_EQ(sort_keys_of(run(from + "v IN [10, 50, 70]")), (std::set<int>{1, 5}));
  EXPECT_EQ(sort_keys_of(run(from + "(v = 10 OR v = 20) AND NOT v = 20")), (std::set<int>{1}));
  EXPECT_EQ(sort_keys_of(run(from + "tag IS MISSING")), (std::set<int>{3, 4, 5}));
  EXPECT_EQ(sort_keys_of(run(from + "tag IS NOT MISSING")), (std::set<int>{1, 2}));
  EXPECT_EQ(sort_keys_of(run(from + "n IS NULL")), (std::set<int>{1}));
  EXPECT_EQ(sort_keys_of(run(from + "begins_with(tag, 'red')")), (std::set<int>{1}));
  EXPECT_EQ(sort_keys_of(run(from + "contains(tag, 'lu')")), (std::set<int>{2}));
  EXPECT_EQ(sort_keys_of(run(from + "attribute_type(l, 'L')")), (std::set<int>{1}));
  EXPECT_EQ(sort_keys_of(run(from + "size(l) > 2")), (std::set<int>{1}));
}

// A SELECT from "table"."index" reads the index; ORDER BY the sort key with DESC reverses
// the order of a partition.
TEST_P(PartiqlConformance, IndexAndOrderBy) {
  if (auto gap = known_gap(GetParam(), "partiql_index_order"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = create(
      {.table_name = fresh_name("partiql_index"),
       .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n},
                                 {"g", ScalarAttributeType::s}},
       .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
       .global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
           {.index_name = "by_g", .key_schema = {{"g", KeyType::hash}}, .projection = {.projection_type = ProjectionType::all},
            .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 5, .write_capacity_units = 5}}}});
  for (int i = 1; i <= 3; ++i) {
    (void)db().put_item({.table_name = table, .item = {{"pk", "a"}, {"sk", i}, {"g", i == 2 ? "two" : "other"}}});
  }
  const auto by_index = run("SELECT sk FROM \"" + table + "\".\"by_g\" WHERE g = 'two'");
  ASSERT_EQ(by_index.size(), 1u);
  EXPECT_EQ(by_index[0].at("sk"), AttributeValue(2));
  const auto descending = run("SELECT sk FROM \"" + table + "\" WHERE pk = 'a' ORDER BY sk DESC");
  ASSERT_EQ(descending.size(), 3u);
  EXPECT_EQ(descending[0].at("sk"), AttributeValue(3));
  EXPECT_EQ(descending[2].at("sk"), AttributeValue(1));
}

// Map, list and set literals in INSERT; list_append, set_add and set_delete in UPDATE;
// DELETE ... RETURNING ALL OLD * answers the deleted item.
TEST_P(PartiqlConformance, LiteralsSetAndListFunctionsAndDeleteReturning) {
  if (auto gap = known_gap(GetParam(), "partiql_updates"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(0);
  (void)run("INSERT INTO \"" + table + "\" VALUE {'pk': 'm', 'sk': 1, 'm': {'x': 1, 'y': [true, null]}, "
            "'l': [1, 'two'], 's': <<'a', 'b'>>}");
  const auto inserted = get(table, "m", 1);
  ASSERT_TRUE(inserted.has_value());
  EXPECT_EQ(inserted->at("m"), AttributeValue(AttributeMap{{"x", 1}, {"y", List{true, AttributeValue::null()}}}));
  EXPECT_EQ(inserted->at("s"), AttributeValue(StringSet{"a", "b"}));
  (void)run("UPDATE \"" + table + "\" SET l = list_append(l, [3]) SET s = set_add(s, <<'c'>>) WHERE pk = 'm' AND sk = 1");
  (void)run("UPDATE \"" + table + "\" SET s = set_delete(s, <<'a'>>) WHERE pk = 'm' AND sk = 1");
  const auto updated = get(table, "m", 1);
  EXPECT_EQ(updated->at("l"), AttributeValue(List{1, "two", 3}));
  EXPECT_EQ(updated->at("s"), AttributeValue(StringSet{"b", "c"}));
  const auto old = run("DELETE FROM \"" + table + "\" WHERE pk = 'm' AND sk = 1 RETURNING ALL OLD *");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].at("l"), AttributeValue(List{1, "two", 3}));
  EXPECT_FALSE(get(table, "m", 1).has_value());
}

// A batch is all reads or all writes, of at most 25 statements; a transaction of at most
// 100. A client request token makes a repeated transaction a no-op.
TEST_P(PartiqlConformance, BatchAndTransactionRules) {
  if (auto gap = known_gap(GetParam(), "partiql_transaction"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  const auto code_of = [](const auto& call) -> std::string {
    try {
      call();
    } catch (const Error& e) {
      return e.code();
    }
    return "";
  };
  EXPECT_EQ(code_of([&] {
              (void)db().batch_execute_statement(
                  {.statements = {{.statement = "SELECT * FROM \"" + table + "\" WHERE pk = 'a' AND sk = 1"},
                                  {.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'x', 'sk': 1}"}}});
            }),
            "ValidationException");
  std::vector<BatchStatementRequest> many(26, BatchStatementRequest{.statement = "SELECT * FROM \"" + table +
                                                                                  "\" WHERE pk = 'a' AND sk = 1"});
  EXPECT_EQ(code_of([&] { (void)db().batch_execute_statement({.statements = many}); }), "ValidationException");
  std::vector<ParameterizedStatement> hundred_one;
  for (int i = 0; i < 101; ++i) {
    hundred_one.push_back({.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'h', 'sk': " + std::to_string(i) + "}"});
  }
  EXPECT_EQ(code_of([&] { (void)db().execute_transaction({.transact_statements = hundred_one}); }), "ValidationException");
  const ExecuteTransactionRequest once{
      .transact_statements = {{.statement = "UPDATE \"" + table + "\" SET v = v + 1 WHERE pk = 'a' AND sk = 1"}},
      .client_request_token = "partiql-conformance-token"};
  (void)db().execute_transaction(once);
  (void)db().execute_transaction(once);
  EXPECT_EQ(get(table, "a", 1)->at("v"), AttributeValue(11));
}

// ExecuteStatement's ConsistentRead and ReturnConsumedCapacity; EXISTS(SELECT ...) as a
// transaction's condition check.
TEST_P(PartiqlConformance, StatementOptionsAndExists) {
  if (auto gap = known_gap(GetParam(), "partiql_transaction"); !gap.empty()) GTEST_SKIP() << gap;
  const std::string table = table_with_items(1);
  const auto read = db().execute_statement({.statement = "SELECT * FROM \"" + table + "\" WHERE pk = 'a' AND sk = 1",
                                            .consistent_read = true,
                                            .return_consumed_capacity = ReturnConsumedCapacity::total});
  ASSERT_EQ(read.items.value_or(std::vector<Item>{}).size(), 1u);
  ASSERT_TRUE(read.consumed_capacity.has_value());
  EXPECT_EQ(read.consumed_capacity->table_name, table);
  EXPECT_GT(read.consumed_capacity->capacity_units.value_or(0), 0.0);
  try {
    (void)db().execute_transaction(
        {.transact_statements = {{.statement = "EXISTS(SELECT * FROM \"" + table + "\" WHERE pk = 'a' AND sk = 99)"},
                                 {.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'e', 'sk': 1}"}}});
    ADD_FAILURE() << "EXISTS of a missing item did not cancel the transaction";
  } catch (const TransactWriteError& e) {
    ASSERT_EQ(e.cancellation_reasons().size(), 2u);
    EXPECT_EQ(e.cancellation_reasons()[0].code, "ConditionalCheckFailed");
  }
  EXPECT_FALSE(get(table, "e", 1).has_value());
  (void)db().execute_transaction(
      {.transact_statements = {{.statement = "EXISTS(SELECT * FROM \"" + table + "\" WHERE pk = 'a' AND sk = 1)"},
                               {.statement = "INSERT INTO \"" + table + "\" VALUE {'pk': 'e', 'sk': 1}"}}});
  EXPECT_TRUE(get(table, "e", 1).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, PartiqlConformance, ::testing::ValuesIn(testing::conformance_backends()),
                         [](const ::testing::TestParamInfo<std::string>& row) { return row.param; });

}  // namespace
}  // namespace dynamo
