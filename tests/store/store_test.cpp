// The persistent stores behind the engine: what one engine writes, the next one opened on
// the same directory reads back; run for both LMDB and SQLite.
#include "dynamo/store/store.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "dynamo/engine/engine.hpp"
#include "file_size_limit.hpp"
#include "stored_entries.hpp"
#include "temp_dir.hpp"

namespace dynamo::store {
namespace {

using namespace api;

using testing::TempDir;

class Store : public ::testing::TestWithParam<Kind> {
 protected:
  std::unique_ptr<engine::Engine> open_engine() {
    return std::make_unique<engine::Engine>(
        engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir.path(), {.kind = GetParam()})});
  }
  static void create_table(engine::Engine& engine, const std::string& name) {
    (void)engine.create_table({.table_name = name,
                               .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                               .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                               .billing_mode = BillingMode::pay_per_request});
  }
  TempDir dir;
};

// Tables, items, updates and deletes made by one engine are what the next one sees.
TEST_P(Store, StateSurvivesReopening) {
  {
    auto engine = open_engine();
    create_table(*engine, "Thread");
    create_table(*engine, "Other");
    for (int i = 0; i < 50; ++i) (void)engine->put_item({.table_name = "Thread", .item = {{"pk", "a"}, {"sk", i}, {"v", i}}});
    (void)engine->update_item({.table_name = "Thread",
                               .key = {{"pk", "a"}, {"sk", 1}},
                               .update_expression = "SET v = :v",
                               .expression_attribute_values = ExpressionAttributeValues{{":v", "changed"}}});
    (void)engine->delete_item({.table_name = "Thread", .key = {{"pk", "a"}, {"sk", 2}}});
    (void)engine->put_item({.table_name = "Other", .item = {{"pk", "x"}, {"sk", 0}}});
    (void)engine->delete_table({.table_name = "Other"});
    (void)engine->update_time_to_live(
        {.table_name = "Thread", .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  }
  auto engine = open_engine();
  const auto tables = engine->list_tables({});
  EXPECT_EQ(tables.table_names, (std::vector<std::string>{"Thread"}));
  const auto all = engine->query({.table_name = "Thread",
                                  .key_condition_expression = "pk = :a",
                                  .expression_attribute_values = ExpressionAttributeValues{{":a", "a"}}});
  EXPECT_EQ(all.count, 49);
  EXPECT_EQ(engine->get_item({.table_name = "Thread", .key = {{"pk", "a"}, {"sk", 1}}}).item->at("v"),
            AttributeValue("changed"));
  EXPECT_FALSE(engine->get_item({.table_name = "Thread", .key = {{"pk", "a"}, {"sk", 2}}}).item);
  EXPECT_EQ(engine->describe_time_to_live({.table_name = "Thread"}).time_to_live_description->attribute_name, "expires");
  EXPECT_EQ(engine->describe_table({.table_name = "Thread"}).table->item_count, 49);
}

// A batch and a transaction are stored whole.
TEST_P(Store, BatchesAndTransactionsPersist) {
  {
    auto engine = open_engine();
    create_table(*engine, "Tab");
    std::vector<WriteRequest> writes;
    for (int i = 0; i < 25; ++i) writes.push_back({.put_request = PutRequest{.item = {{"pk", "b"}, {"sk", i}}}});
    (void)engine->batch_write_item({.request_items = {{"Tab", writes}}});
    (void)engine->transact_write_items({.transact_items = {
                                            {.put = TransactPut{.item = {{"pk", "t"}, {"sk", 1}}, .table_name = "Tab"}},
                                            {.delete_ = TransactDelete{.key = {{"pk", "b"}, {"sk", 0}}, .table_name = "Tab"}},
                                        }});
  }
  auto engine = open_engine();
  EXPECT_EQ(engine->scan({.table_name = "Tab"}).count, 25);
  EXPECT_TRUE(engine->get_item({.table_name = "Tab", .key = {{"pk", "t"}, {"sk", 1}}}).item);
}

// Keys at DynamoDB's size limits (2048-byte partition, 1024-byte sort key) are stored.
TEST_P(Store, LargestKeys) {
  const std::string pk(2048, 'p');
  {
    auto engine = open_engine();
    (void)engine->create_table({.table_name = "Big",
                                .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::b}},
                                .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                                .billing_mode = BillingMode::pay_per_request});
    (void)engine->put_item({.table_name = "Big", .item = {{"pk", pk}, {"sk", Binary(std::string(1024, 's'))}}});
  }
  auto engine = open_engine();
  EXPECT_TRUE(engine->get_item({.table_name = "Big", .key = {{"pk", pk}, {"sk", Binary(std::string(1024, 's'))}}}).item);
}

