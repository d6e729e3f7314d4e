// Concurrency: many threads on the same keys. Meant to pass under ThreadSanitizer too
// (build with -DDYNAMO_TSAN=ON and run engine_concurrency_test).
#include <atomic>
#include <random>
#include <thread>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

constexpr int threads = 4;
constexpr int rounds = 200;

// Optimistic-locking counters: read, then update on condition; every increment lands once.
TEST(EngineConcurrency, ConditionalCountersEndExact) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Counters"));
  put(engine, "Counters", {{"pk", "c"}, {"n", 0}});
  std::atomic<int> conflicts{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < rounds; ++i) {
        while (true) {
          auto current = engine.get_item({.table_name = "Counters", .key = {{"pk", "c"}}, .consistent_read = true});
          const AttributeValue old = current.item->at("n");
          try {
            (void)engine.update_item({.table_name = "Counters", .key = {{"pk", "c"}},
                                      .update_expression = "SET n = n + :one", .condition_expression = "n = :old",
                                      .expression_attribute_values = ExpressionAttributeValues{{":one", 1}, {":old", old}}});
            break;
          } catch (const ConditionalCheckFailed&) {
            ++conflicts;
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(engine.get_item({.table_name = "Counters", .key = {{"pk", "c"}}}).item->at("n"), AttributeValue(threads * rounds));
}

// Unconditional ADDs from many threads on one item and puts on many items are all kept.
TEST(EngineConcurrency, AtomicAddsAndPuts) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Counters"));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&engine, t] {
      for (int i = 0; i < rounds; ++i) {
        (void)engine.update_item({.table_name = "Counters", .key = {{"pk", "shared"}}, .update_expression = "ADD n :one",
                                  .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}});
        put(engine, "Counters", {{"pk", "t" + std::to_string(t) + "-" + std::to_string(i)}});
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(engine.get_item({.table_name = "Counters", .key = {{"pk", "shared"}}}).item->at("n"), AttributeValue(threads * rounds));
  EXPECT_EQ(engine.describe_table({.table_name = "Counters"}).table->item_count, threads * rounds + 1);
}

// Transfers between two accounts in two tables: no reader (TransactGetItems, Scan, Query)
// ever sees money created or destroyed, i.e. never half a transaction.
TEST(EngineConcurrency, TransactionsNeverHalfApplied) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Left"));
  (void)engine.create_table(table_request("Right"));
  put(engine, "Left", {{"pk", "acct"}, {"balance", 500}});
  put(engine, "Right", {{"pk", "acct"}, {"balance", 500}});
  put(engine, "Left", {{"pk", "acct2"}, {"balance", 0}});
  std::atomic<bool> done{false};
  std::atomic<int> violations{0};
  std::atomic<int> committed{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      for (int i = 0; i < rounds; ++i) {
        const int amount = static_cast<int>(random() % 50) + 1;
        const bool left_to_right = random() % 2 == 0;
        const std::string from = left_to_right ? "Left" : "Right";
        const std::string to = left_to_right ? "Right" : "Left";
        try {
          (void)engine.transact_write_items({.transact_items = {
              {.update = TransactUpdate{.key = {{"pk", "acct"}}, .update_expression = "SET balance = balance - :a",
                                        .table_name = from, .condition_expression = "balance >= :a",
                                        .expression_attribute_values = ExpressionAttributeValues{{":a", amount}}}},
              {.update = TransactUpdate{.key = {{"pk", "acct"}}, .update_expression = "SET balance = balance + :a",
                                        .table_name = to, .expression_attribute_values = ExpressionAttributeValues{{":a", amount}}}}}});
          ++committed;
        } catch (const TransactionCanceled&) {
        }
        // Also move money inside Left between two items, seen by Scan.
        try {
          (void)engine.transact_write_items({.transact_items = {
              {.update = TransactUpdate{.key = {{"pk", "acct"}}, .update_expression = "SET balance = balance - :a",
                                        .table_name = "Left", .condition_expression = "balance >= :a",
                                        .expression_attribute_values = ExpressionAttributeValues{{":a", 1}}}},
              {.update = TransactUpdate{.key = {{"pk", "acct2"}}, .update_expression = "SET balance = balance + :a",
                                        .table_name = "Left", .expression_attribute_values = ExpressionAttributeValues{{":a", 1}}}}}});
        } catch (const TransactionCanceled&) {
        }
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&] {
      while (!done) {
        auto both = engine.transact_get_items({.transact_items = {
            {.get = TransactGet{.key = {{"pk", "acct"}}, .table_name = "Left"}},
            {.get = TransactGet{.key = {{"pk", "acct2"}}, .table_name = "Left"}},
            {.get = TransactGet{.key = {{"pk", "acct"}}, .table_name = "Right"}}}});
        int sum = 0;
        for (const auto& r : *both.responses) sum += r.item->at("balance").as_number().to<int>();
        if (sum != 1000) ++violations;
        int left = 0;
        const auto scanned = engine.scan({.table_name = "Left", .consistent_read = true});
        for (const auto& item : *scanned.items) {
          left += item.at("balance").as_number().to<int>();
        }
        const int right = engine.get_item({.table_name = "Right", .key = {{"pk", "acct"}}}).item->at("balance").as_number().to<int>();
        if (left < 0 || right < 0 || left > 1000 || right > 1000) ++violations;
      }
    });
  }
  for (int t = 0; t < 2; ++t) workers[static_cast<std::size_t>(t)].join();
  done = true;
  for (std::size_t t = 2; t < workers.size(); ++t) workers[t].join();
  EXPECT_EQ(violations, 0);
  EXPECT_GT(committed, 0);
}

