// The LMDB store's map: a map far too small for the data is enlarged as writes fill it,
// under concurrent writers, and the data survives reopening with the same small setting.
// And a data file cut short, anywhere, is refused rather than crashing the process, while
// the structure check that finds it passes every sound file LMDB writes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <lmdb.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/store/store.hpp"
#include "store/store_internal.hpp"
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

// A store of 200 items, closed; returns its data file.
std::string write_store_to_cut(const std::string& dir) {
  {
    auto engine = open_engine(dir);
    create_table(*engine, "Cut");
    for (int i = 0; i < 200; ++i) (void)engine->put_item({.table_name = "Cut", .item = item(i)});
  }
  return dir + "/data.mdb";
}

// The message of the StoreError that opening the store in `dir` throws; a failure of the
// test (naming `what`) when it opens.
std::string refusal(const std::string& dir, const std::string& what) {
  try {
    (void)open_engine(dir);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "StoreError");
    return std::string(e.message());
  }
  ADD_FAILURE() << what << " opened";
  return {};
}

// A data file cut short (a copy or a restore that stopped part way) is refused with a
// StoreError that says so; LMDB alone would map it and die of SIGBUS on the first page past
// its end. tests/store/corruption_test.cpp damages files at random.
TEST(LmdbStore, TruncatedFileIsRefused) {
  const testing::TempDir dir("dynamo-lmdb-test");
  const std::string file = write_store_to_cut(dir.path());
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2 + 100);  // not at a page boundary
  const std::string message = refusal(dir.path(), "a truncated store");
  EXPECT_NE(message.find("LMDB store " + dir.path() + ": the data file is damaged"), std::string::npos) << message;
  EXPECT_NE(message.find("cut short"), std::string::npos) << message;
}