// A directory in use by one engine cannot be opened by a second.
TEST_P(Store, OneProcessAtATime) {
  auto first = open(dir.path(), {.kind = GetParam()});
  try {
    auto second = open(dir.path(), {.kind = GetParam()});
    ADD_FAILURE() << "opened twice";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "StoreError");
    EXPECT_NE(std::string(e.what()).find("in use by another process"), std::string::npos);
  }
}

// An unusable path is a clear error naming it.
TEST_P(Store, UnusablePath) {
  try {
    (void)open("/proc/dynamo-cannot-create-this", {.kind = GetParam()});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "StoreError");
    EXPECT_NE(std::string(e.what()).find("/proc/dynamo-cannot-create-this"), std::string::npos);
  }
}

// Open file descriptors of this process.
std::size_t open_descriptors() {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                                std::filesystem::directory_iterator()));
}

// A data file whose first bytes are overwritten is refused with a StoreError, and every
// refused open releases what it opened: no file descriptor is left behind, however often it
// is tried (SQLite opens such a file and fails at its first statement; the connection used
// to stay open), and the directory opens again once its file is sound.
TEST_P(Store, RefusedOpenOfDamagedFileReleasesIt) {
  {
    auto engine = open_engine();
    create_table(*engine, "Damaged");
    (void)engine->put_item({.table_name = "Damaged", .item = {{"pk", "a"}, {"sk", 1}}});
  }
  const std::string file = dir.path() + (GetParam() == Kind::lmdb ? "/data.mdb" : "/dynamo.sqlite3");
  std::string saved(static_cast<std::size_t>(std::filesystem::file_size(file)), '\0');
  std::ifstream(file, std::ios::binary).read(saved.data(), static_cast<std::streamsize>(saved.size()));
  std::fstream(file, std::ios::in | std::ios::out | std::ios::binary).write(std::string(100, 'x').data(), 100);
  const std::size_t before = open_descriptors();
  for (int attempt = 0; attempt < 20; ++attempt) {
    try {
      (void)open_engine();
      FAIL() << "a damaged store opened";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "StoreError");
      EXPECT_NE(std::string(e.what()).find(dir.path()), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(open_descriptors(), before);
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(saved.data(), static_cast<std::streamsize>(saved.size()));
  EXPECT_TRUE(open_engine()->get_item({.table_name = "Damaged", .key = {{"pk", "a"}, {"sk", 1}}}).item);
}

// A stored table description whose key schema CreateTable would refuse (here two HASH
// elements: the damage turned RANGE into HASH) is refused with a StoreError naming the
// table. It used to load as a table keyed by its last HASH element alone, which described
// itself as keyed by both: items that share that attribute overwrote each other, and GetItem
// by the described key failed. Found by store_load_fuzz. The description is rewritten with
// SQLite's own library, its checksum with it (a damage the checksum cannot see).
TEST(StoredDescription, MalformedKeySchemaIsRefused) {
  const TempDir dir;
  {
    engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir.path(), {.kind = Kind::sqlite})});
    (void)engine.create_table({.table_name = "Sorted",
                               .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                               .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                               .billing_mode = BillingMode::pay_per_request});
    (void)engine.put_item({.table_name = "Sorted", .item = {{"pk", "a"}, {"sk", 1}}});
    (void)engine.put_item({.table_name = "Sorted", .item = {{"pk", "b"}, {"sk", 1}}});
  }
  {
    testing::RawSqlite sqlite(dir.path());
    sqlite.exec("UPDATE tables SET description = replace(description, '\"RANGE\"', '\"HASH\"'), "
                "checksum = dynamo_checksum(name, ttl, replace(description, '\"RANGE\"', '\"HASH\"'))");
    EXPECT_EQ(sqlite.number("SELECT changes()"), 1);
  }
  try {
    engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir.path(), {.kind = Kind::sqlite})});
    ADD_FAILURE() << "the table loaded, keyed by " << engine.describe_table({.table_name = "Sorted"}).table->key_schema->size()
                  << " attributes and holding " << engine.describe_table({.table_name = "Sorted"}).table->item_count.value_or(-1)
                  << " items";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "StoreError");
    const std::string message(e.message());
    EXPECT_NE(message.find(dir.path()), std::string::npos) << message;
    EXPECT_NE(message.find("malformed description of table Sorted"), std::string::npos) << message;
  }
}

