// ClientRequestTokens survive a restart: a TransactWriteItems or ExecuteTransaction retried
// after the engine reopens its data directory returns the first response without applying
// again, for both LMDB and SQLite; expired tokens are forgotten and trimmed from the store;
// data directories written before tokens were stored still open.
#include <gtest/gtest.h>
#include <lmdb.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/error_codes.hpp"
#include "dynamo/store/store.hpp"
#include "stored_entries.hpp"

namespace dynamo::store {
namespace {

using namespace api;
using namespace std::chrono_literals;

// The tokens a store holds, read with its own load().
class TokenCollector final : public engine::DurableStore::Loader {
 public:
  void on_table(const engine::StoredTable& /*table*/) override {}
  void on_item(std::string_view /*table*/, std::string_view /*item_json*/) override {}
  void on_stream(const engine::StoredStream& /*stream*/) override {}
  void on_stream_record(std::string_view /*arn*/, std::string_view /*record_json*/) override {}
  void on_token(const engine::StoredToken& token) override {
    tokens.push_back({std::string(token.token), token.written_at_ms});
  }
  std::vector<std::pair<std::string, std::int64_t>> tokens;
};

// A third-party store written before tokens existed: it overrides only what it must.
class StoreWithoutTokens final : public engine::DurableStore {
 public:
  explicit StoreWithoutTokens(std::shared_ptr<engine::DurableStore> inner) : inner_(std::move(inner)) {}
  void put_table(const engine::StoredTable& table) override { inner_->put_table(table); }
  void delete_table(std::string_view name) override { inner_->delete_table(name); }
  void apply(std::span<const engine::StoredItemChange> changes) override {
    ++applied;
    inner_->apply(changes);
  }
  void load(Loader& loader) override { inner_->load(loader); }
  int applied = 0;

 private:
  std::shared_ptr<engine::DurableStore> inner_;
};

class IdempotencyTokens : public ::testing::TestWithParam<Kind> {
 protected:
  IdempotencyTokens() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("dynamo-token-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
  }
  ~IdempotencyTokens() override { std::filesystem::remove_all(dir_); }

  [[nodiscard]] std::string dir() const { return dir_.string(); }

  engine::EngineOptions options(std::shared_ptr<engine::DurableStore> store,
                                std::chrono::milliseconds sweep_interval = 0ms) {
    return {.ttl_sweep_interval = sweep_interval,
            .clock = [this] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms.load())); },
            .store = std::move(store)};
  }
  std::unique_ptr<engine::Engine> open_engine() {
    return std::make_unique<engine::Engine>(options(open(dir(), {.kind = GetParam()})));
  }
  // The tokens the closed store holds.
  std::vector<std::pair<std::string, std::int64_t>> stored_tokens() {
    TokenCollector collector;
    open(dir(), {.kind = GetParam()})->load(collector);
    return collector.tokens;
  }

  static void create_table(engine::Engine& engine) {
    (void)engine.create_table({.table_name = "Tbl",
                               .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                               .key_schema = {{"pk", KeyType::hash}},
                               .billing_mode = BillingMode::pay_per_request});
  }
  // Adds `amount` to the counter and puts a marker item: applied twice, the counter shows it.
  static TransactWriteItemsRequest add_to_counter(const std::string& token, int amount = 1) {
    return {.transact_items = {{.update = TransactUpdate{.key = {{"pk", "counter"}},
                                                         .update_expression = "ADD n :amount",
                                                         .table_name = "Tbl",
                                                         .expression_attribute_values =
                                                             ExpressionAttributeValues{{":amount", amount}}}},
                               {.put = TransactPut{.item = {{"pk", "marker"}, {"token", token}}, .table_name = "Tbl"}}},
            .return_consumed_capacity = ReturnConsumedCapacity::indexes,
            .client_request_token = token};
  }
  static int counter(engine::Engine& engine) {
    auto got = engine.get_item({.table_name = "Tbl", .key = {{"pk", "counter"}}, .consistent_read = true});
    return got.item ? got.item->at("n").as_number().to<int>() : 0;
  }

  std::atomic<std::int64_t> now_ms{1'800'000'000'000};

 private:
  std::filesystem::path dir_;
};

// The same token and request after a restart: the first response, applied once.
TEST_P(IdempotencyTokens, RepeatAfterReopenReturnsTheFirstResponse) {
  TransactWriteItemsResponse first;
  {
    auto engine = open_engine();
    create_table(*engine);
    first = engine->transact_write_items(add_to_counter("token-1"));
    ASSERT_TRUE(first.consumed_capacity);
  }
  now_ms += 60'000;
  auto engine = open_engine();
  EXPECT_EQ(engine->transact_write_items(add_to_counter("token-1")), first);
  EXPECT_EQ(counter(*engine), 1);
  // And again, now from the record restored in memory.
  EXPECT_EQ(engine->transact_write_items(add_to_counter("token-1")), first);
  EXPECT_EQ(counter(*engine), 1);
}

