// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction on the embedded engine:
// each statement kind's observable effect, Query-versus-Scan planning (seen through
// capacity and paging), NextToken paging, and the errors DynamoDB raises.
#include <gtest/gtest.h>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

class PartiqlTest : public ::testing::Test {
 protected:
  PartiqlTest() : engine_(quiet_options()) {
    (void)engine_.create_table(table_request("Tbl", ScalarAttributeType::n));
    for (int i = 1; i <= 5; ++i) put(engine_, "Tbl", {{"pk", "a"}, {"sk", i}, {"v", i * 10}});
    put(engine_, "Tbl", {{"pk", "b"}, {"sk", 1}, {"v", 99}, {"tags", StringSet{"x"}}});
  }

  ExecuteStatementResponse run(std::string statement, std::vector<AttributeValue> params = {}) {
    ExecuteStatementRequest request;
    request.statement = std::move(statement);
    if (!params.empty()) request.parameters = std::move(params);
    return engine_.execute_statement(request);
  }

  std::optional<Item> get(const std::string& pk, int sk) {
    return engine_.get_item({.table_name = "Tbl", .key = {{"pk", pk}, {"sk", sk}}}).item;
  }

  Engine engine_;
};

std::vector<int> sort_keys(const std::vector<Item>& items) {
  std::vector<int> out;
  for (const auto& item : items) out.push_back(item.find("sk")->as_number().to<int>());
  return out;
}

// A WHERE pinning the partition key runs a Query: key order, a sort key range, a filter.
TEST_F(PartiqlTest, SelectWithPartitionKeyIsAQueryInKeyOrder) {
  auto r = run(R"(SELECT * FROM "Tbl" WHERE pk = ? AND sk BETWEEN 2 AND 4 AND v <> 30)", {"a"});
  ASSERT_TRUE(r.items);
  EXPECT_EQ(sort_keys(*r.items), (std::vector<int>{2, 4}));
  EXPECT_FALSE(r.next_token);
}

// ORDER BY the sort key DESC reverses a Query; a projection returns only the named paths.
TEST_F(PartiqlTest, OrderByDescendingAndProjection) {
  auto r = run(R"(SELECT sk FROM "Tbl" WHERE pk = 'a' ORDER BY sk DESC)");
  EXPECT_EQ(sort_keys(*r.items), (std::vector<int>{5, 4, 3, 2, 1}));
  EXPECT_EQ(r.items->front(), (Item{{"sk", 5}}));
}

// IN on the partition key queries each partition in turn.
TEST_F(PartiqlTest, InOnPartitionKeyQueriesEachPartition) {
  auto r = run(R"(SELECT v FROM "Tbl" WHERE pk IN ['b', 'a'] AND sk = 1)");
  ASSERT_EQ(r.items->size(), 2U);
  EXPECT_EQ(r.items->at(0), (Item{{"v", 99}}));
  EXPECT_EQ(r.items->at(1), (Item{{"v", 10}}));
}

// Without the partition key the statement is a Scan with the WHERE as filter.
TEST_F(PartiqlTest, SelectWithoutPartitionKeyIsAScan) {
  auto r = run(R"(SELECT * FROM "Tbl" WHERE v >= 40 OR contains(tags, 'x'))");
  EXPECT_EQ(r.items->size(), 3U);
  auto missing = run(R"(SELECT * FROM "Tbl" WHERE tags IS MISSING)");
  EXPECT_EQ(missing.items->size(), 5U);
  auto typed = run(R"(SELECT * FROM "Tbl" WHERE attribute_type(tags, 'SS') AND size(tags) = 1)");
  EXPECT_EQ(typed.items->size(), 1U);
}