// Every record read from one engine's stream, oldest first.
std::vector<StreamRecord> stream_records(engine::Engine& engine, const std::string& arn) {
  std::vector<StreamRecord> out;
  const auto shards = *engine.describe_stream({.stream_arn = arn}).stream_description->shards;
  for (const Shard& shard : shards) {
    auto page = engine.get_records({.shard_iterator = *engine
                                                           .get_shard_iterator({.stream_arn = arn,
                                                                                .shard_id = *shard.shard_id,
                                                                                .shard_iterator_type =
                                                                                    ShardIteratorType::trim_horizon})
                                                           .shard_iterator});
    out.insert(out.end(), page.records->begin(), page.records->end());
  }
  return out;
}

// A stream, its shards and its records survive reopening; sequence numbers go on increasing;
// a disabled stream stays closed and a deleted table's stream stays readable.
TEST_P(Store, StreamsSurviveReopening) {
  std::string arn;
  std::string disabled_arn;
  std::vector<StreamRecord> before;
  {
    auto engine = open_engine();
    auto request = CreateTableRequest{.table_name = "Thread",
                                      .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                                      .key_schema = {{"pk", KeyType::hash}},
                                      .billing_mode = BillingMode::pay_per_request,
                                      .stream_specification = StreamSpecification{
                                          .stream_enabled = true, .stream_view_type = StreamViewType::new_and_old_images}};
    arn = *engine->create_table(request).table_description->latest_stream_arn;
    request.table_name = "Gone";
    disabled_arn = *engine->create_table(request).table_description->latest_stream_arn;
    (void)engine->put_item({.table_name = "Thread", .item = {{"pk", "a"}, {"v", 1}}});
    (void)engine->put_item({.table_name = "Thread", .item = {{"pk", "a"}, {"v", 2}}});
    (void)engine->put_item({.table_name = "Gone", .item = {{"pk", "g"}}});
    (void)engine->delete_table({.table_name = "Gone"});
    before = stream_records(*engine, arn);
    ASSERT_EQ(before.size(), 2u);
  }
  auto engine = open_engine();
  EXPECT_EQ(engine->describe_table({.table_name = "Thread"}).table->latest_stream_arn, arn);
  EXPECT_EQ(stream_records(*engine, arn), before);
  (void)engine->delete_item({.table_name = "Thread", .key = {{"pk", "a"}}});
  const auto after = stream_records(*engine, arn);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[2].event_name, OperationType::remove);
  EXPECT_GT(*after[2].dynamodb->sequence_number, *before[1].dynamodb->sequence_number);
  EXPECT_EQ(engine->describe_stream({.stream_arn = disabled_arn}).stream_description->stream_status,
            StreamStatus::disabled);
  EXPECT_EQ(stream_records(*engine, disabled_arn).size(), 1u);
}

