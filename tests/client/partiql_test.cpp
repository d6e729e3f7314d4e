// Connection's PartiQL calls on the embedded engine and over HTTP to dynamo-server: the
// same statements give the same items, and failures arrive as the operation's exception
// (StatementError, TransactWriteError) with DynamoDB's code and, for a cancelled
// transaction, its reasons.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dynamo/client/connection.hpp"
#include "dynamo/client/errors.hpp"
#include "support/peer_server.hpp"

namespace dynamo {
namespace {

using namespace dynamo::api;

Connection connect_to(const std::string& backend) {
  if (backend == "embedded") return Connection::embedded();
#ifdef DYNAMO_SERVER_BINARY
  static std::unique_ptr<testing::PeerServer> server =
      testing::PeerServer::start("dynamo-server", {DYNAMO_SERVER_BINARY, "--port", "{port}", "--quiet"});
  return Connection::connect(ConnectionOptions{
      .endpoint = server->endpoint(),
      .region = "us-east-1",
      .access_key_id = "dynamo-test",
      .secret_access_key = auth::SecretString("dynamo-test-secret"),
      .settings = {.connect_timeout_seconds = 5.0, .read_timeout_seconds = 30.0, .max_retry_attempts = 0},
  });
#else
  throw std::runtime_error("this build has no dynamo-server");
#endif
}

class ConnectionPartiql : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Connection>(connect_to(GetParam()));
    table_ = "Partiql_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : table_) {
      if (c == '/') c = '_';
    }
    db_->create_table({.table_name = table_,
                       .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                       .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                       .billing_mode = BillingMode::pay_per_request});
  }
  void TearDown() override { db_->delete_table({.table_name = table_}); }

  std::string quoted() const { return "\"" + table_ + "\""; }

  std::unique_ptr<Connection> db_;
  std::string table_;
};

// INSERT, SELECT (as a Query, with parameters), UPDATE with RETURNING, DELETE.
TEST_P(ConnectionPartiql, StatementsRoundTrip) {
  for (int i = 1; i <= 3; ++i) {
    db_->execute_statement({.statement = "INSERT INTO " + quoted() + " VALUE {'pk': 'a', 'sk': ?, 'n': ?}",
                            .parameters = std::vector<AttributeValue>{i, i * 10}});
  }
  auto selected = db_->execute_statement({.statement = "SELECT sk, n FROM " + quoted() + " WHERE pk = ? AND n > ?",
                                          .parameters = std::vector<AttributeValue>{"a", 15}});
  ASSERT_TRUE(selected.items);
  EXPECT_EQ(*selected.items, (std::vector<Item>{{{"sk", 2}, {"n", 20}}, {{"sk", 3}, {"n", 30}}}));

  auto updated = db_->execute_statement(
      {.statement = "UPDATE " + quoted() + " SET n = n + 1 WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED NEW *"});
  EXPECT_EQ(*updated.items, (std::vector<Item>{{{"n", 11}}}));
  db_->execute_statement({.statement = "DELETE FROM " + quoted() + " WHERE pk = 'a' AND sk = 2"});
  auto left = db_->execute_statement({.statement = "SELECT sk FROM " + quoted() + " WHERE pk = 'a'"});
  EXPECT_EQ(left.items->size(), 2U);
}

// A duplicate INSERT is a StatementError carrying DuplicateItemException.
TEST_P(ConnectionPartiql, DuplicateInsertIsAStatementError) {
  const std::string insert = "INSERT INTO " + quoted() + " VALUE {'pk': 'a', 'sk': 1}";
  db_->execute_statement({.statement = insert});
  try {
    db_->execute_statement({.statement = insert});
    ADD_FAILURE() << "the second INSERT should fail";
  } catch (const StatementError& e) {
    EXPECT_EQ(e.code(), "DuplicateItemException");
    EXPECT_EQ(e.cause_message(), "Duplicate primary key exists in table");
    EXPECT_EQ(e.operation(), "ExecuteStatement");
  }
}

// Batch per-statement errors, and a cancelled transaction's reasons, over either backend.
TEST_P(ConnectionPartiql, BatchAndTransaction) {
  auto batch = db_->batch_execute_statement(
      {.statements = {{.statement = "INSERT INTO " + quoted() + " VALUE {'pk': 'b', 'sk': 1}"},
                      {.statement = "INSERT INTO " + quoted() + " VALUE {'pk': 'b', 'sk': 1}"}}});
  ASSERT_EQ(batch.responses->size(), 2U);
  EXPECT_FALSE(batch.responses->at(0).error);
  EXPECT_EQ(batch.responses->at(1).error->code, "DuplicateItem");

  try {
    db_->execute_transaction(
        {.transact_statements = {{.statement = "INSERT INTO " + quoted() + " VALUE {'pk': 'c', 'sk': 1}"},
                                 {.statement = "INSERT INTO " + quoted() + " VALUE {'pk': 'b', 'sk': 1}"}}});
    ADD_FAILURE() << "the transaction should be cancelled";
  } catch (const TransactWriteError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 2U);
    EXPECT_EQ(e.cancellation_reasons()[1].code, "DuplicateItem");
  }
  auto read = db_->execute_transaction(
      {.transact_statements = {{.statement = "SELECT * FROM " + quoted() + " WHERE pk = 'c' AND sk = 1"},
                               {.statement = "SELECT * FROM " + quoted() + " WHERE pk = 'b' AND sk = 1"}}});
  ASSERT_EQ(read.responses->size(), 2U);
  EXPECT_FALSE(read.responses->at(0).item);  // the cancelled INSERT left nothing
  EXPECT_TRUE(read.responses->at(1).item);
}

// The async form answers the same.
TEST_P(ConnectionPartiql, AsyncForm) {
  auto future = db_->execute_statement_async({.statement = "SELECT * FROM " + quoted()});
  EXPECT_TRUE(future.get().items->empty());
}

std::vector<std::string> backends() {
  std::vector<std::string> rows{"embedded"};
#ifdef DYNAMO_SERVER_BINARY
  rows.push_back("server");
#endif
  return rows;
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectionPartiql, ::testing::ValuesIn(backends()),
                         [](const auto& row) { return row.param; });

}  // namespace
}  // namespace dynamo