// A different request with a token used before the restart is refused.
TEST_P(IdempotencyTokens, DifferentRequestAfterReopenIsRefused) {
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->transact_write_items(add_to_counter("token-1"));
  }
  auto engine = open_engine();
  try {
    (void)engine->transact_write_items(add_to_counter("token-1", 5));
    ADD_FAILURE() << "a different request with a stored token was applied";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), error_code::idempotent_parameter_mismatch);
  }
  EXPECT_EQ(counter(*engine), 1);
  (void)engine->transact_write_items(add_to_counter("token-2", 5));
  EXPECT_EQ(counter(*engine), 6);
}

// Ten minutes after the call, the token means nothing: the engine forgets it at open and
// drops it from the store, and the repeat applies again.
TEST_P(IdempotencyTokens, ExpiredTokenIsForgottenAndTrimmed) {
  const std::int64_t first_at = now_ms.load();
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->transact_write_items(add_to_counter("token-1"));
  }
  EXPECT_EQ(stored_tokens(), (std::vector<std::pair<std::string, std::int64_t>>{{"token-1", first_at}}));
  now_ms += 10 * 60'000 + 1;
  (void)open_engine();
  EXPECT_TRUE(stored_tokens().empty());
  auto engine = open_engine();
  (void)engine->transact_write_items(add_to_counter("token-1"));
  EXPECT_EQ(counter(*engine), 2);
}

// A token stays meaningful for its whole ten minutes, across a restart.
TEST_P(IdempotencyTokens, TokenAtTheEndOfItsWindowIsKept) {
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->transact_write_items(add_to_counter("token-1"));
  }
  now_ms += 10 * 60'000;
  auto engine = open_engine();
  (void)engine->transact_write_items(add_to_counter("token-1"));
  EXPECT_EQ(counter(*engine), 1);
}

// The sweeper drops tokens from the store as they expire, without a restart.
TEST_P(IdempotencyTokens, SweeperTrimsExpiredTokens) {
  {
    engine::Engine engine(options(open(dir(), {.kind = GetParam()}), 5ms));
    create_table(engine);
    (void)engine.transact_write_items(add_to_counter("token-1"));
    now_ms += 10 * 60'000 + 1;
    (void)engine.transact_write_items(add_to_counter("token-2"));
    std::this_thread::sleep_for(100ms);  // twenty sweeps
  }
  const auto tokens = stored_tokens();
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens.front().first, "token-2");
}

// A transaction that changes no item (a condition check only) still stores its token.
TEST_P(IdempotencyTokens, TransactionWithoutChangesStoresItsToken) {
  TransactWriteItemsRequest check{
      .transact_items = {{.condition_check = TransactConditionCheck{.key = {{"pk", "counter"}},
                                                                    .table_name = "Tbl",
                                                                    .condition_expression = "attribute_not_exists(pk)"}}},
      .client_request_token = "check-1"};
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->transact_write_items(check);
  }
  EXPECT_EQ(stored_tokens().size(), 1U);
  auto engine = open_engine();
  (void)engine->transact_write_items(check);
  try {
    (void)engine->transact_write_items(add_to_counter("check-1"));
    ADD_FAILURE() << "the condition check's token was forgotten";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), error_code::idempotent_parameter_mismatch);
  }
}

// ExecuteTransaction's ClientRequestToken goes the same way.
TEST_P(IdempotencyTokens, ExecuteTransactionRepeatAfterReopen) {
  const ExecuteTransactionRequest tx{
      .transact_statements = {{.statement = R"(UPDATE "Tbl" SET n = n + 1 WHERE pk = 'counter')"}},
      .client_request_token = "statement-1"};
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->put_item({.table_name = "Tbl", .item = {{"pk", "counter"}, {"n", 0}}});
    (void)engine->execute_transaction(tx);
  }
  auto engine = open_engine();
  (void)engine->execute_transaction(tx);
  EXPECT_EQ(counter(*engine), 1);
  auto other = tx;
  other.transact_statements[0].statement = R"(UPDATE "Tbl" SET n = n + 2 WHERE pk = 'counter')";
  try {
    (void)engine->execute_transaction(other);
    ADD_FAILURE() << "a different statement with a stored token was applied";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), error_code::idempotent_parameter_mismatch);
  }
}

// A failed transaction leaves no token behind, in memory or in the store.
TEST_P(IdempotencyTokens, FailedTransactionStoresNoToken) {
  auto failing = add_to_counter("token-1");
  failing.transact_items[0].update->condition_expression = "attribute_exists(pk)";
  {
    auto engine = open_engine();
    create_table(*engine);
    EXPECT_THROW((void)engine->transact_write_items(failing), engine::TransactionCanceled);
  }
  EXPECT_TRUE(stored_tokens().empty());
}

