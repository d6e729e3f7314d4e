// Deleting a table from a store: its items go a chunk per transaction, and a deletion cut
// short by a crash is finished when the store is next opened. The crash is reproduced by
// writing, with LMDB's and SQLite's own libraries, the state a deletion leaves after its
// first transaction: the table marked as being deleted, every item still there.
#include <gtest/gtest.h>
#include <lmdb.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/log.hpp"
#include "dynamo/store/store.hpp"
#include "file_size_limit.hpp"
#include "store/store_internal.hpp"
#include "stored_entries.hpp"
#include "temp_dir.hpp"

namespace dynamo::store {
namespace {

using namespace api;
using testing::TempDir;

// More than two chunks, so that the deletion runs over several transactions.
constexpr int doomed_items = 2 * table_delete_chunk + 500;
// What a full disk leaves for the mark's transaction (a few pages).
constexpr std::uintmax_t mark_room = 16 * 1024;

class TableDeletion : public ::testing::TestWithParam<Kind> {
 protected:
  std::unique_ptr<engine::Engine> open_engine() {
    return std::make_unique<engine::Engine>(engine::EngineOptions{
        .ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir.path(), {.kind = GetParam()})});
  }
  static void create_table(engine::Engine& engine, const std::string& name, int items) {
    (void)engine.create_table({.table_name = name,
                               .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                               .key_schema = {{"pk", KeyType::hash}},
                               .billing_mode = BillingMode::pay_per_request});
    for (int i = 0; i < items; ++i) {
      (void)engine.put_item({.table_name = name, .item = {{"pk", "k" + std::to_string(i)}, {"v", i}}});
    }
  }
  static std::int64_t item_count(engine::Engine& engine, const std::string& name) {
    return engine.describe_table({.table_name = name}).table->item_count.value_or(-1);
  }
  // Two tables: "Doomed", large, and "Kept", small.
  void write_two_tables() {
    auto engine = open_engine();
    create_table(*engine, "Doomed", doomed_items);
    create_table(*engine, "Kept", 10);
  }
  // What a store holds after the first transaction of deleting "Doomed": the mark, and every
  // item (written with the libraries directly, the store closed).
  void mark_doomed_as_being_deleted() {
    if (GetParam() == Kind::lmdb) {
      testing::RawLmdb lmdb(dir.path());
      lmdb.put(lmdb.database("tables"), "Doomed", testing::lmdb_value("Doomed", lmdb_deleting_marker));
    } else {
      const std::string marker(sqlite_deleting_marker);
      testing::RawSqlite sqlite(dir.path());
      sqlite.exec("UPDATE tables SET description = '" + marker + "', checksum = dynamo_checksum(name, ttl, '" + marker +
                  "') WHERE CAST(name AS TEXT) = 'Doomed'");
      EXPECT_EQ(sqlite.number("SELECT changes()"), 1);
    }
  }
  TempDir dir;
};

// A deleted table of several chunks is gone after reopening, and a new table of the same name
// starts empty: none of the old items comes back.
TEST_P(TableDeletion, DeletedTableStaysDeletedAndItsNameStartsEmpty) {
  write_two_tables();
  {
    auto engine = open_engine();
    (void)engine->delete_table({.table_name = "Doomed"});
  }
  {
    auto engine = open_engine();
    EXPECT_EQ(engine->list_tables({}).table_names, (std::vector<std::string>{"Kept"}));
    EXPECT_EQ(item_count(*engine, "Kept"), 10);
    create_table(*engine, "Doomed", 0);
  }
  auto engine = open_engine();
  EXPECT_EQ(item_count(*engine, "Doomed"), 0);
  EXPECT_FALSE(engine->get_item({.table_name = "Doomed", .key = {{"pk", "k1"}}}).item);
}

// A deletion interrupted after its first transaction is finished at the next open: the table
// is not loaded, its items are gone for good, the other table is untouched.
TEST_P(TableDeletion, InterruptedDeletionIsFinishedAtOpen) {
  write_two_tables();
  mark_doomed_as_being_deleted();
  {
    auto engine = open_engine();
    EXPECT_EQ(engine->list_tables({}).table_names, (std::vector<std::string>{"Kept"}));
    EXPECT_EQ(item_count(*engine, "Kept"), 10);
    create_table(*engine, "Doomed", 1);
  }
  auto engine = open_engine();
  EXPECT_EQ(item_count(*engine, "Doomed"), 1);
  EXPECT_EQ(item_count(*engine, "Kept"), 10);
}

// A failure after the mark (a full disk while the items go) does not undo the deletion: the
// DeleteTable succeeds, the failure is logged at ERROR, and the items left behind are removed
// before a table of the same name is stored, so that it starts empty.
// (SQLite only: its log grows with every transaction, so a cap just above its size lets the
// mark through and stops the first chunk; LMDB reuses freed pages inside its file, so no cap
// separates the two there. Both stores share the code that keeps and finishes the deletion.)
class TableDeletionOnAFullDisk : public TableDeletion {};

TEST_P(TableDeletionOnAFullDisk, FailureAfterTheMarkIsFinishedBeforeTheNameIsReused) {
  write_two_tables();
  std::vector<std::string> errors;
  set_log_sink([&](const LogRecord& record) {
    if (record.level == LogLevel::error) errors.emplace_back(record.message);
  });
  set_log_level(LogLevel::error);
  {
    auto engine = open_engine();
    {
      // Room for the mark, not for the pages that deleting thousands of items rewrites.
      testing::FileSizeLimit full_disk(testing::largest_file_size(dir.path()) + mark_room);
      (void)engine->delete_table({.table_name = "Doomed"});
    }
    EXPECT_EQ(engine->list_tables({}).table_names, (std::vector<std::string>{"Kept"}));
    create_table(*engine, "Doomed", 1);
    EXPECT_EQ(item_count(*engine, "Doomed"), 1);
  }
  set_log_level(LogLevel::off);
  set_log_sink({});
  ASSERT_EQ(errors.size(), 1U) << "the full disk was expected to stop the deletion part-way";
  EXPECT_NE(errors[0].find("table Doomed is deleted, but removing its items failed part-way"), std::string::npos)
      << errors[0];
  auto engine = open_engine();
  EXPECT_EQ(item_count(*engine, "Doomed"), 1);
  EXPECT_EQ(item_count(*engine, "Kept"), 10);
}

INSTANTIATE_TEST_SUITE_P(Kinds, TableDeletion, ::testing::Values(Kind::lmdb, Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>& row) {
                           return std::string(row.param == Kind::lmdb ? "lmdb" : "sqlite");
                         });

INSTANTIATE_TEST_SUITE_P(Kinds, TableDeletionOnAFullDisk, ::testing::Values(Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>&) { return std::string("sqlite"); });

}  // namespace
}  // namespace dynamo::store