// Limit pages a Query; NextToken resumes exactly after the last item, across IN partitions too.
TEST_F(PartiqlTest, LimitAndNextTokenPageThroughEveryItem) {
  std::vector<std::string> seen;
  ExecuteStatementRequest request{.statement = R"(SELECT * FROM "Tbl" WHERE pk IN ['a', 'b'])", .limit = 2};
  for (int pages = 0; pages < 10; ++pages) {
    auto r = engine_.execute_statement(request);
    for (const auto& item : *r.items) {
      seen.push_back(item.find("pk")->as_string() + item.find("sk")->as_number().to_string());
    }
    if (!r.next_token) break;
    request.next_token = r.next_token;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a1", "a2", "a3", "a4", "a5", "b1"}));

  ExecuteStatementRequest scan{.statement = R"(SELECT * FROM "Tbl")", .limit = 4};
  auto first = engine_.execute_statement(scan);
  EXPECT_EQ(first.items->size(), 4U);
  ASSERT_TRUE(first.next_token);
  EXPECT_TRUE(first.last_evaluated_key);
  scan.next_token = first.next_token;
  EXPECT_EQ(engine_.execute_statement(scan).items->size(), 2U);

  EXPECT_DYNAMO_ERROR(engine_.execute_statement({.statement = R"(SELECT * FROM "Tbl")", .next_token = "bm90IGEgdG9rZW4="}),
                      validation, "Invalid NextToken: it was not returned by a previous call");
}

// A Query reads one partition, so it consumes less than a Scan of the table.
TEST_F(PartiqlTest, QueryConsumesLessThanScan) {
  ExecuteStatementRequest request{.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'b')",
                                  .return_consumed_capacity = ReturnConsumedCapacity::total};
  auto r = engine_.execute_statement(request);
  ASSERT_TRUE(r.consumed_capacity);
  EXPECT_EQ(r.consumed_capacity->table_name, "Tbl");
  EXPECT_EQ(r.consumed_capacity->capacity_units, 0.5);
  for (int i = 0; i < 40; ++i) {
    put(engine_, "Tbl", {{"pk", "c"}, {"sk", i}, {"pad", std::string(1000, 'x')}});
  }
  request.statement = R"(SELECT * FROM "Tbl" WHERE sk = 1)";  // no partition key: a Scan
  auto scan = engine_.execute_statement(request);
  ASSERT_TRUE(scan.consumed_capacity);
  EXPECT_GE(*scan.consumed_capacity->capacity_units, 5.0);  // 40 KB read, eventually consistent
  EXPECT_EQ(scan.items->size(), 3U);
}

// INSERT writes a new item and refuses an existing key.
TEST_F(PartiqlTest, InsertAndDuplicateKey) {
  auto r = run(R"(INSERT INTO "Tbl" VALUE {'pk': 'c', 'sk': 1, 'tags': <<'p', 'q'>>, 'm': {'x': [1, NULL]}})");
  ASSERT_TRUE(r.items);
  EXPECT_TRUE(r.items->empty());
  EXPECT_EQ(get("c", 1), (Item{{"pk", "c"}, {"sk", 1}, {"tags", StringSet{"p", "q"}},
                               {"m", AttributeMap{{"x", List{1, AttributeValue::null()}}}}}));
  EXPECT_DYNAMO_ERROR(run(R"(INSERT INTO "Tbl" VALUE {'pk': 'c', 'sk': 1})"), "DuplicateItemException",
                      "Duplicate primary key exists in table");
  EXPECT_DYNAMO_ERROR(run(R"(INSERT INTO "Tbl" VALUE {'pk': 'c'})"), validation,
                      "One or more parameter values were invalid: Missing the key sk in the item");
}

// UPDATE applies SET/REMOVE/set_add/list_append on an existing item; RETURNING returns attributes.
TEST_F(PartiqlTest, UpdateWithReturning) {
  auto r = run(R"(UPDATE "Tbl" SET v = v + 1, tags = set_add(tags, <<'y'>>), l = list_append([0], [1]) REMOVE nope
                  WHERE pk = 'b' AND sk = 1 RETURNING MODIFIED NEW *)");
  ASSERT_EQ(r.items->size(), 1U);
  EXPECT_EQ(r.items->front(), (Item{{"v", 100}, {"tags", StringSet{"x", "y"}}, {"l", List{0, 1}}}));
  run(R"(UPDATE "Tbl" SET tags = set_delete(tags, <<'x'>>) REMOVE l WHERE pk = 'b' AND sk = 1)");
  EXPECT_EQ(get("b", 1), (Item{{"pk", "b"}, {"sk", 1}, {"v", 100}, {"tags", StringSet{"y"}}}));
  auto old = run(R"(UPDATE "Tbl" SET v = 0 WHERE pk = 'b' AND sk = 1 RETURNING ALL OLD *)");
  EXPECT_EQ(old.items->front().find("v")->as_number().to<int>(), 100);
}

