// The stored format: every entry carries a checksum that loading checks, a store of the
// earlier format (no checksums) is upgraded when opened, a later format is refused, and a
// directory's STORE file lets a store notice a lost data file or a store of the other kind.
// States dynamo does not write itself are made with LMDB's and SQLite's own libraries.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/store/store.hpp"
#include "store/store_internal.hpp"
#include "stored_entries.hpp"
#include "temp_dir.hpp"

namespace dynamo::store {
namespace {

using namespace api;
using testing::RawLmdb;
using testing::RawSqlite;
using testing::TempDir;

class StoreFormat : public ::testing::TestWithParam<Kind> {
 protected:
  std::unique_ptr<engine::Engine> open_engine(Kind kind) {
    return std::make_unique<engine::Engine>(
        engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir.path(), {.kind = kind})});
  }
  std::unique_ptr<engine::Engine> open_engine() { return open_engine(GetParam()); }

  // A table "Notes" with 20 items (n = 1000 + i) and a stream, and one idempotency token.
  void write_data() {
    auto engine = open_engine();
    (void)engine->create_table({.table_name = "Notes",
                                .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                                .key_schema = {{"pk", KeyType::hash}},
                                .billing_mode = BillingMode::pay_per_request,
                                .stream_specification = StreamSpecification{.stream_enabled = true,
                                                                            .stream_view_type = StreamViewType::new_image}});
    for (int i = 0; i < 20; ++i) {
      (void)engine->put_item({.table_name = "Notes", .item = {{"pk", "note-" + std::to_string(i)}, {"n", 1000 + i}}});
    }
    (void)engine->transact_write_items(add_once());
  }
  // Adds 1 to the item "tokened", under the idempotency token "once".
  static TransactWriteItemsRequest add_once() {
    return {.transact_items = {{.update = TransactUpdate{.key = {{"pk", "tokened"}},
                                                         .update_expression = "ADD n :one",
                                                         .table_name = "Notes",
                                                         .expression_attribute_values =
                                                             ExpressionAttributeValues{{":one", 1}}}}},
            .client_request_token = "once"};
  }
  // Every item of "Notes" is there, as written.
  static void expect_data(engine::Engine& engine) {
    EXPECT_EQ(engine.scan({.table_name = "Notes"}).count, 21);
    for (int i = 0; i < 20; ++i) {
      const auto item = engine.get_item({.table_name = "Notes", .key = {{"pk", "note-" + std::to_string(i)}}}).item;
      ASSERT_TRUE(item);
      EXPECT_EQ(item->at("n"), AttributeValue(1000 + i));
    }
  }
  // Opening the store fails with a StoreError naming the directory and saying `what`.
  void expect_refused(Kind kind, const std::string& what) {
    try {
      (void)open_engine(kind);
      ADD_FAILURE() << "the store opened; expected a refusal saying: " << what;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "StoreError");
      const std::string message(e.message());
      EXPECT_NE(message.find(dir.path()), std::string::npos) << message;
      EXPECT_NE(message.find(what), std::string::npos) << message;
    }
  }
  void expect_refused(const std::string& what) { expect_refused(GetParam(), what); }
  [[nodiscard]] std::string data_file() const { return dir.path() + "/" + std::string(data_file_name(GetParam())); }

  TempDir dir;
};

