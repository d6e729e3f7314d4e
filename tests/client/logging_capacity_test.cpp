// The library's logger as a Connection uses it (one DEBUG line per call, WARN for retries,
// never a secret or item contents), and the consumed capacity a Connection asks for, adds
// up per table and index, and hands to its hooks.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "dynamo/client/connection.hpp"
#include "dynamo/log.hpp"
#include "scripted_server.hpp"
#include "test_environment.hpp"

namespace dynamo {
namespace {

using api::KeyType;
using api::ProjectionType;
using api::ReturnConsumedCapacity;
using api::ScalarAttributeType;

// Captures every line the library logs while it lives, then restores the defaults.
class CapturedLog {
 public:
  explicit CapturedLog(LogLevel level) {
    set_log_sink([this](const LogRecord& record) {
      const std::lock_guard lock(mutex_);
      lines_.push_back(std::string(to_string(record.level)) + " " + std::string(record.component) + ": " +
                       std::string(record.message));
    });
    set_log_level(level);
  }
  ~CapturedLog() {
    set_log_level(LogLevel::off);
    set_log_sink({});
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::vector<std::string> lines() const {
    const std::lock_guard lock(mutex_);
    return lines_;
  }
  // The lines containing every one of `parts`.
  std::vector<std::string> matching(std::initializer_list<std::string_view> parts) const {
    std::vector<std::string> found;
    for (const auto& line : lines()) {
      bool all = true;
      for (const auto part : parts) all = all && line.find(part) != std::string::npos;
      if (all) found.push_back(line);
    }
    return found;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

api::CreateTableRequest orders_table() {
  return {.table_name = "Orders",
          .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"status", ScalarAttributeType::s}},
          .key_schema = {{"pk", KeyType::hash}},
          .global_secondary_indexes = std::vector<api::GlobalSecondaryIndex>{
              {.index_name = "byStatus",
               .key_schema = {{"status", KeyType::hash}},
               .projection = {.projection_type = ProjectionType::all}}},
          .billing_mode = api::BillingMode::pay_per_request};
}

TEST(Log, LevelsParseAndOrder) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("INFO"), LogLevel::info);
  EXPECT_EQ(parse_log_level("Warning"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::error);
  EXPECT_EQ(parse_log_level("off"), LogLevel::off);
  EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
  EXPECT_EQ(parse_log_level("debugdebugdebugdebug"), std::nullopt);
  EXPECT_EQ(to_string(LogLevel::warn), "WARN");

  CapturedLog log(LogLevel::warn);
  EXPECT_FALSE(log_enabled(LogLevel::debug));
  EXPECT_TRUE(log_enabled(LogLevel::error));
  dynamo::log(LogLevel::info, "test", "dropped");
  dynamo::log(LogLevel::error, "test", "kept");
  EXPECT_EQ(log.lines(), (std::vector<std::string>{"ERROR test: kept"}));
}

// Off by default: nothing reaches the sink, whatever is logged.
TEST(Log, OffLogsNothing) {
  CapturedLog log(LogLevel::off);
  EXPECT_FALSE(log_enabled(LogLevel::error));
  dynamo::log(LogLevel::error, "test", "never");
  auto db = Connection::embedded();
  (void)db.list_tables({});
  EXPECT_TRUE(log.lines().empty());
}

// DYNAMO_LOG sets the starting level (the test runs with DYNAMO_LOG=... when ctest sets it;
// a run without it starts with logging off).
TEST(Log, StartingLevelComesFromTheEnvironment) {
  const char* text = std::getenv("DYNAMO_LOG_EXPECTED");
  if (text == nullptr) GTEST_SKIP() << "run by the ctest entry that sets DYNAMO_LOG";
  EXPECT_EQ(to_string(log_level()), std::string_view(text));
}

// A sink that throws does not break the call that logged.
TEST(Log, ThrowingSinkIsContained) {
  set_log_sink([](const LogRecord&) { throw std::runtime_error("sink failed"); });
  set_log_level(LogLevel::debug);
  auto db = Connection::embedded();
  EXPECT_NO_THROW((void)db.list_tables({}));
  set_log_level(LogLevel::off);
  set_log_sink({});
}

// One DEBUG line per call on the embedded engine: operation, table, outcome, attempts,
// consumed capacity; never the item's contents.
TEST(ConnectionLogging, EmbeddedCallsAreLoggedWithoutItems) {
  CapturedLog log(LogLevel::debug);
  auto db = Connection::embedded({.return_consumed_capacity = ReturnConsumedCapacity::total});
  (void)db.create_table(orders_table());
  (void)db.put_item({.table_name = "Orders", .item = {{"pk", "o1"}, {"status", "open"}, {"note", "PRIVATE-NOTE"}}});
  EXPECT_THROW((void)db.put_item({.table_name = "Orders",
                                  .item = {{"pk", "o1"}},
                                  .condition_expression = "attribute_not_exists(pk)"}),
               PutError);

  const auto puts = log.matching({"DEBUG client: PutItem table=Orders", "backend=embedded"});
  ASSERT_EQ(puts.size(), 2u) << ::testing::PrintToString(log.lines());
  EXPECT_NE(puts[0].find(" ok attempts=1 "), std::string::npos) << puts[0];
  EXPECT_NE(puts[0].find(" consumed=2 "), std::string::npos) << puts[0];  // the table and its index
  EXPECT_NE(puts[0].find("client_request_id="), std::string::npos) << puts[0];
  EXPECT_NE(puts[1].find(" error=ConditionalCheckFailedException "), std::string::npos) << puts[1];
  for (const auto& line : log.lines()) {
    EXPECT_EQ(line.find("PRIVATE-NOTE"), std::string::npos) << line;
    EXPECT_EQ(line.find("o1"), std::string::npos) << line;
  }
}

// Over HTTP: the transport logs the retry at WARN and the call at DEBUG with its status and
// attempts; the client's line has the same attempts; no line holds the secret key, the
// session token or the signature.
TEST(ConnectionLogging, HttpRetriesAndCallsWithoutSecrets) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  server.script({{.status = 503, .body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"busy"})"},
                 {.status = 200, .body = R"({"Item":{"pk":{"S":"PRIVATE-VALUE"}},"ConsumedCapacity":{"TableName":"Orders","CapacityUnits":0.5}})"}});
  CapturedLog log(LogLevel::debug);
  std::vector<CallOutcome> outcomes;
  auto db = Connection::connect({.endpoint = server.endpoint(),
                                 .region = "us-east-1",
                                 .access_key_id = http::testing::test_access_key,
                                 .secret_access_key = auth::SecretString(http::testing::test_secret),
                                 .session_token = auth::SecretString(http::testing::test_session_token),
                                 .settings = {.max_retry_attempts = 2, .base_backoff_ms = 1},
                                 .hooks = {.after = [&](const CallInfo&, const CallOutcome& o) { outcomes.push_back(o); }}});
  const auto got = db.get_item({.table_name = "Orders", .key = {{"pk", "PRIVATE-VALUE"}}});
  ASSERT_TRUE(got.item);