// UPDATE of a missing item, or whose extra WHERE terms are false, fails its condition.
TEST_F(PartiqlTest, UpdateConditions) {
  EXPECT_DYNAMO_ERROR(run(R"(UPDATE "Tbl" SET v = 1 WHERE pk = 'zz' AND sk = 1)"), "ConditionalCheckFailedException",
                      "The conditional request failed");
  EXPECT_FALSE(get("zz", 1));
  EXPECT_DYNAMO_ERROR(run(R"(UPDATE "Tbl" SET v = 1 WHERE pk = 'a' AND sk = 1 AND v > 10)"),
                      "ConditionalCheckFailedException", "The conditional request failed");
  run(R"(UPDATE "Tbl" SET v = 1 WHERE pk = 'a' AND sk = 1 AND v = 10)");
  EXPECT_EQ(get("a", 1)->find("v")->as_number().to<int>(), 1);
}

// Writes must name the whole primary key with equalities.
TEST_F(PartiqlTest, WritesNeedTheFullKey) {
  const char* message = "Where clause does not contain a mandatory equality on all key attributes";
  EXPECT_DYNAMO_ERROR(run(R"(UPDATE "Tbl" SET v = 1 WHERE pk = 'a')"), validation, message);
  EXPECT_DYNAMO_ERROR(run(R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk > 1)"), validation, message);
  EXPECT_DYNAMO_ERROR(run(R"(DELETE FROM "Tbl" WHERE pk = 'a' OR sk = 1)"), validation, message);
}

// DELETE removes the item (a missing one is no error); RETURNING ALL OLD * returns it.
TEST_F(PartiqlTest, Delete) {
  auto r = run(R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *)");
  ASSERT_EQ(r.items->size(), 1U);
  EXPECT_EQ(r.items->front(), (Item{{"pk", "a"}, {"sk", 2}, {"v", 20}}));
  EXPECT_FALSE(get("a", 2));
  EXPECT_TRUE(run(R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 2)").items->empty());
  EXPECT_DYNAMO_ERROR(run(R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 3 AND v = 1)"),
                      "ConditionalCheckFailedException", "The conditional request failed");
  EXPECT_TRUE(get("a", 3));
}

// Errors of the request itself: unknown table and index, ORDER BY rules, EXISTS outside a
// transaction, syntax, empty statement.
TEST_F(PartiqlTest, RequestErrors) {
  EXPECT_DYNAMO_ERROR(run(R"(SELECT * FROM "Nope")"), "ResourceNotFoundException", "Requested resource not found");
  EXPECT_DYNAMO_ERROR(run(R"(SELECT * FROM "Tbl"."nope")"), validation,
                      "The table does not have the specified index: nope");
  EXPECT_DYNAMO_ERROR(run(R"(SELECT * FROM "Tbl" ORDER BY sk)"), validation,
                      "ORDER BY needs a WHERE clause with an equality (or IN) on the partition key pk");
  EXPECT_DYNAMO_ERROR(run(R"(SELECT * FROM "Tbl" WHERE pk = 'a' ORDER BY v)"), validation,
                      "ORDER BY is supported only on the sort key of the table or index (sk), not v");
  EXPECT_DYNAMO_ERROR(run(R"(EXISTS(SELECT * FROM "Tbl" WHERE pk = 'a' AND sk = 1))"), validation,
                      "EXISTS can be used only in ExecuteTransaction");
  EXPECT_DYNAMO_ERROR(run("SELECT FROM T"), validation,
                      "Statement wasn't well formed, can't be processed: expected an attribute name but found "
                      "'FROM' at offset 7");
  EXPECT_DYNAMO_ERROR(engine_.execute_statement({}), validation,
                      "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 1");
}

// A batch runs each statement on its own: reads by full key, writes with per-statement errors.
TEST_F(PartiqlTest, BatchExecuteStatement) {
  BatchExecuteStatementRequest reads{.statements = {
                                         {.statement = R"(SELECT v FROM "Tbl" WHERE pk = 'a' AND sk = 1)"},
                                         {.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'none' AND sk = 1)"},
                                         {.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'a')"},
                                         {.statement = R"(SELEC)"},
                                     }};
  auto r = engine_.batch_execute_statement(reads);
  ASSERT_EQ(r.responses->size(), 4U);
  EXPECT_EQ(r.responses->at(0).item, (Item{{"v", 10}}));
  EXPECT_EQ(r.responses->at(0).table_name, "Tbl");
  EXPECT_FALSE(r.responses->at(1).item);
  EXPECT_FALSE(r.responses->at(1).error);
  ASSERT_TRUE(r.responses->at(2).error);
  EXPECT_EQ(r.responses->at(2).error->code, "ValidationError");
  EXPECT_EQ(r.responses->at(2).error->message,
            "Where clause does not contain a mandatory equality on all key attributes");
  EXPECT_EQ(r.responses->at(3).error->code, "ValidationError");

  BatchExecuteStatementRequest writes{
      .statements = {
          {.statement = R"(INSERT INTO "Tbl" VALUE {'pk': 'n', 'sk': 1})"},
          {.statement = R"(INSERT INTO "Tbl" VALUE {'pk': 'a', 'sk': 1})"},
          {.statement = R"(UPDATE "Tbl" SET v = 5 WHERE pk = 'a' AND sk = 2 AND v = 0)",
           .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old},
          {.statement = R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 3)"},
      },
      .return_consumed_capacity = ReturnConsumedCapacity::total};
  auto w = engine_.batch_execute_statement(writes);
  ASSERT_EQ(w.responses->size(), 4U);
  EXPECT_FALSE(w.responses->at(0).error);
  EXPECT_EQ(w.responses->at(1).error->code, "DuplicateItem");
  EXPECT_EQ(w.responses->at(1).error->message, "Duplicate primary key exists in table");
  EXPECT_EQ(w.responses->at(2).error->code, "ConditionalCheckFailed");
  EXPECT_EQ(w.responses->at(2).error->item, (Item{{"pk", "a"}, {"sk", 2}, {"v", 20}}));
  EXPECT_FALSE(w.responses->at(3).error);
  EXPECT_TRUE(get("n", 1));
  EXPECT_FALSE(get("a", 3));
  ASSERT_TRUE(w.consumed_capacity);
  EXPECT_EQ(w.consumed_capacity->size(), 1U);

  EXPECT_DYNAMO_ERROR(engine_.batch_execute_statement(
                          {.statements = {{.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'a' AND sk = 1)"},
                                          {.statement = R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 1)"}}}),
                      validation,
                      "BatchExecuteStatement must contain only reads (SELECT) or only writes (INSERT, UPDATE, DELETE)");
  EXPECT_DYNAMO_ERROR(engine_.batch_execute_statement({}), validation,
                      "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member "
                      "must have length greater than or equal to 1");
  BatchExecuteStatementRequest too_many;
  too_many.statements.resize(26, {.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'a' AND sk = 1)"});
  EXPECT_DYNAMO_ERROR(engine_.batch_execute_statement(too_many), validation,
                      "1 validation error detected: Value '[...]' at 'statements' failed to satisfy constraint: "
                      "Member must have length less than or equal to 25");
}

// A write transaction is all-or-nothing; EXISTS is a condition check; an INSERT of an
// existing key cancels it with DuplicateItem.
TEST_F(PartiqlTest, ExecuteTransactionWrites) {
  ExecuteTransactionRequest ok{.transact_statements = {
                                   {.statement = R"(INSERT INTO "Tbl" VALUE {'pk': 'x', 'sk': 1})"},
                                   {.statement = R"(UPDATE "Tbl" SET v = v + ? WHERE pk = 'a' AND sk = 1)",
                                    .parameters = std::vector<AttributeValue>{5}},
                                   {.statement = R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 2)"},
                                   {.statement = R"(EXISTS(SELECT * FROM "Tbl" WHERE pk = 'b' AND sk = 1 AND v = 99))"},
                               }};
  (void)engine_.execute_transaction(ok);
  EXPECT_TRUE(get("x", 1));
  EXPECT_EQ(get("a", 1)->find("v")->as_number().to<int>(), 15);
  EXPECT_FALSE(get("a", 2));

  ExecuteTransactionRequest bad{.transact_statements = {
                                    {.statement = R"(UPDATE "Tbl" SET v = 0 WHERE pk = 'a' AND sk = 3)"},
                                    {.statement = R"(INSERT INTO "Tbl" VALUE {'pk': 'x', 'sk': 1})"},
                                    {.statement = R"(EXISTS(SELECT * FROM "Tbl" WHERE pk = 'b' AND sk = 1 AND v = 1))"},
                                }};
  try {
    (void)engine_.execute_transaction(bad);
    ADD_FAILURE() << "the transaction should have been cancelled";
  } catch (const api::ServiceError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 3U);
    EXPECT_EQ(e.cancellation_reasons()[0].code, "None");
    EXPECT_EQ(e.cancellation_reasons()[1].code, "DuplicateItem");
    EXPECT_EQ(e.cancellation_reasons()[2].code, "ConditionalCheckFailed");
    EXPECT_EQ(std::string(e.what()),
              "Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, "
              "ConditionalCheckFailed]");
  }
  EXPECT_EQ(get("a", 3)->find("v")->as_number().to<int>(), 30);  // nothing applied
}

// A read transaction returns one entry per statement, Item absent when not found.
TEST_F(PartiqlTest, ExecuteTransactionReads) {
  auto r = engine_.execute_transaction(
      {.transact_statements = {{.statement = R"(SELECT v FROM "Tbl" WHERE pk = 'a' AND sk = 1)"},
                               {.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'q' AND sk = 1)"}}});
  ASSERT_TRUE(r.responses);
  ASSERT_EQ(r.responses->size(), 2U);
  EXPECT_EQ(r.responses->at(0).item, (Item{{"v", 10}}));
  EXPECT_FALSE(r.responses->at(1).item);
  EXPECT_DYNAMO_ERROR(
      engine_.execute_transaction({.transact_statements = {
                                       {.statement = R"(SELECT * FROM "Tbl" WHERE pk = 'a' AND sk = 1)"},
                                       {.statement = R"(DELETE FROM "Tbl" WHERE pk = 'a' AND sk = 1)"}}}),
      validation,
      "ExecuteTransaction must contain only reads (SELECT) or only writes (INSERT, UPDATE, DELETE, EXISTS)");
}

// ClientRequestToken makes a write transaction idempotent: a repeat is not applied twice.
TEST_F(PartiqlTest, ExecuteTransactionIdempotency) {
  ExecuteTransactionRequest tx{
      .transact_statements = {{.statement = R"(UPDATE "Tbl" SET v = v + 1 WHERE pk = 'a' AND sk = 1)"}},
      .client_request_token = "tok-1"};
  (void)engine_.execute_transaction(tx);
  (void)engine_.execute_transaction(tx);
  EXPECT_EQ(get("a", 1)->find("v")->as_number().to<int>(), 11);
  tx.transact_statements[0].statement = R"(UPDATE "Tbl" SET v = v + 2 WHERE pk = 'a' AND sk = 1)";
  try {
    (void)engine_.execute_transaction(tx);
    ADD_FAILURE() << "a different request with the same token should be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "IdempotentParameterMismatchException");
  }
}

}  // namespace
}  // namespace dynamo::engine::test
