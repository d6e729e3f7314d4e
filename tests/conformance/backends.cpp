#include "conformance/backends.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>

#include "support/peer_server.hpp"

namespace dynamo::testing {
namespace {

// Peers live until the test binary exits; static destruction stops them.
struct Peers {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<PeerServer>> running;
  std::map<std::string, std::string> unavailable;  // backend -> why
};

Peers& peers() {
  static Peers instance;
  return instance;
}

}  // namespace

ConnectionOptions http_options(const std::string& endpoint) {
  return ConnectionOptions{
      .endpoint = endpoint,
      .region = "us-east-1",
      .access_key_id = "dynamo-test",
      .secret_access_key = auth::SecretString("dynamo-test-secret"),
      .settings = {.connect_timeout_seconds = 5.0, .read_timeout_seconds = 30.0, .max_retry_attempts = 2},
  };
}

namespace {

// Starts (once) the server behind `backend`; nullptr when it is not available here.
const PeerServer* peer(const std::string& backend) {
  auto& all = peers();
  std::lock_guard lock(all.mutex);
  if (auto it = all.running.find(backend); it != all.running.end()) return it->second.get();
  if (all.unavailable.count(backend)) return nullptr;
  std::unique_ptr<PeerServer> server;
  if (backend == "dynalite") {
    server = PeerServer::start_dynalite();
  } else if (backend == "moto") {
    server = PeerServer::start_moto();
    if (!server) all.unavailable[backend] = "moto_server is not installed on this machine";
#ifdef DYNAMO_SERVER_BINARY
  } else if (backend == "server") {
    server = PeerServer::start("dynamo-server", {DYNAMO_SERVER_BINARY, "--port", "{port}"});
#endif
  }
  if (!server) return nullptr;
  return all.running.emplace(backend, std::move(server)).first->second.get();
}

}  // namespace

std::vector<std::string> conformance_backends() {
  std::vector<std::string> rows;
#ifdef DYNAMO_HAVE_ENGINE
  rows.push_back("embedded");
#endif
#ifdef DYNAMO_SERVER_BINARY
  rows.push_back("server");
#endif
  rows.push_back("dynalite");
  rows.push_back("moto");
  return rows;
}

Connection connect_to(const std::string& backend) {
#ifdef DYNAMO_HAVE_ENGINE
  if (backend == "embedded") return Connection::embedded();
#endif
  if (const PeerServer* server = peer(backend)) return Connection::connect(http_options(server->endpoint()));
  std::string why;
  {
    std::lock_guard lock(peers().mutex);
    why = peers().unavailable[backend];
  }
  throw std::runtime_error("backend " + backend + " is not available: " + why);
}

std::string http_endpoint(const std::string& backend) {
  if (backend == "embedded") return {};
  const PeerServer* server = peer(backend);
  if (!server) throw std::runtime_error("backend " + backend + " is not available");
  return server->endpoint();
}

std::string known_gap(const std::string& backend, const std::string& feature) {
  // Each entry was observed against that peer's current release; DynamoDB's behaviour is
  // what the test asserts for every other backend.
  static const std::map<std::pair<std::string, std::string>, std::string> gaps = {
      {{"dynalite", "ttl"}, "dynalite does not implement UpdateTimeToLive/DescribeTimeToLive"},
      {{"dynalite", "streams"}, "dynalite does not implement the DynamoDB Streams API"},
      {{"dynalite", "partiql"}, "dynalite does not implement PartiQL (ExecuteStatement and its batch and transaction forms)"},
      // moto's PartiQL (observed with moto 5 through this suite).
      {{"moto", "partiql_sort_key_conditions"},
       "moto answers HTTP 500 to WHERE pk = ? AND sk >= ? and finds no item for WHERE pk = 'a' AND sk = 1 on a numeric "
       "sort key"},
      {{"moto", "partiql_paging"}, "moto ignores Limit in ExecuteStatement (every item in one page, no NextToken)"},
      {{"moto", "partiql_duplicate_insert"},
       "moto's INSERT of an existing key replaces the item; DynamoDB refuses it with DuplicateItemException"},
      {{"moto", "partiql_updates"}, "moto answers HTTP 500 to UPDATE ... SET v = v + 1 ... RETURNING and to UPDATE of a "
                                    "missing item (DynamoDB: ConditionalCheckFailedException)"},
      {{"moto", "partiql_write_conditions"},
       "moto answers HTTP 500 to DELETE with a condition beside the key (DynamoDB: ConditionalCheckFailedException)"},
      {{"moto", "partiql_errors"}, "moto answers HTTP 500 to a statement that does not parse and accepts a ? without a "
                                   "parameter; DynamoDB answers ValidationException"},
      {{"moto", "partiql_where_functions"},
       "moto's PartiQL WHERE finds nothing for <>, BETWEEN, IN, OR with NOT, IS NULL, begins_with, contains and "
       "attribute_type, and answers HTTP 500 to size()"},
      {{"moto", "partiql_index_order"}, "moto answers ResourceNotFoundException to SELECT ... FROM \"table\".\"index\""},
      {{"moto", "partiql_batch"}, "moto answers HTTP 500 to BatchExecuteStatement with a failing INSERT"},
      {{"moto", "partiql_transaction"}, "moto answers HTTP 500 to ExecuteTransaction of INSERT and UPDATE statements"},
      {{"moto", "transaction_key_type_reason"},
       "moto reads a TransactGetItems key of the wrong type as a missing item; DynamoDB cancels the transaction"},
      {{"moto", "streams_unchanged_write"},
       "moto records a MODIFY for a PutItem that changes nothing; DynamoDB records nothing"},
      {{"moto", "streams_update_rules"},
       "moto refuses enabling an enabled stream with ResourceInUseException (DynamoDB: ValidationException) and "
       "answers HTTP 500 to DescribeStream of a disabled stream"},
      {{"dynalite", "return_values_on_condition_check_failure"},
       "dynalite ignores ReturnValuesOnConditionCheckFailure (it predates the parameter)"},
      {{"dynalite", "transactions"},
       "dynalite does not implement TransactWriteItems/TransactGetItems (UnknownOperationException)"},
      {{"dynalite", "legacy_not_contains_missing"},
       "dynalite answers true for a legacy NOT_CONTAINS on a missing attribute; DynamoDB answers false"},
      {{"dynalite", "legacy_conditional_or"},
       "dynalite stops at the first false legacy condition even with ConditionalOperator OR"},
      {{"moto", "legacy_not_contains_missing"},
       "moto answers true for a legacy NOT_CONTAINS on a missing attribute; DynamoDB answers false"},
      {{"moto", "legacy_conditional_or"}, "moto ANDs legacy Expected entries even with ConditionalOperator OR"},
      {{"moto", "legacy_expected_on_delete"},
       "moto ignores Expected on DeleteItem (no check, and no error beside ConditionExpression)"},
      {{"moto", "legacy_update_type_mismatch"},
       "moto accepts AttributeUpdates ADD of a set to a number; DynamoDB answers ValidationException"},
      {{"moto", "legacy_query_filter"},
       "moto miscounts a Query with KeyConditions BEGINS_WITH and a QueryFilter (Count 9 for 3 matching items)"},
      {{"moto", "legacy_validation"},
       "moto does not validate legacy conditions: a wrong argument count or Exists without Value is no error"},
      {{"moto", "query_filter_on_key"},
       "moto accepts a Query FilterExpression naming a key attribute; DynamoDB refuses it"},
      {{"moto", "batch_duplicate_keys"},
       "moto accepts two writes to one key in a BatchWriteItem; DynamoDB rejects the batch"},
      // Differential rows (observed with dynalite 3 and moto 5.2 through boto3).
      {{"dynalite", "remove_nested_missing_parent"},
       "dynalite refuses REMOVE x.y on an absent item; DynamoDB ignores it and creates nothing"},
      {{"moto", "remove_nested_missing_parent"},
       "moto answers HTTP 500 for REMOVE a.c when a is a string; DynamoDB answers ValidationException"},
      {{"dynalite", "update_remove_creates"},
       "dynalite creates an absent item for an UpdateItem that only removes; DynamoDB does not"},
      {{"moto", "update_remove_creates"},
       "moto creates an absent item for an UpdateItem that only removes; DynamoDB does not"},
      {{"dynalite", "ordering_operand_type"},
       "dynalite evaluates a < :v with a list value to false; DynamoDB answers ValidationException"},
      {{"moto", "ordering_operand_type"},
       "moto answers HTTP 500 for an ordering comparison with a list operand; DynamoDB answers ValidationException"},
      {{"dynalite", "nesting_depth"}, "dynalite stores an attribute nested 32 levels; DynamoDB refuses it"},
      {{"moto", "nesting_depth"}, "moto stores an attribute nested 32 levels; DynamoDB refuses it"},
      {{"moto", "exact_validation_messages"},
       "moto accepts ExpressionAttributeValues without an expression, 26 writes in one BatchWriteItem table and the "
       "same attribute as HASH and RANGE; DynamoDB refuses each"},
  };
  if (auto it = gaps.find({backend, feature}); it != gaps.end()) return it->second;
  return {};
}

}  // namespace dynamo::testing