// Trimming reaches the store: records older than a day are gone after reopening, newer ones
// stay, and the sequence numbers handed out afterwards still go up.
TEST_P(Store, TrimmedRecordsStayTrimmed) {
  std::int64_t seconds = 1'764'566'400;
  auto options = [&] {
    return engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0),
                                 .clock = [&] { return std::chrono::system_clock::time_point(std::chrono::seconds(seconds)); },
                                 .store = open(dir.path(), {.kind = GetParam()})};
  };
  std::string arn;
  std::string newest;
  {
    engine::Engine engine(options());
    arn = *engine
               .create_table({.table_name = "Log",
                              .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                              .key_schema = {{"pk", KeyType::hash}},
                              .billing_mode = BillingMode::pay_per_request,
                              .stream_specification = StreamSpecification{
                                  .stream_enabled = true, .stream_view_type = StreamViewType::keys_only}})
               .table_description->latest_stream_arn;
    (void)engine.put_item({.table_name = "Log", .item = {{"pk", "old-1"}}});
    (void)engine.put_item({.table_name = "Log", .item = {{"pk", "old-2"}}});
    seconds += 20 * 3600;
    (void)engine.put_item({.table_name = "Log", .item = {{"pk", "new"}}});
    seconds += 5 * 3600;
    EXPECT_EQ(engine.trim_streams(), 2u);
    const auto kept = stream_records(engine, arn);
    ASSERT_EQ(kept.size(), 1u);
    newest = *kept[0].dynamodb->sequence_number;
  }
  engine::Engine engine(options());
  const auto kept = stream_records(engine, arn);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].dynamodb->keys, (Item{{"pk", "new"}}));
  (void)engine.put_item({.table_name = "Log", .item = {{"pk", "later"}}});
  const auto after = stream_records(engine, arn);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_GT(*after[1].dynamodb->sequence_number, newest);
}

// Every durability mode stores what it acknowledged, and a reopened store (in any mode)
// reads what another mode wrote: the modes differ in when data is flushed, not in format.
TEST_P(Store, EveryDurabilityModePersists) {
  int next = 0;
  for (const Durability durability : {Durability::process, Durability::consistent, Durability::power}) {
    engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0),
                           .store = open(dir.path(), {.kind = GetParam(), .durability = durability})});
    if (next == 0) create_table(engine, "Log");
    EXPECT_EQ(engine.describe_table({.table_name = "Log"}).table->item_count, next) << to_string(durability);
    for (int i = 0; i < 10; ++i, ++next) {
      (void)engine.put_item({.table_name = "Log", .item = {{"pk", "a"}, {"sk", next}}});
    }
  }
  auto engine = open_engine();
  EXPECT_EQ(engine->describe_table({.table_name = "Log"}).table->item_count, 30);
}

// A write the disk refuses (a full disk, simulated with RLIMIT_FSIZE: no file of this
// process may grow) fails with StoreError (HTTP status 500) and leaves nothing of itself
// behind, in memory or on disk; once space is back, writes succeed again on the same open
// store; and after reopening, every acknowledged write is there and no refused one is.
TEST_P(Store, FullDiskRefusesWritesWithoutLosingAcknowledgedOnes) {
  const auto item = [](int i) { return Item{{"pk", "a"}, {"sk", i}, {"blob", std::string(200 * 1024, 'x')}}; };
  const auto key = [](int i) { return Item{{"pk", "a"}, {"sk", i}}; };
  std::vector<int> acknowledged;
  std::vector<int> refused;
  {
    auto engine = open_engine();
    create_table(*engine, "Log");
    int i = 0;
    for (; i < 5; ++i) {
      (void)engine->put_item({.table_name = "Log", .item = item(i)});
      acknowledged.push_back(i);
    }
    {
      testing::FileSizeLimit disk_full(testing::largest_file_size(dir.path()));
      for (; i < 60 && refused.size() < 3; ++i) {
        try {
          (void)engine->put_item({.table_name = "Log", .item = item(i)});
          acknowledged.push_back(i);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), "StoreError") << e.what();
          EXPECT_EQ(e.http_status(), 500);
          EXPECT_FALSE(engine->get_item({.table_name = "Log", .key = key(i)}).item) << "refused write " << i << " is visible";
          refused.push_back(i);
        }
      }
      ASSERT_FALSE(refused.empty()) << "the file size limit refused no write";
      disk_full.lift();  // space freed
      (void)engine->put_item({.table_name = "Log", .item = item(i)});
      acknowledged.push_back(i);
    }
    EXPECT_EQ(engine->describe_table({.table_name = "Log"}).table->item_count,
              static_cast<std::int64_t>(acknowledged.size()));
  }
  auto engine = open_engine();
  EXPECT_EQ(engine->describe_table({.table_name = "Log"}).table->item_count,
            static_cast<std::int64_t>(acknowledged.size()));
  for (const int i : acknowledged) {
    const auto got = engine->get_item({.table_name = "Log", .key = key(i)});
    ASSERT_TRUE(got.item) << "acknowledged write " << i << " was lost";
    EXPECT_EQ(*got.item, item(i));
  }
  for (const int i : refused) EXPECT_FALSE(engine->get_item({.table_name = "Log", .key = key(i)}).item) << i;
}

