// TTL expiry (manual sweeps with an injected clock, and the sweeper thread), consumed
// capacity by DynamoDB's rules, and the DurableStore seam (one batch per operation,
// reload, write-ahead on failure).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::atomic<std::int64_t> seconds{1'700'000'000};
  std::function<std::chrono::system_clock::time_point()> function() {
    return [this] { return std::chrono::system_clock::time_point(std::chrono::seconds(seconds.load())); };
  }
};

EngineOptions with_clock(FakeClock& clock, std::chrono::milliseconds interval = 0ms) {
  EngineOptions options;
  options.clock = clock.function();
  options.ttl_sweep_interval = interval;
  return options;
}

void enable_ttl(Engine& engine, const std::string& table) {
  (void)engine.update_time_to_live(
      {.table_name = table, .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
}

// Expired items stay readable until a sweep, then are deleted (indexes too); items in the
// future, with non-number TTLs, or more than five years past are kept.
TEST(EngineTtl, SweepDeletesExpiredItems) {
  FakeClock clock;
  Engine engine(with_clock(clock));
  auto request = table_request("Sessions");
  request.attribute_definitions.push_back({"user", ScalarAttributeType::s});
  request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "byUser", .key_schema = {{"user", KeyType::hash}}, .projection = {.projection_type = ProjectionType::all}}};
  (void)engine.create_table(request);
  const std::int64_t now = clock.seconds;
  put(engine, "Sessions", {{"pk", "past"}, {"user", "u"}, {"expires", now - 10}});
  put(engine, "Sessions", {{"pk", "future"}, {"user", "u"}, {"expires", now + 100}});
  put(engine, "Sessions", {{"pk", "text"}, {"expires", "0"}});
  put(engine, "Sessions", {{"pk", "ancient"}, {"expires", now - 6LL * 365 * 24 * 3600}});
  EXPECT_EQ(engine.sweep_expired_items(), 0u);  // TTL not enabled yet
  enable_ttl(engine, "Sessions");
  EXPECT_TRUE(engine.get_item({.table_name = "Sessions", .key = {{"pk", "past"}}}).item);  // not swept yet
  EXPECT_EQ(engine.sweep_expired_items(), 1u);
  EXPECT_FALSE(engine.get_item({.table_name = "Sessions", .key = {{"pk", "past"}}}).item);
  auto by_user = engine.query({.table_name = "Sessions", .index_name = "byUser", .key_condition_expression = "#u = :u",
                               .expression_attribute_names = ExpressionAttributeNames{{"#u", "user"}},
                               .expression_attribute_values = ExpressionAttributeValues{{":u", "u"}}});
  EXPECT_EQ(by_user.count, 1);
  clock.seconds += 100;
  EXPECT_EQ(engine.sweep_expired_items(), 1u);  // expiry == now counts as expired
  EXPECT_EQ(engine.scan({.table_name = "Sessions"}).count, 2);
}

// The sweeper thread deletes an expired item within a few intervals, and it never returns.
TEST(EngineTtl, SweeperThread) {
  FakeClock clock;
  Engine engine(with_clock(clock, 10ms));
  (void)engine.create_table(table_request("Sessions"));
  enable_ttl(engine, "Sessions");
  put(engine, "Sessions", {{"pk", "a"}, {"expires", clock.seconds + 5}});
  std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(engine.get_item({.table_name = "Sessions", .key = {{"pk", "a"}}}).item);
  clock.seconds += 10;
  bool gone = false;
  for (int i = 0; i < 300 && !gone; ++i) {
    std::this_thread::sleep_for(10ms);
    gone = !engine.get_item({.table_name = "Sessions", .key = {{"pk", "a"}}}).item;
  }
  EXPECT_TRUE(gone);
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(engine.get_item({.table_name = "Sessions", .key = {{"pk", "a"}}}).item);
}

double units_of(const std::optional<ConsumedCapacity>& c) { return c.value().capacity_units.value(); }

// Reads: 4 KB units rounded up, halved when eventually consistent; a miss costs the minimum.
TEST(EngineCapacity, GetItem) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl"));
  put(engine, "Tbl", {{"pk", "a"}, {"blob", std::string(5000, 'x')}});
  GetItemRequest get{.table_name = "Tbl", .key = {{"pk", "a"}}, .consistent_read = true,
                     .return_consumed_capacity = ReturnConsumedCapacity::total};
  auto consumed = engine.get_item(get).consumed_capacity.value();
  EXPECT_EQ(consumed.table_name, "Tbl");
  EXPECT_EQ(consumed.capacity_units, 2.0);
  EXPECT_EQ(consumed.read_capacity_units, 2.0);
  get.consistent_read = false;
  EXPECT_EQ(units_of(engine.get_item(get).consumed_capacity), 1.0);
  get.key = {{"pk", "missing"}};
  EXPECT_EQ(units_of(engine.get_item(get).consumed_capacity), 0.5);
  get.return_consumed_capacity = ReturnConsumedCapacity::none;
  EXPECT_FALSE(engine.get_item(get).consumed_capacity);
}