// A damage that leaves valid JSON behind (one digit of a stored number changed: the item
// would load holding another number) is refused by the entry's checksum. Every copy of the
// number in the file is changed: LMDB's free pages may hold older copies of the page.
TEST_P(StoreFormat, ValueDamageTheJsonHidesIsRefused) {
  write_data();
  std::string bytes(static_cast<std::size_t>(std::filesystem::file_size(data_file())), '\0');
  std::ifstream(data_file(), std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  int changed = 0;
  for (std::size_t at = bytes.find("\"1007\""); at != std::string::npos; at = bytes.find("\"1007\"", at + 1)) {
    bytes[at + 4] = '9';  // "1009": another number, and still valid JSON
    ++changed;
  }
  ASSERT_GT(changed, 0) << "the item's number is not in the data file";
  std::ofstream(data_file(), std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  expect_refused("does not match its checksum");
}

// An entry no table owns (its key damaged: here an item filed under a table that does not
// exist, with a sound checksum) is refused instead of being dropped without a word.
TEST_P(StoreFormat, EntryNoTableOwnsIsRefused) {
  write_data();
  if (GetParam() == Kind::lmdb) {
    RawLmdb lmdb(dir.path());
    const MDB_dbi items = lmdb.database("items");
    const std::string key = std::string("Notez") + '\0' + std::string(32, 'k');
    lmdb.put(items, key, testing::lmdb_value(key, R"({"pk":{"S":"stray"}})"));
  } else {
    RawSqlite sqlite(dir.path());
    sqlite.exec(R"(INSERT INTO items(tbl, key, item, checksum) VALUES ('Notez', 'k', '{"pk":{"S":"stray"}}',
                   dynamo_checksum('Notez', 'k', '{"pk":{"S":"stray"}}')))");
  }
  expect_refused(GetParam() == Kind::lmdb ? "the items database holds 22 entries, but 21 belong to its tables"
                                          : "its items table holds 22 rows, but 21 belong to its tables");
}

// A store of the first format (entries without checksums, no recorded format) opens with
// all its data, is rewritten in the current format at once, and opens again. The first
// format is made from a current store by taking the checksums and the format away.
TEST_P(StoreFormat, StoreOfTheFirstFormatIsUpgraded) {
  write_data();
  if (GetParam() == Kind::lmdb) {
    RawLmdb lmdb(dir.path());
    for (const char* name : {"tables", "items", "streams", "records", "tokens"}) {
      const MDB_dbi dbi = lmdb.database(name);
      for (auto& [key, value] : lmdb.entries(dbi)) lmdb.put(dbi, key, testing::lmdb_payload(value));
    }
    lmdb.erase(lmdb.database("meta"), "format");
  } else {
    RawSqlite sqlite(dir.path());
    for (const char* table : {"tables", "items", "streams", "records", "tokens"}) {
      sqlite.exec(std::string("ALTER TABLE ") + table + " DROP COLUMN checksum");
    }
    sqlite.exec("PRAGMA user_version = 0");
  }
  {
    auto engine = open_engine();
    expect_data(*engine);
    // The token came through too: the same transaction again is not applied twice.
    (void)engine->transact_write_items(add_once());
    EXPECT_EQ(engine->get_item({.table_name = "Notes", .key = {{"pk", "tokened"}}}).item->at("n"), AttributeValue(1));
  }
  if (GetParam() == Kind::lmdb) {
    RawLmdb lmdb(dir.path());
    const auto meta = lmdb.entries(lmdb.database("meta"));
    EXPECT_EQ(meta, (std::vector<std::pair<std::string, std::string>>{{"format", "2"}}));
    for (const auto& [key, value] : lmdb.entries(lmdb.database("items"))) {
      EXPECT_EQ(value, testing::lmdb_value(key, testing::lmdb_payload(value)));
    }
  } else {
    RawSqlite sqlite(dir.path());
    EXPECT_EQ(sqlite.number("PRAGMA user_version"), 2);
    EXPECT_EQ(sqlite.number("SELECT COUNT(*) FROM items WHERE checksum = dynamo_checksum(tbl, key, item)"), 21);
  }
  auto engine = open_engine();
  expect_data(*engine);
}

// A store written in a later format, by a newer dynamo, is refused rather than misread.
TEST_P(StoreFormat, LaterFormatIsRefused) {
  write_data();
  if (GetParam() == Kind::lmdb) {
    RawLmdb lmdb(dir.path());
    lmdb.put(lmdb.database("meta"), "format", "3");
  } else {
    RawSqlite(dir.path()).exec("PRAGMA user_version = 3");
  }
  expect_refused("written in store format 3 by a later version of dynamo; this one reads formats up to 2");
}

// A data file cut to nothing, or deleted, is refused: both libraries would take it for a new
// store and open it empty.
TEST_P(StoreFormat, LostDataFileIsRefused) {
  write_data();
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/STORE"));
  std::filesystem::resize_file(data_file(), 0);
  expect_refused("its data file " + std::string(data_file_name(GetParam())) + " is missing or empty");
  std::filesystem::remove(data_file());
  expect_refused("is missing or empty");
}

// Opening a directory as the other kind of store is refused (it used to start an empty
// store beside the other's file), also for a directory written before STORE files.
TEST_P(StoreFormat, OtherKindIsRefused) {
  write_data();
  const Kind other = GetParam() == Kind::lmdb ? Kind::sqlite : Kind::lmdb;
  const std::string held = GetParam() == Kind::lmdb ? "holds an LMDB store" : "holds a SQLite store";
  expect_refused(other, held);
  std::filesystem::remove(dir.path() + "/STORE");
  expect_refused(other, held);
  // The directory's own kind opens it, and writes its STORE file again.
  expect_data(*open_engine());
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/STORE"));
}

// LMDB's lock file (lock.mdb) holds the reader table of the processes that have the store
// open, nothing of the data. One process opens a store at a time (its LOCK file), and LMDB
// rebuilds lock.mdb when it opens the environment alone, so a damaged lock file loses
// nothing: overwritten with garbage, cut to nothing, or deleted, the store opens whole.
TEST(LmdbLockFile, DamagedLockFileLosesNothing) {
  const TempDir dir;
  const auto open_engine = [&] {
    return std::make_unique<engine::Engine>(
        engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir.path())});
  };
  {
    auto engine = open_engine();
    (void)engine->create_table({.table_name = "Kept",
                                .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                                .key_schema = {{"pk", KeyType::hash}},
                                .billing_mode = BillingMode::pay_per_request});
    (void)engine->put_item({.table_name = "Kept", .item = {{"pk", "a"}, {"v", 1}}});
  }
  const std::string lock_file = dir.path() + "/lock.mdb";
  ASSERT_TRUE(std::filesystem::exists(lock_file));
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(lock_file));
  const std::vector<std::function<void()>> damages = {
      [&] { std::ofstream(lock_file, std::ios::binary | std::ios::trunc) << std::string(size, '\xa5'); },
      [&] { std::filesystem::resize_file(lock_file, 0); },
      [&] { std::ofstream(lock_file, std::ios::binary | std::ios::trunc) << std::string(100, '\0'); },
      [&] { std::filesystem::remove(lock_file); },
  };
  for (std::size_t damage = 0; damage < damages.size(); ++damage) {
    damages[damage]();
    auto engine = open_engine();
    EXPECT_EQ(engine->get_item({.table_name = "Kept", .key = {{"pk", "a"}}}).item->at("v"), AttributeValue(1))
        << "damage " << damage;
    (void)engine->put_item({.table_name = "Kept", .item = {{"pk", "b" + std::to_string(damage)}}});
    EXPECT_EQ(engine->scan({.table_name = "Kept"}).count, static_cast<int>(damage) + 2) << "damage " << damage;
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, StoreFormat, ::testing::Values(Kind::lmdb, Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>& row) {
                           return std::string(row.param == Kind::lmdb ? "lmdb" : "sqlite");
                         });

}  // namespace
}  // namespace dynamo::store
