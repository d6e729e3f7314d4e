// ClientRequestToken expiry in memory: each token of TransactWriteItems lasts ten minutes
// from the end of its call, by the engine's clock, independently of the others.
#include <atomic>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

using namespace std::chrono_literals;

class IdempotencyExpiry : public ::testing::Test {
 protected:
  void SetUp() override { (void)engine.create_table(table_request("Tbl")); }

  // Adds `amount` to the counter: applied again, the counter shows it.
  static TransactWriteItemsRequest add(const std::string& token, int amount = 1) {
    return {.transact_items = {{.update = TransactUpdate{.key = {{"pk", "counter"}},
                                                         .update_expression = "ADD n :amount",
                                                         .table_name = "Tbl",
                                                         .expression_attribute_values =
                                                             ExpressionAttributeValues{{":amount", amount}}}}},
            .client_request_token = token};
  }
  int counter() {
    return engine.get_item({.table_name = "Tbl", .key = {{"pk", "counter"}}}).item->at("n").as_number().to<int>();
  }
  void advance(std::chrono::milliseconds by) { now_ms += by.count(); }

  std::atomic<std::int64_t> now_ms{1'800'000'000'000};
  Engine engine{EngineOptions{
      .ttl_sweep_interval = 0ms,
      .clock = [this] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms.load())); }}};
};

// Tokens expire in the order their calls finished, each after exactly ten minutes.
TEST_F(IdempotencyExpiry, EachTokenExpiresTenMinutesAfterItsCall) {
  (void)engine.transact_write_items(add("first"));
  advance(5min);
  (void)engine.transact_write_items(add("second"));
  EXPECT_EQ(counter(), 2);

  advance(5min);  // "first" is exactly ten minutes old: still remembered
  (void)engine.transact_write_items(add("first"));
  (void)engine.transact_write_items(add("second"));
  EXPECT_EQ(counter(), 2);

  advance(1ms);  // "first" has expired, "second" has not
  (void)engine.transact_write_items(add("first"));
  (void)engine.transact_write_items(add("second"));
  EXPECT_EQ(counter(), 3);

  advance(5min);  // "second" has expired; "first" was used again 5 minutes ago
  (void)engine.transact_write_items(add("second"));
  (void)engine.transact_write_items(add("first"));
  EXPECT_EQ(counter(), 4);
}

// Once a token has expired, a different request may use it.
TEST_F(IdempotencyExpiry, ExpiredTokenTakesAnotherRequest) {
  (void)engine.transact_write_items(add("token"));
  EXPECT_DYNAMO_ERROR(engine.transact_write_items(add("token", 10)), "IdempotentParameterMismatchException",
                      "The request uses the same client token as a previous, but non-identical request.");
  advance(10min + 1ms);
  (void)engine.transact_write_items(add("token", 10));
  EXPECT_EQ(counter(), 11);
  // And the new use is remembered in its turn.
  EXPECT_DYNAMO_ERROR(engine.transact_write_items(add("token")), "IdempotentParameterMismatchException",
                      "The request uses the same client token as a previous, but non-identical request.");
}

// Many tokens: the ones past their ten minutes go, the others stay.
TEST_F(IdempotencyExpiry, ManyTokensExpireInOrder) {
  for (int i = 0; i < 100; ++i) {
    (void)engine.transact_write_items(add("token-" + std::to_string(i)));
    advance(1s);
  }
  EXPECT_EQ(counter(), 100);
  advance(10min - 50s);  // tokens 0..49 are older than ten minutes
  for (int i = 0; i < 100; ++i) (void)engine.transact_write_items(add("token-" + std::to_string(i)));
  EXPECT_EQ(counter(), 150);
}

}  // namespace
}  // namespace dynamo::engine::test