// Writes: 1 KB units of the larger of the old and new item; index writes under INDEXES.
TEST(EngineCapacity, Writes) {
  Engine engine(quiet_options());
  auto request = table_request("Tbl");
  request.attribute_definitions.push_back({"g", ScalarAttributeType::s});
  request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "byG", .key_schema = {{"g", KeyType::hash}}, .projection = {.projection_type = ProjectionType::keys_only}}};
  (void)engine.create_table(request);
  auto first = engine.put_item({.table_name = "Tbl", .item = {{"pk", "a"}, {"blob", std::string(3000, 'x')}},
                                .return_consumed_capacity = ReturnConsumedCapacity::total});
  EXPECT_EQ(units_of(first.consumed_capacity), 3.0);
  auto smaller = engine.put_item({.table_name = "Tbl", .item = {{"pk", "a"}, {"g", "x"}},
                                  .return_consumed_capacity = ReturnConsumedCapacity::indexes});
  // Old item 3 KB -> 3 units on the table; the item enters the index: 1 unit there.
  auto c = smaller.consumed_capacity.value();
  EXPECT_EQ(c.capacity_units, 4.0);
  EXPECT_EQ(c.table->capacity_units, 3.0);
  EXPECT_EQ(c.global_secondary_indexes->at("byG").capacity_units, 1.0);
  // Changing the index key: delete + put in the index.
  auto moved = engine.update_item({.table_name = "Tbl", .key = {{"pk", "a"}}, .return_consumed_capacity = ReturnConsumedCapacity::indexes,
                                   .update_expression = "SET g = :g",
                                   .expression_attribute_values = ExpressionAttributeValues{{":g", "y"}}});
  EXPECT_EQ(moved.consumed_capacity->global_secondary_indexes->at("byG").capacity_units, 2.0);
  auto deleted = engine.delete_item({.table_name = "Tbl", .key = {{"pk", "a"}}, .return_consumed_capacity = ReturnConsumedCapacity::total});
  EXPECT_EQ(units_of(deleted.consumed_capacity), 2.0);  // 1 on the table, 1 leaving the index
}

// Query charges the summed size of the items read, rounded up to 4 KB once.
TEST(EngineCapacity, QueryAndScan) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
  for (int i = 0; i < 10; ++i) put(engine, "Tbl", {{"pk", "a"}, {"sk", i}, {"blob", std::string(1000, 'x')}});
  QueryRequest q{.table_name = "Tbl", .consistent_read = true, .return_consumed_capacity = ReturnConsumedCapacity::total,
                 .key_condition_expression = "pk = :p",
                 .expression_attribute_values = ExpressionAttributeValues{{":p", "a"}}};
  EXPECT_EQ(units_of(engine.query(q).consumed_capacity), 3.0);  // ~10 KB
  q.consistent_read = false;
  EXPECT_EQ(units_of(engine.query(q).consumed_capacity), 1.5);
  q.filter_expression = "attribute_not_exists(#b)";
  q.expression_attribute_names = ExpressionAttributeNames{{"#b", "blob"}};
  EXPECT_EQ(units_of(engine.query(q).consumed_capacity), 1.5);  // filtered items were still read
  EXPECT_EQ(units_of(engine.scan({.table_name = "Tbl", .return_consumed_capacity = ReturnConsumedCapacity::total}).consumed_capacity), 1.5);
}

// Transactions cost double, for reads and writes.
TEST(EngineCapacity, Transactions) {
  Engine engine(quiet_options());
  (void)engine.create_table(table_request("Tbl"));
  put(engine, "Tbl", {{"pk", "a"}, {"blob", std::string(1500, 'x')}});
  auto write = engine.transact_write_items({.transact_items = {{.put = TransactPut{.item = {{"pk", "b"}}, .table_name = "Tbl"}}},
                                            .return_consumed_capacity = ReturnConsumedCapacity::total});
  EXPECT_EQ(write.consumed_capacity->at(0).capacity_units, 2.0);
  auto read = engine.transact_get_items({.transact_items = {{.get = TransactGet{.key = {{"pk", "a"}}, .table_name = "Tbl"}}},
                                         .return_consumed_capacity = ReturnConsumedCapacity::total});
  EXPECT_EQ(read.consumed_capacity->at(0).capacity_units, 2.0);
  auto batch = engine.batch_write_item({.request_items = {{"Tbl", {WriteRequest{.put_request = PutRequest{.item = {{"pk", "c"}}}},
                                                                   WriteRequest{.put_request = PutRequest{.item = {{"pk", "d"}}}}}}},
                                        .return_consumed_capacity = ReturnConsumedCapacity::total});
  EXPECT_EQ(batch.consumed_capacity->at(0).capacity_units, 2.0);
}