// The same for a file cut exactly at a page boundary: the file is a whole number of pages,
// but pages the trees use are gone. LMDB alone maps it and dies of SIGBUS on the first of
// them; the store's check of the file's structure finds them missing first.
TEST(LmdbStore, FileCutAtPageBoundaryIsRefused) {
  const testing::TempDir dir("dynamo-lmdb-test");
  const std::string file = write_store_to_cut(dir.path());
  const std::uintmax_t page = 4096;
  const std::uintmax_t cut = std::filesystem::file_size(file) / 2 / page * page;
  std::filesystem::resize_file(file, cut);
  const std::string message = refusal(dir.path(), "a store cut at a page boundary");
  EXPECT_NE(message.find("LMDB store " + dir.path() + ": the data file is damaged: data.mdb holds " +
                         std::to_string(cut) + " bytes (" + std::to_string(cut / page) + " pages of 4096 bytes)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("(the file was cut short)"), std::string::npos) << message;
}

// A meta page recording a page size of 0 is refused before LMDB opens the file: LMDB takes
// the page size without checking it and divides by it (SIGFPE). Found by store_load_fuzz.
TEST(LmdbStore, ZeroPageSizeIsRefused) {
  const testing::TempDir dir("dynamo-lmdb-test");
  const std::string file = write_store_to_cut(dir.path());
  std::fstream(file, std::ios::in | std::ios::out | std::ios::binary).seekp(40).write("\0\0\0\0", 4);  // mm_psize
  const std::string message = refusal(dir.path(), "a store whose page size is 0");
  EXPECT_NE(message.find("its meta page records a page size of 0 bytes"), std::string::npos)
      << message;
}

// A node whose recorded key size grew by two bytes overlaps its neighbour. Reading it
// stays inside the page, but LMDB's writes move nodes by the sizes they record: a store
// without its format entry rewrites every entry when it opens, and on such a page that
// overwrote other nodes until a key search read past the page (a heap overflow under
// AddressSanitizer, found by store_load_fuzz). The structure check now requires a page's
// nodes to be packed exactly, as LMDB keeps them, and refuses this file before any write.
TEST(LmdbStore, OverlappingNodesAreRefusedBeforeAnyWrite) {
  const testing::TempDir dir("dynamo-lmdb-test");
  const std::string file = write_store_to_cut(dir.path());
  std::size_t size_at = 0;  // the file offset of one item's recorded key size
  std::uint16_t key_size = 0;
  {
    MDB_env* env = nullptr;
    ASSERT_EQ(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 6);
    ASSERT_EQ(mdb_env_open(env, dir.path().c_str(), MDB_NOTLS, 0644), 0);
    MDB_txn* txn = nullptr;
    ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
    MDB_dbi items = 0;
    MDB_dbi meta = 0;
    ASSERT_EQ(mdb_dbi_open(txn, "items", 0, &items), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    MDB_val format{6, const_cast<char*>("format")};
    ASSERT_EQ(mdb_del(txn, meta, &format, nullptr), 0);  // so that opening rewrites every entry
    ASSERT_EQ(mdb_txn_commit(txn), 0);
    ASSERT_EQ(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), 0);
    ASSERT_EQ(mdb_dbi_open(txn, "items", 0, &items), 0);
    MDB_cursor* cursor = nullptr;
    ASSERT_EQ(mdb_cursor_open(txn, items, &cursor), 0);
    MDB_val key{};
    MDB_val value{};
    for (int i = 0; i < 3; ++i) ASSERT_EQ(mdb_cursor_get(cursor, &key, &value, i == 0 ? MDB_FIRST : MDB_NEXT), 0);
    // The map is page-aligned, and a page begins with its own number (mp_pgno).
    const auto at = reinterpret_cast<std::uintptr_t>(key.mv_data);
    std::uint64_t page = 0;
    std::memcpy(&page, reinterpret_cast<const void*>(at / 4096 * 4096), sizeof page);
    size_at = page * 4096 + at % 4096 - 2;  // mn_ksize, the last field of the node's header
    key_size = static_cast<std::uint16_t>(key.mv_size);
    mdb_cursor_close(cursor);
    mdb_txn_abort(txn);
    mdb_env_close(env);
  }
  const std::uint16_t grown = key_size + 2;
  std::fstream(file, std::ios::in | std::ios::out | std::ios::binary)
      .seekp(static_cast<std::streamoff>(size_at))
      .write(reinterpret_cast<const char*>(&grown), sizeof grown);
  const std::string message = refusal(dir.path(), "a store with overlapping nodes");
  EXPECT_NE(message.find("LMDB store " + dir.path() + ": the data file is damaged: page "), std::string::npos) << message;
  EXPECT_NE(message.find("of the items database has nodes that overlap or leave a gap"), std::string::npos) << message;
}

// LMDB reads the meta page in the slot that the newest transaction number's parity names.
// Raising the newest meta page's number by one keeps it the newest but points LMDB at the
// other slot: the older tree, which the structure check did not walk. Found by
// store_load_fuzz, where that older tree held a damaged page and loading crashed inside
// LMDB; on a sound file LMDB would silently load the state before the last write.
TEST(LmdbStore, NewestMetaInTheWrongSlotIsRefused) {
  const testing::TempDir dir("dynamo-lmdb-test");
  const std::string file = write_store_to_cut(dir.path());
  std::fstream data(file, std::ios::in | std::ios::out | std::ios::binary);
  std::uint64_t numbers[2] = {};
  for (int slot = 0; slot < 2; ++slot) {  // mm_txnid: 128 bytes into the meta, after a 16-byte page header
    data.seekg(slot * 4096 + 16 + 128).read(reinterpret_cast<char*>(&numbers[slot]), sizeof numbers[slot]);
  }
  const int newest = numbers[1] > numbers[0] ? 1 : 0;
  ASSERT_EQ(numbers[newest] & 1, static_cast<std::uint64_t>(newest)) << "a sound file keeps it in its slot";
  const std::uint64_t moved = numbers[newest] + 1;
  data.seekp(newest * 4096 + 16 + 128).write(reinterpret_cast<const char*>(&moved), sizeof moved);
  data.close();
  const std::string message = refusal(dir.path(), "a store whose newest meta page names the other slot");
  EXPECT_NE(message.find("the newest meta page's transaction number does not match its slot"),
            std::string::npos)
      << message;
}

// The structure check never refuses a sound file: LMDB itself (the store's five databases,
// random puts of small and overflow-sized values, deletions, whole ranges deleted) commits
// 1,000 transactions, and the file as each commit leaves it passes. Many of these files end
// before the last page the meta page records (pages allocated and freed within one
// transaction are never written), which is why the check follows the trees instead.
TEST(LmdbStore, StructureCheckPassesSoundFiles) {
  const testing::TempDir dir("dynamo-lmdb-test");
  std::filesystem::create_directories(dir.path());
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 5);
  ASSERT_EQ(mdb_env_set_mapsize(env, std::size_t{1} << 30), 0);
  ASSERT_EQ(mdb_env_open(env, dir.path().c_str(), MDB_NOTLS | MDB_NOSYNC, 0644), 0);
  std::vector<MDB_dbi> dbs(5);
  {
    MDB_txn* txn = nullptr;
    ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
    const char* names[] = {"tables", "items", "streams", "records", "tokens"};
    for (std::size_t i = 0; i < dbs.size(); ++i) ASSERT_EQ(mdb_dbi_open(txn, names[i], MDB_CREATE, &dbs[i]), 0);
    ASSERT_EQ(mdb_txn_commit(txn), 0);
  }
  mdb_filehandle_t fd{};
  ASSERT_EQ(mdb_env_get_fd(env, &fd), 0);
  std::mt19937 random(7);
  const std::string bytes(70000, 'v');
  int shorter_than_recorded = 0;
  for (int commit = 0; commit < 1000; ++commit) {
    MDB_txn* txn = nullptr;
    ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), 0);
    for (std::size_t n = 1 + random() % 30; n > 0; --n) {
      std::string key = "k" + std::to_string(random() % 3000);
      MDB_val k{key.size(), key.data()};
      const MDB_dbi db = dbs[random() % dbs.size()];
      const std::size_t what = random() % 10;
      if (what < 2) {
        const int rc = mdb_del(txn, db, &k, nullptr);
        ASSERT_TRUE(rc == 0 || rc == MDB_NOTFOUND) << rc;
      } else {
        const std::size_t size = what == 9 ? 5000 + random() % 60000 : 10 + random() % 3000;
        MDB_val v{size, const_cast<char*>(bytes.data())};
        ASSERT_EQ(mdb_put(txn, db, &k, &v, 0), 0);
      }
    }
    if (random() % 4 == 0) {  // a range deleted, as a table's deletion does
      MDB_cursor* cursor = nullptr;
      ASSERT_EQ(mdb_cursor_open(txn, dbs[1], &cursor), 0);
      MDB_val k{};
      MDB_val v{};
      for (int m = 0; m < 200 && mdb_cursor_get(cursor, &k, &v, m == 0 ? MDB_FIRST : MDB_NEXT) == 0; ++m) {
        ASSERT_EQ(mdb_cursor_del(cursor, 0), 0);
      }
      mdb_cursor_close(cursor);
    }
    ASSERT_EQ(mdb_txn_commit(txn), 0);
    MDB_envinfo info{};
    MDB_stat stat{};
    mdb_env_info(env, &info);
    mdb_env_stat(env, &stat);
    if (std::filesystem::file_size(dir.path() + "/data.mdb") < (info.me_last_pgno + 1) * stat.ms_psize) {
      ++shorter_than_recorded;
    }
    try {
      check_lmdb_file(dir.path(), fd, stat.ms_psize);
    } catch (const Error& e) {
      mdb_env_close(env);
      FAIL() << "commit " << commit << ": " << e.message();
    }
  }
  mdb_env_close(env);
  EXPECT_GT(shorter_than_recorded, 0) << "no file ended before the last page recorded: the test lost its point";
}

}  // namespace
}  // namespace dynamo::store
