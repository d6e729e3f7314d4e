// The LMDB store's map: a map far too small for the data is enlarged as writes fill it,
// under concurrent writers, and the data survives reopening with the same small setting.
// And a data file cut short is refused rather than crashing the process.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/store/store.hpp"
#include "temp_dir.hpp"

namespace dynamo::store {
namespace {

using namespace api;

constexpr std::size_t tiny_map = 64 * 1024;  // 16 pages: less than one large item

std::string fresh_dir() { return testing::fresh_dir("dynamo-lmdb-test"); }

// Durability process: the map grows alike in every mode, and the test makes 3,500 commits.
std::unique_ptr<engine::Engine> open_engine(const std::string& dir) {
  return std::make_unique<engine::Engine>(engine::EngineOptions{
      .ttl_sweep_interval = std::chrono::milliseconds(0),
      .store = open(dir, {.kind = Kind::lmdb, .durability = Durability::process, .lmdb_map_size = tiny_map})});
}

void create_table(engine::Engine& engine, const std::string& name) {
  (void)engine.create_table({.table_name = name,
                             .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                             .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                             .billing_mode = BillingMode::pay_per_request});
}

Item item(int i) { return {{"pk", "a"}, {"sk", i}, {"blob", std::string(static_cast<std::size_t>(500 + i % 3000), 'x')}}; }

// Four threads write about 0.75 MB each to their own table, plus one 350 KB item each,
// through a 64 KiB map: the map is doubled whenever a write finds it full (one thread
// resizing while the others wait), every write succeeds, and everything is there after
// reopening.
TEST(LmdbStore, MapGrowsWhenFull) {
  const std::string dir = fresh_dir();
  constexpr int threads = 4;
  constexpr int per_thread = 800;
  {
    auto engine = open_engine(dir);
    for (int t = 0; t < threads; ++t) create_table(*engine, "Table" + std::to_string(t));
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t) {
      writers.emplace_back([&engine, t] {
        const std::string table = "Table" + std::to_string(t);
        for (int i = 0; i < per_thread; ++i) (void)engine->put_item({.table_name = table, .item = item(i)});
        (void)engine->put_item(
            {.table_name = table, .item = {{"pk", "big"}, {"sk", 0}, {"blob", std::string(350 * 1024, 'y')}}});
      });
    }
    for (auto& writer : writers) writer.join();
  }
  EXPECT_GT(std::filesystem::file_size(std::filesystem::path(dir) / "data.mdb"), 16 * tiny_map);
  {
    auto engine = open_engine(dir);
    for (int t = 0; t < threads; ++t) {
      const std::string table = "Table" + std::to_string(t);
      EXPECT_EQ(engine->describe_table({.table_name = table}).table->item_count, per_thread + 1);
      for (int i = 0; i < per_thread; i += 97) {
        const auto got = engine->get_item({.table_name = table, .key = {{"pk", "a"}, {"sk", i}}});
        ASSERT_TRUE(got.item) << table << " " << i;
        EXPECT_EQ(*got.item, item(i));
      }
      EXPECT_TRUE(engine->get_item({.table_name = table, .key = {{"pk", "big"}, {"sk", 0}}}).item);
    }
    // Reopened with the small setting, the store is used at the size it reached, and grows on.
    for (int i = per_thread; i < per_thread + 300; ++i) (void)engine->put_item({.table_name = "Table0", .item = item(i)});
  }
  auto engine = open_engine(dir);
  EXPECT_EQ(engine->describe_table({.table_name = "Table0"}).table->item_count, per_thread + 301);
  std::filesystem::remove_all(dir);
}

// One write larger than twice the map (a 25-item batch of 350 KB items, 8.75 MB, through a
// 64 KiB map) grows it as often as needed, and is stored whole.
TEST(LmdbStore, OneWriteLargerThanTwiceTheMap) {
  const std::string dir = fresh_dir();
  {
    auto engine = open_engine(dir);
    create_table(*engine, "Big");
    std::vector<WriteRequest> writes;
    for (int k = 0; k < 25; ++k) {
      writes.push_back({.put_request = PutRequest{.item = {{"pk", "b"}, {"sk", k}, {"blob", std::string(350 * 1024, 'z')}}}});
    }
    const auto result = engine->batch_write_item({.request_items = {{"Big", std::move(writes)}}});
    EXPECT_TRUE(!result.unprocessed_items || result.unprocessed_items->empty());
  }
  auto engine = open_engine(dir);
  EXPECT_EQ(engine->describe_table({.table_name = "Big"}).table->item_count, 25);
  std::filesystem::remove_all(dir);
}

// A data file cut short (a copy or a restore that stopped part way) is refused with a
// StoreError that says so; LMDB alone would map it and die of SIGBUS on the first page past
// its end. tests/store/corruption_test.cpp damages files at random.
TEST(LmdbStore, TruncatedFileIsRefused) {
  const testing::TempDir dir("dynamo-lmdb-test");
  {
    auto engine = open_engine(dir.path());
    create_table(*engine, "Cut");
    for (int i = 0; i < 200; ++i) (void)engine->put_item({.table_name = "Cut", .item = item(i)});
  }
  const std::string file = dir.path() + "/data.mdb";
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2 + 100);  // not at a page boundary
  try {
    (void)open_engine(dir.path());
    FAIL() << "a truncated store opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "StoreError");
    const std::string message(e.message());
    EXPECT_NE(message.find("LMDB store " + dir.path() + ": the data file is damaged"), std::string::npos) << message;
    EXPECT_NE(message.find("cut short"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace dynamo::store