// An in-memory DurableStore that records every call.
class RecordingStore : public DurableStore {
 public:
  void put_table(const StoredTable& table) override {
    std::lock_guard lock(mutex);
    tables[table.name] = table;
  }
  void delete_table(std::string_view name) override {
    std::lock_guard lock(mutex);
    tables.erase(std::string(name));
    items.erase(std::string(name));
  }
  void apply(std::span<const StoredItemChange> changes) override {
    std::lock_guard lock(mutex);
    if (fail) throw Error("InternalServerError", "disk full", 500);
    ++batches;
    for (const auto& change : changes) {
      auto& rows = items[std::string(change.table)];
      if (change.item) {
        rows[std::string(change.key)] = std::string(*change.item);
      } else {
        rows.erase(std::string(change.key));
      }
    }
  }
  void load(Loader& loader) override {
    for (const auto& [name, table] : tables) {
      loader.on_table(table);
      for (const auto& [key, item] : items[name]) loader.on_item(name, item);
    }
  }
  std::mutex mutex;
  bool fail = false;
  int batches = 0;
  std::map<std::string, StoredTable> tables;
  std::map<std::string, std::map<std::string, std::string>> items;
};

// Every acknowledged change reaches the store, one batch per operation, and a new engine
// opened on the store sees the same tables, items, indexes and TTL setting.
TEST(EngineStore, PersistsAndReloads) {
  auto store = std::make_shared<RecordingStore>();
  {
    EngineOptions options = quiet_options();
    options.store = store;
    Engine engine(options);
    auto request = table_request("Tbl");
    request.attribute_definitions.push_back({"g", ScalarAttributeType::s});
    request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
        {.index_name = "byG", .key_schema = {{"g", KeyType::hash}}, .projection = {.projection_type = ProjectionType::all}}};
    (void)engine.create_table(request);
    enable_ttl(engine, "Tbl");
    put(engine, "Tbl", {{"pk", "a"}, {"g", "x"}});
    (void)engine.update_item({.table_name = "Tbl", .key = {{"pk", "b"}}, .update_expression = "SET g = :g",
                              .expression_attribute_values = ExpressionAttributeValues{{":g", "x"}}});
    (void)engine.batch_write_item({.request_items = {{"Tbl", {WriteRequest{.put_request = PutRequest{.item = {{"pk", "c"}}}},
                                                              WriteRequest{.delete_request = DeleteRequest{.key = {{"pk", "a"}}}}}}}});
    (void)engine.transact_write_items({.transact_items = {{.put = TransactPut{.item = {{"pk", "d"}, {"g", "x"}}, .table_name = "Tbl"}},
                                                          {.delete_ = TransactDelete{.key = {{"pk", "c"}}, .table_name = "Tbl"}}}});
    EXPECT_EQ(store->batches, 4);
    EXPECT_EQ(store->items["Tbl"].count(R"({"pk":{"S":"b"}})"), 1u);
    (void)engine.create_table(table_request("Gone"));
    (void)engine.delete_table({.table_name = "Gone"});
  }
  EngineOptions options = quiet_options();
  options.store = store;
  Engine reopened(options);
  EXPECT_EQ(reopened.list_tables({}).table_names, (std::vector<std::string>{"Tbl"}));
  auto d = reopened.describe_table({.table_name = "Tbl"}).table.value();
  EXPECT_EQ(d.item_count, 2);
  EXPECT_EQ(d.global_secondary_indexes->at(0).item_count, 2);
  EXPECT_EQ(reopened.describe_time_to_live({.table_name = "Tbl"}).time_to_live_description->attribute_name, "expires");
  EXPECT_EQ(reopened.get_item({.table_name = "Tbl", .key = {{"pk", "d"}}}).item, (Item{{"pk", "d"}, {"g", "x"}}));
}