// A small tmpfs mounted for one test; mounted() is false where mounting is not allowed
// (not root, or no CAP_SYS_ADMIN in a container).
class SmallFilesystem {
 public:
  explicit SmallFilesystem(const std::string& path, const char* size) : path_(path) {
    std::filesystem::create_directories(path_);
    const std::string options = std::string("size=") + size;
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallFilesystem() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    std::filesystem::remove_all(path_);
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;
  [[nodiscard]] bool mounted() const noexcept { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

// The same on a really full disk (ENOSPC): a 4 MiB tmpfs that a 1 MiB file and the store
// fill; deleting the file frees the space. Needs the right to mount (root); skipped
// otherwise, the RLIMIT_FSIZE test above covering the same path.
TEST_P(Store, RealFullDiskRefusesWritesWithoutLosingAcknowledgedOnes) {
  const std::string root = dir.path() + "-tmpfs";
  const SmallFilesystem disk(root, "4m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  const std::string path = root + "/store";
  const auto options = [&] {
    return engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0),
                                 .store = open(path, {.kind = GetParam()})};
  };
  const auto item = [](int i) { return Item{{"pk", "a"}, {"sk", i}, {"blob", std::string(100 * 1024, 'x')}}; };
  const auto key = [](int i) { return Item{{"pk", "a"}, {"sk", i}}; };
  std::vector<int> acknowledged;
  std::vector<int> refused;
  {
    engine::Engine engine(options());
    create_table(engine, "Log");
    {
      std::ofstream filler(root + "/filler", std::ios::binary);
      filler << std::string(1024 * 1024, 'f');
      ASSERT_TRUE(filler.good());
    }
    int i = 0;
    for (; i < 100 && refused.size() < 3; ++i) {
      try {
        (void)engine.put_item({.table_name = "Log", .item = item(i)});
        if (refused.empty()) acknowledged.push_back(i);
        else ADD_FAILURE() << "write " << i << " succeeded on a full disk";  // nothing was freed
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), "StoreError") << e.what();
        // LMDB reports the write the disk cut short as EIO, and the store adds the free space;
        // SQLite says SQLITE_FULL.
        const std::string why = e.what();
        EXPECT_TRUE(why.find("bytes free on its filesystem") != std::string::npos ||
                    why.find("database or disk is full") != std::string::npos)
            << why;
        EXPECT_FALSE(engine.get_item({.table_name = "Log", .key = key(i)}).item) << "refused write " << i;
        refused.push_back(i);
      }
    }
    ASSERT_EQ(refused.size(), 3U) << "the disk never filled";
    std::filesystem::remove(root + "/filler");  // space freed
    for (int k = 0; k < 3; ++k, ++i) {
      (void)engine.put_item({.table_name = "Log", .item = item(i)});
      acknowledged.push_back(i);
    }
  }
  engine::Engine engine(options());
  EXPECT_EQ(engine.describe_table({.table_name = "Log"}).table->item_count,
            static_cast<std::int64_t>(acknowledged.size()));
  for (const int i : acknowledged) {
    const auto got = engine.get_item({.table_name = "Log", .key = key(i)});
    ASSERT_TRUE(got.item) << "acknowledged write " << i << " was lost";
    EXPECT_EQ(*got.item, item(i));
  }
  for (const int i : refused) EXPECT_FALSE(engine.get_item({.table_name = "Log", .key = key(i)}).item) << i;
}

TEST(Durability, NamesRoundTrip) {
  for (const Durability durability : {Durability::process, Durability::consistent, Durability::power}) {
    EXPECT_EQ(parse_durability(to_string(durability)), durability);
  }
  EXPECT_EQ(to_string(Durability::consistent), "consistent");
  EXPECT_EQ(parse_durability("fsync"), std::nullopt);
  EXPECT_EQ(StoreOptions{}.durability, Durability::consistent);  // the default cannot corrupt
}

INSTANTIATE_TEST_SUITE_P(Kinds, Store, ::testing::Values(Kind::lmdb, Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>& row) {
                           return std::string(row.param == Kind::lmdb ? "lmdb" : "sqlite");
                         });

}  // namespace
}  // namespace dynamo::store