  EXPECT_EQ(log.matching({"WARN http: retrying GetItem", "attempt 1 got HTTP 503 ServiceUnavailable"}).size(), 1u)
      << ::testing::PrintToString(log.lines());
  EXPECT_EQ(log.matching({"DEBUG http: GetItem table=Orders", "status=200", "attempts=2"}).size(), 1u)
      << ::testing::PrintToString(log.lines());
  EXPECT_EQ(log.matching({"DEBUG client: GetItem table=Orders", " ok attempts=2 ", "consumed=0.5"}).size(), 1u)
      << ::testing::PrintToString(log.lines());
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].attempts, 2);
  EXPECT_DOUBLE_EQ(outcomes[0].consumed_capacity_units, 0.5);

  const std::string authorization = *server.requests().at(1).header("Authorization");
  const std::string signature = authorization.substr(authorization.find("Signature=") + 10);
  for (const auto& line : log.lines()) {
    EXPECT_EQ(line.find(http::testing::test_secret), std::string::npos) << line;
    EXPECT_EQ(line.find(http::testing::test_session_token), std::string::npos) << line;
    EXPECT_EQ(line.find(signature), std::string::npos) << line;
    EXPECT_EQ(line.find("PRIVATE-VALUE"), std::string::npos) << line;
  }
}