// A GSI added to a table whose items hold its key attributes with another type or empty:
// the backfill leaves those items out, and the data reopens with the same index contents
// (the loader applies the backfill's rule instead of refusing to start).
TEST(EngineStore, ReopensAfterAnIndexSomeItemsCannotJoin) {
  auto store = std::make_shared<RecordingStore>();
  const auto index_count = [](Engine& engine) {
    auto d = engine.describe_table({.table_name = "Tbl"}).table.value();
    return d.global_secondary_indexes->at(0).item_count.value_or(-1);
  };
  const auto indexed_keys = [](Engine& engine) {
    std::vector<std::string> keys;
    const auto items = engine.scan({.table_name = "Tbl", .index_name = "byG"}).items.value();
    for (const Item& item : items) keys.push_back(item.at("pk").as_string());
    std::sort(keys.begin(), keys.end());
    return keys;
  };
  {
    EngineOptions options = quiet_options();
    options.store = store;
    Engine engine(options);
    (void)engine.create_table(table_request("Tbl"));
    put(engine, "Tbl", {{"pk", "string"}, {"g", "x"}});
    put(engine, "Tbl", {{"pk", "number"}, {"g", 7}});
    put(engine, "Tbl", {{"pk", "empty"}, {"g", ""}});
    put(engine, "Tbl", {{"pk", "none"}});
    (void)engine.update_table({.table_name = "Tbl",
                               .attribute_definitions = std::vector<AttributeDefinition>{{"g", ScalarAttributeType::s}},
                               .global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{
                                   {.create = CreateGlobalSecondaryIndexAction{
                                        .index_name = "byG",
                                        .key_schema = {{"g", KeyType::hash}},
                                        .projection = {.projection_type = ProjectionType::all}}}}});
    EXPECT_EQ(index_count(engine), 1);
    EXPECT_EQ(indexed_keys(engine), (std::vector<std::string>{"string"}));
  }
  EngineOptions options = quiet_options();
  options.store = store;
  Engine reopened(options);
  EXPECT_EQ(reopened.describe_table({.table_name = "Tbl"}).table->item_count, 4);
  EXPECT_EQ(index_count(reopened), 1);
  EXPECT_EQ(indexed_keys(reopened), (std::vector<std::string>{"string"}));
  // New writes are still held to the index's type.
  EXPECT_THROW(put(reopened, "Tbl", {{"pk", "later"}, {"g", 8}}), Error);
  // And an item that cannot join the index can still be rewritten without the attribute.
  put(reopened, "Tbl", {{"pk", "number"}, {"note", "fixed"}});
}

// When the store fails, the operation fails and memory is unchanged (write-ahead).
TEST(EngineStore, FailureLeavesStateUnchanged) {
  auto store = std::make_shared<RecordingStore>();
  EngineOptions options = quiet_options();
  options.store = store;
  Engine engine(options);
  (void)engine.create_table(table_request("Tbl"));
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});
  store->fail = true;
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Tbl", .item = {{"pk", "a"}, {"v", 2}}}), "InternalServerError", "disk full");
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Tbl", .key = {{"pk", "a"}}}), "InternalServerError", "disk full");
  EXPECT_EQ(engine.get_item({.table_name = "Tbl", .key = {{"pk", "a"}}}).item, (Item{{"pk", "a"}, {"v", 1}}));
}

// Quiet engine options writing to `store`.
EngineOptions stored_in(std::shared_ptr<DurableStore> store) {
  EngineOptions options = quiet_options();
  options.store = std::move(store);
  return options;
}

// A store whose delete_table waits, once entered, until the test lets it go on (or fail).
class SlowDeleteStore : public RecordingStore {
 public:
  void delete_table(std::string_view name) override {
    {
      std::unique_lock lock(gate_mutex);
      entered = true;
      gate.notify_all();
      gate.wait(lock, [&] { return released; });
      if (fail_delete) throw Error("InternalServerError", "disk error", 500);
    }
    RecordingStore::delete_table(name);
  }
  void wait_until_entered() {
    std::unique_lock lock(gate_mutex);
    gate.wait(lock, [&] { return entered; });
  }
  void release(bool fail_it) {
    std::lock_guard lock(gate_mutex);
    fail_delete = fail_it;
    released = true;
    gate.notify_all();
  }
  std::mutex gate_mutex;
  std::condition_variable gate;
  bool entered = false, released = false, fail_delete = false;
};