// A store that predates tokens (no apply_with_token) keeps working; only the restart
// forgets its tokens.
TEST_P(IdempotencyTokens, StoreWithoutTokensStillWorks) {
  {
    auto store = std::make_shared<StoreWithoutTokens>(open(dir(), {.kind = GetParam()}));
    engine::Engine engine(options(store));
    create_table(engine);
    (void)engine.transact_write_items(add_to_counter("token-1"));
    (void)engine.transact_write_items(add_to_counter("token-1"));
    EXPECT_EQ(counter(engine), 1);
    EXPECT_EQ(store->applied, 1);
    // No change and no token to store: the store is not called.
    (void)engine.transact_write_items({.transact_items = {{.condition_check = TransactConditionCheck{
                                                               .key = {{"pk", "counter"}},
                                                               .table_name = "Tbl",
                                                               .condition_expression = "attribute_exists(pk)"}}},
                                       .client_request_token = "check-1"});
    EXPECT_EQ(store->applied, 1);
  }
  EXPECT_TRUE(stored_tokens().empty());
}

// A data directory written before tokens were stored (no tokens database or table) opens,
// and stores tokens from then on.
void write_directory_without_tokens(const std::string& dir, Kind kind) {
  std::filesystem::create_directories(dir);
  if (kind == Kind::lmdb) {
    testing::RawLmdb lmdb(dir);
    for (const char* name : {"tables", "items", "streams", "records"}) (void)lmdb.database(name);
  } else {
    testing::RawSqlite(dir).exec(
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE tables(name TEXT PRIMARY KEY, ttl TEXT NOT NULL, description TEXT NOT NULL);"
        "CREATE TABLE items(tbl TEXT NOT NULL, key BLOB NOT NULL, item BLOB NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;"
        "CREATE TABLE streams(arn TEXT PRIMARY KEY, state TEXT NOT NULL);"
        "CREATE TABLE records(arn TEXT NOT NULL, seq TEXT NOT NULL, record BLOB NOT NULL, "
        "PRIMARY KEY (arn, seq)) WITHOUT ROWID;");
  }
}

TEST_P(IdempotencyTokens, DirectoryWithoutTokensOpens) {
  write_directory_without_tokens(dir(), GetParam());
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->transact_write_items(add_to_counter("token-1"));
  }
  auto engine = open_engine();
  (void)engine->transact_write_items(add_to_counter("token-1"));
  EXPECT_EQ(counter(*engine), 1);
}

// Rewrites the time of every stored token to `written_at_ms` (and its checksum), with the
// store's own library.
void set_token_times(const std::string& dir, Kind kind, std::int64_t written_at_ms) {
  if (kind == Kind::lmdb) {
    testing::RawLmdb lmdb(dir);
    const MDB_dbi tokens = lmdb.database("tokens");
    const auto entries = lmdb.entries(tokens);
    for (const auto& [key, value] : entries) lmdb.erase(tokens, key);
    // The key: the time (milliseconds, sign bit flipped, big-endian), then the token.
    const std::uint64_t ordered = static_cast<std::uint64_t>(written_at_ms) ^ (std::uint64_t{1} << 63);
    for (auto [key, value] : entries) {
      for (std::size_t i = 0; i < 8; ++i) key[i] = static_cast<char>(ordered >> (8 * (7 - i)));
      lmdb.put(tokens, key, testing::lmdb_value(key, testing::lmdb_payload(value)));
    }
  } else {
    testing::RawSqlite(dir).exec("UPDATE tokens SET written_at = " + std::to_string(written_at_ms) +
                                 ", checksum = dynamo_checksum(token, '" + std::to_string(written_at_ms) +
                                 "', request, response)");
  }
}

// A stored token whose time lies outside what the engine's clock can hold (a damaged
// entry: dynamo never writes one) refuses the store with a StoreError naming it, rather than
// overflowing the clock's arithmetic. Found by store_load_fuzz.
TEST_P(IdempotencyTokens, TokenTimeOutOfRangeIsRefused) {
  {
    auto engine = open_engine();
    create_table(*engine);
    (void)engine->transact_write_items(add_to_counter("token-1"));
  }
  for (const std::int64_t written_at_ms : {std::int64_t{1} << 62, std::int64_t{-1}}) {
    set_token_times(dir(), GetParam(), written_at_ms);
    try {
      (void)open_engine();
      ADD_FAILURE() << "a token written at " << written_at_ms << " ms was loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "StoreError");
      EXPECT_NE(std::string(e.message()).find(dir()), std::string::npos) << e.message();
      EXPECT_NE(std::string(e.message()).find("out of range"), std::string::npos) << e.message();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, IdempotencyTokens, ::testing::Values(Kind::lmdb, Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>& row) {
                           return std::string(row.param == Kind::lmdb ? "lmdb" : "sqlite");
                         });

}  // namespace
}  // namespace dynamo::store