// Throttling that outlasts the retries is a WARN even when calls are not logged one by one.
TEST(ConnectionLogging, FinalThrottlingIsAWarning) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  const std::string throttled =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"})";
  server.script({{.status = 400, .body = throttled}, {.status = 400, .body = throttled}});
  CapturedLog log(LogLevel::warn);
  auto db = Connection::connect({.endpoint = server.endpoint(),
                                 .region = "us-east-1",
                                 .access_key_id = http::testing::test_access_key,
                                 .secret_access_key = auth::SecretString(http::testing::test_secret),
                                 .settings = {.max_retry_attempts = 1, .base_backoff_ms = 1}});
  EXPECT_THROW((void)db.get_item({.table_name = "Orders", .key = {{"pk", "a"}}}), GetError);
  EXPECT_EQ(log.matching({"WARN client: GetItem table=Orders", "error=ThrottlingException", "attempts=2"}).size(), 1u)
      << ::testing::PrintToString(log.lines());
  EXPECT_TRUE(log.matching({"DEBUG"}).empty());
}

// The connection's ReturnConsumedCapacity applies to calls that do not choose, and the
// totals add up per table and index, reads apart from writes, across copies and async calls.
TEST(ConsumedCapacity, ConnectionTotalsPerTableAndIndex) {
  std::vector<double> units;
  auto db = Connection::embedded(
      {.hooks = {.after = [&](const CallInfo&, const CallOutcome& o) { units.push_back(o.consumed_capacity_units); }},
       .return_consumed_capacity = ReturnConsumedCapacity::indexes});
  (void)db.create_table(orders_table());
  EXPECT_EQ(db.consumed_capacity(), CapacityTotals{});

  const auto put = db.put_item({.table_name = "Orders", .item = {{"pk", "o1"}, {"status", "open"}}});
  ASSERT_TRUE(put.consumed_capacity);  // asked for by the connection, not the request
  const Connection copy = db;
  (void)copy.put_item_async({.table_name = "Orders", .item = {{"pk", "o2"}, {"status", "open"}}}).get();
  (void)db.get_item({.table_name = "Orders", .key = {{"pk", "o1"}}, .consistent_read = true});
  (void)db.query({.table_name = "Orders",
                  .index_name = "byStatus",
                  .key_condition_expression = "#s = :s",
                  .expression_attribute_names = api::ExpressionAttributeNames{{"#s", "status"}},
                  .expression_attribute_values = api::ExpressionAttributeValues{{":s", "open"}}});
  // A request that says NONE is left alone and adds nothing.
  const auto quiet = db.get_item(
      {.table_name = "Orders", .key = {{"pk", "o1"}}, .return_consumed_capacity = ReturnConsumedCapacity::none});
  EXPECT_FALSE(quiet.consumed_capacity);

  const CapacityTotals totals = db.consumed_capacity();
  // Two puts: 1 WCU on the table and 1 on the index each; a strongly consistent get of a
  // small item is 1 RCU; an eventually consistent index query of two small items 0.5.
  EXPECT_DOUBLE_EQ(totals.write_units, 4);
  EXPECT_DOUBLE_EQ(totals.read_units, 1.5);
  EXPECT_DOUBLE_EQ(totals.total_units(), 5.5);
  ASSERT_EQ(totals.tables.size(), 1u);
  const TableCapacityTotals& orders = totals.tables.at("Orders");
  EXPECT_DOUBLE_EQ(orders.write_units, 4);
  EXPECT_DOUBLE_EQ(orders.read_units, 1.5);
  EXPECT_DOUBLE_EQ(orders.indexes.at("byStatus"), 2.5);
  EXPECT_EQ(copy.consumed_capacity(), totals);  // copies share the totals

  // The hooks saw each call's units (create_table and the NONE get report 0).
  EXPECT_EQ(units, (std::vector<double>{0, 2, 2, 1, 0.5, 0}));

  db.reset_consumed_capacity();
  EXPECT_EQ(copy.consumed_capacity(), CapacityTotals{});
}

// Without a connection default nothing is asked for, and nothing is counted.
TEST(ConsumedCapacity, NothingAskedNothingCounted) {
  auto db = Connection::embedded();
  (void)db.create_table(orders_table());
  const auto put = db.put_item({.table_name = "Orders", .item = {{"pk", "o1"}, {"status", "open"}}});
  EXPECT_FALSE(put.consumed_capacity);
  EXPECT_EQ(db.consumed_capacity(), CapacityTotals{});
}

}  // namespace
}  // namespace dynamo