// While DeleteTable deletes a table's stored data, other tables are served; the table's name
// stays taken (DELETING: CreateTable and a second DeleteTable are refused), and afterwards
// the table is gone and its name free.
TEST(EngineStore, DeleteTableLetsOtherTablesWorkMeanwhile) {
  auto store = std::make_shared<SlowDeleteStore>();
  Engine engine(stored_in(store));
  (void)engine.create_table(table_request("Doomed"));
  (void)engine.create_table(table_request("Other"));
  put(engine, "Doomed", {{"pk", "a"}});
  std::thread deleter([&] { (void)engine.delete_table({.table_name = "Doomed"}); });
  store->wait_until_entered();
  put(engine, "Other", {{"pk", "b"}});
  EXPECT_TRUE(engine.get_item({.table_name = "Other", .key = {{"pk", "b"}}}).item);
  EXPECT_EQ(engine.list_tables({}).table_names, (std::vector<std::string>{"Doomed", "Other"}));
  EXPECT_DYNAMO_ERROR(engine.create_table(table_request("Doomed")), "ResourceInUseException",
                      "Attempt to change a resource which is still in use: Table is being deleted: Doomed");
  EXPECT_DYNAMO_ERROR(engine.delete_table({.table_name = "Doomed"}), "ResourceInUseException",
                      "Attempt to change a resource which is still in use: Table is being deleted: Doomed");
  store->release(false);
  deleter.join();
  EXPECT_DYNAMO_ERROR(engine.describe_table({.table_name = "Doomed"}), "ResourceNotFoundException",
                      "Requested resource not found: Table: Doomed not found");
  EXPECT_EQ(store->tables.count("Doomed"), 0u);
  (void)engine.create_table(table_request("Doomed"));
  EXPECT_FALSE(engine.get_item({.table_name = "Doomed", .key = {{"pk", "a"}}}).item);
}

// A DeleteTable whose store fails changes nothing: the table and its items stay, and a later
// DeleteTable deletes it.
TEST(EngineStore, FailedDeleteTableKeepsTheTable) {
  auto store = std::make_shared<SlowDeleteStore>();
  Engine engine(stored_in(store));
  (void)engine.create_table(table_request("Kept"));
  put(engine, "Kept", {{"pk", "a"}});
  store->release(true);
  EXPECT_DYNAMO_ERROR(engine.delete_table({.table_name = "Kept"}), "InternalServerError", "disk error");
  EXPECT_TRUE(engine.get_item({.table_name = "Kept", .key = {{"pk", "a"}}}).item);
  store->fail_delete = false;
  (void)engine.delete_table({.table_name = "Kept"});
  EXPECT_EQ(engine.list_tables({}).table_names, (std::vector<std::string>{}));
}

// The sweep examines a large table in chunks: every expired item is deleted, across chunk
// boundaries inside one large partition and across many small partitions, and no other.
TEST(EngineTtl, SweepCoversLargeTablesChunkByChunk) {
  FakeClock clock;
  auto store = std::make_shared<RecordingStore>();
  EngineOptions options = with_clock(clock);
  options.store = store;
  Engine engine(options);
  (void)engine.create_table(table_request("Big", ScalarAttributeType::n));
  enable_ttl(engine, "Big");
  const std::int64_t now = clock.seconds;
  std::size_t expected_expired = 0;
  for (int i = 0; i < 10'000; ++i) {  // one partition of 10,000 items, every third expired
    const bool expire = i % 3 == 0;
    expected_expired += expire ? 1 : 0;
    put(engine, "Big", {{"pk", "large"}, {"sk", i}, {"expires", expire ? now - 5 : now + 500}});
  }
  for (int i = 0; i < 6'000; ++i) {  // 6,000 partitions of one item, every other expired
    const bool expire = i % 2 == 0;
    expected_expired += expire ? 1 : 0;
    put(engine, "Big", {{"pk", "p" + std::to_string(i)}, {"sk", 0}, {"expires", expire ? now - 5 : now + 500}});
  }
  const int batches_before = store->batches;
  EXPECT_EQ(engine.sweep_expired_items(), expected_expired);
  EXPECT_EQ(engine.describe_table({.table_name = "Big"}).table->item_count,
            static_cast<std::int64_t>(16'000 - expected_expired));
  // Deleted a chunk at a time: never more than 100 deletes in one store batch.
  EXPECT_GE(store->batches - batches_before, static_cast<int>((expected_expired + 99) / 100));
  EXPECT_EQ(engine.sweep_expired_items(), 0u);
  auto kept = engine.query({.table_name = "Big", .key_condition_expression = "pk = :p",
                            .expression_attribute_values = ExpressionAttributeValues{{":p", "large"}}});
  EXPECT_EQ(kept.count, 10'000 - 3334);
}

}  // namespace
}  // namespace dynamo::engine::test