// Many threads sending one TransactWriteItems with the same ClientRequestToken at once: it
// is applied exactly once. The others either get the first result or are told the
// transaction is in progress (TransactionInProgressException), as DynamoDB does.
TEST(EngineConcurrency, SameClientRequestTokenAppliesOnce) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl"));
  for (int round = 0; round < 50; ++round) {
    const TransactWriteItemsRequest tx{
        .transact_items = {{.update = TransactUpdate{.key = {{"pk", "counter"}},
                                                     .update_expression = "ADD n :one",
                                                     .table_name = "Tbl",
                                                     .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}}}},
        .client_request_token = "token-" + std::to_string(round)};
    std::atomic<int> applied_or_replayed{0};
    std::atomic<int> in_progress{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        try {
          (void)engine.transact_write_items(tx);
          ++applied_or_replayed;
        } catch (const dynamo::Error& e) {
          EXPECT_EQ(e.code(), "TransactionInProgressException");
          ++in_progress;
        }
      });
    }
    for (auto& worker : workers) worker.join();
    EXPECT_GE(applied_or_replayed.load(), 1);
    EXPECT_EQ(applied_or_replayed.load() + in_progress.load(), threads);
    EXPECT_EQ(engine.get_item({.table_name = "Tbl", .key = {{"pk", "counter"}}}).item->at("n"),
              AttributeValue(round + 1));
  }
}

// Tables created and deleted while other threads use them: every call either succeeds or
// fails with ResourceNotFoundException, and nothing crashes.
TEST(EngineConcurrency, TableLifecycleUnderLoad) {
  Engine engine(quiet_options());
  std::atomic<bool> done{false};
  std::atomic<int> unexpected{0};
  std::thread user([&] {
    int i = 0;
    while (!done) {
      try {
        put(engine, "Flip", {{"pk", "k" + std::to_string(i++ % 10)}});
        (void)engine.scan({.table_name = "Flip"});
      } catch (const Error& e) {
        if (e.code() != "ResourceNotFoundException") ++unexpected;
      }
    }
  });
  for (int i = 0; i < 50; ++i) {
    (void)engine.create_table(table_request("Flip"));
    std::this_thread::yield();
    (void)engine.delete_table({.table_name = "Flip"});
  }
  done = true;
  user.join();
  EXPECT_EQ(unexpected, 0);
}

}  // namespace
}  // namespace dynamo::engine::test
