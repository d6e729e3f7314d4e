// libFuzzer target for opening and loading a persistent store from damaged files. Once per
// process, a small sound data directory is written for each store kind (LMDB and SQLite):
// three tables (a hash key with a stream and TTL; a hash and range key; a global secondary
// index), items of a few bytes to 9 KB (LMDB keeps those on overflow pages), deletions (free
// pages), stream records and an idempotency token. Each input picks a kind and damages a
// copy of its data file:
//   0: bytes written at offsets the input gives (offset, byte pairs);
//   1: the file cut at a length the input gives (or at the page boundary below it), then
//      bytes written as in 0;
//   2: the input's bytes are the whole file.
// The damaged directory is opened with dynamo::store::open and loaded by an engine, which is
// then read through entirely: every table described and scanned, each item read back by its
// key, every stream's shards read from the start.
//
// For every input: opening and loading either succeed, and then every read succeeds, every
// item holds its table's key attributes as scalars and GetItem by that key returns the same
// item; or they throw dynamo::Error "StoreError" whose message names the directory. Never a
// crash, a sanitizer report, a hang, or another exception.
//
// The fuzz build takes stored entries whatever their checksum
// (FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, store_internal.hpp): the damage reaches the
// loading behind the check.
//
// What this covers of LMDB: the structure check that runs before LMDB reads the file
// (src/store/lmdb_check.cpp) and then LMDB itself on every file that passes it; see
// docs/fuzzing.md for what the check leaves to LMDB.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/error.hpp"
#include "dynamo/log.hpp"
#include "dynamo/store/store.hpp"

namespace {

namespace fs = std::filesystem;
using namespace dynamo::api;
using dynamo::store::Kind;

// Tokens expire after 10 minutes of the engine's clock: a fixed clock keeps loading the
// same file the same, however long the run.
const std::chrono::system_clock::time_point fixed_now{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1}};

[[noreturn]] void fail(const char* why, std::string_view detail = {}) {
  std::fprintf(stderr, "store_load_fuzz: %s\n%.*s\n", why, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

struct Template {
  Kind kind;
  std::string file_name;
  std::string bytes;
};

std::string root;                 // this process's scratch directory
std::vector<Template> templates;  // LMDB, SQLite

std::unique_ptr<dynamo::engine::Engine> open_engine(const std::string& dir, Kind kind) {
  auto store = dynamo::store::open(
      dir, {.kind = kind, .durability = dynamo::store::Durability::process, .lmdb_map_size = std::size_t{1} << 20});
  return std::make_unique<dynamo::engine::Engine>(dynamo::engine::EngineOptions{
      .ttl_sweep_interval = std::chrono::milliseconds(0), .clock = [] { return fixed_now; }, .store = std::move(store)});
}

// A pay-per-request table.
CreateTableRequest table(std::string name, std::vector<AttributeDefinition> attributes,
                         std::vector<KeySchemaElement> key_schema) {
  return {.table_name = std::move(name),
          .attribute_definitions = std::move(attributes),
          .key_schema = std::move(key_schema),
          .billing_mode = BillingMode::pay_per_request};
}

void write_data_set(const std::string& dir, Kind kind) {
  const auto engine = open_engine(dir, kind);
  CreateTableRequest plain = table("Plain", {{"pk", ScalarAttributeType::s}}, {{"pk", KeyType::hash}});
  plain.stream_specification =
      StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::new_and_old_images};
  (void)engine->create_table(plain);
  (void)engine->update_time_to_live(
      {.table_name = "Plain", .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  (void)engine->create_table(table("Sorted", {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                                   {{"pk", KeyType::hash}, {"sk", KeyType::range}}));
  CreateTableRequest indexed = table("Indexed", {{"pk", ScalarAttributeType::b}, {"group", ScalarAttributeType::s}},
                                     {{"pk", KeyType::hash}});
  indexed.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "ByGroup", .key_schema = {{"group", KeyType::hash}}, .projection = {.projection_type = ProjectionType::all}}};
  (void)engine->create_table(indexed);
  for (int i = 0; i < 24; ++i) {
    const std::string n = std::to_string(i);
    (void)engine->put_item({.table_name = "Plain",
                            .item = {{"pk", "p" + n}, {"text", std::string(static_cast<std::size_t>(10 + 37 * i), 't')},
                                     {"expires", 4102444800 + i}}});
    (void)engine->put_item({.table_name = "Sorted", .item = {{"pk", "s" + std::to_string(i % 3)}, {"sk", i}, {"n", i * 3}}});
    (void)engine->put_item({.table_name = "Indexed",
                            .item = {{"pk", dynamo::Binary(std::string(1, static_cast<char>('a' + i)))},
                                     {"group", "g" + std::to_string(i % 4)}}});
  }
  for (int i = 0; i < 2; ++i) {
    (void)engine->put_item({.table_name = "Plain", .item = {{"pk", "big" + std::to_string(i)}, {"text", std::string(9000, 'b')}}});
  }
  for (int i = 0; i < 24; i += 5) (void)engine->delete_item({.table_name = "Plain", .key = {{"pk", "p" + std::to_string(i)}}});
  (void)engine->transact_write_items(
      {.transact_items = {TransactWriteItem{.put = TransactPut{.item = {{"pk", "t"}, {"sk", 1}}, .table_name = "Sorted"}}},
       .client_request_token = "token-1"});
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) fail("cannot write the damaged file", path);
}

bool is_scalar(const dynamo::AttributeValue& value) {
  return value.type() == dynamo::Type::string || value.type() == dynamo::Type::number ||
         value.type() == dynamo::Type::binary;
}

// Reads everything the engine loaded; any exception here escapes (a loaded engine must
// answer every read).
void read_everything(dynamo::engine::Engine& engine) {
  for (const std::string& name : engine.list_tables({}).table_names.value_or(std::vector<std::string>{})) {
    const auto described = engine.describe_table({.table_name = name});
    if (!described.table || !described.table->key_schema) fail("a loaded table without a key schema", name);
    const std::vector<KeySchemaElement>& key_schema = *described.table->key_schema;
    std::optional<dynamo::Item> start;
    do {
      const auto page = engine.scan({.table_name = name, .exclusive_start_key = start});
      for (const dynamo::Item& item : page.items.value_or(std::vector<dynamo::Item>{})) {
        dynamo::Item key;
        for (const KeySchemaElement& element : key_schema) {
          const dynamo::AttributeValue* value = item.find(element.attribute_name);
          if (value == nullptr || !is_scalar(*value)) fail("a loaded item without its key", name);
          key.insert_or_assign(element.attribute_name, *value);
        }
        dynamo::api::GetItemResponse got;
        try {
          got = engine.get_item({.table_name = name, .key = key});
        } catch (const dynamo::Error& error) {
          std::string schema;  // what the table says its key is, and the item's key types
          for (const KeySchemaElement& element : key_schema) {
            schema += " " + element.attribute_name + (element.key_type == KeyType::hash ? " HASH " : " RANGE ") +
                      std::string(dynamo::type_tag(key.at(element.attribute_name).type()));
          }
          fail("GetItem by a scanned item's key failed", name + ", key schema" + schema + ": " + error.what());
        }
        if (!got.item || *got.item != item) fail("GetItem by a scanned item's key does not return that item", name);
      }
      start = page.last_evaluated_key;
    } while (start);
  }
  for (const StreamSummary& stream : engine.list_streams({}).streams.value_or(std::vector<StreamSummary>{})) {
    if (!stream.stream_arn) fail("a listed stream without an ARN");
    const auto described = engine.describe_stream({.stream_arn = *stream.stream_arn});
    if (!described.stream_description) fail("a stream without a description", *stream.stream_arn);
    for (const Shard& shard : described.stream_description->shards.value_or(std::vector<Shard>{})) {
      if (!shard.shard_id) fail("a shard without an id", *stream.stream_arn);
      auto iterator = engine
                          .get_shard_iterator({.stream_arn = *stream.stream_arn,
                                               .shard_id = *shard.shard_id,
                                               .shard_iterator_type = ShardIteratorType::trim_horizon})
                          .shard_iterator;
      for (int reads = 0; iterator && reads < 8; ++reads) {
        const auto records = engine.get_records({.shard_iterator = *iterator});
        if (!records.records || records.records->empty()) break;
        iterator = records.next_shard_iterator;
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  dynamo::set_log_level(dynamo::LogLevel::off);  // loading a damaged store may log
  root = (fs::temp_directory_path() / ("dynamo-store-load-fuzz-" + std::to_string(::getpid()))).string();
  fs::remove_all(root);
  for (const Kind kind : {Kind::lmdb, Kind::sqlite}) {
    const std::string dir = root + (kind == Kind::lmdb ? "/template-lmdb" : "/template-sqlite");
    write_data_set(dir, kind);
    const std::string file_name = kind == Kind::lmdb ? "data.mdb" : "dynamo.sqlite3";
    templates.push_back({kind, file_name, read_file(dir + "/" + file_name)});
    // The sound file loads, with everything in it.
    read_everything(*open_engine(dir, kind));
  }
  std::atexit([] { fs::remove_all(root); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const Template& base = templates[in.ConsumeBool() ? 1 : 0];
  const int mode = in.ConsumeIntegralInRange(0, 2);
  std::string file;
  if (mode == 2) {
    file = in.ConsumeRemainingBytesAsString();
  } else {
    file = base.bytes;
    if (mode == 1) {
      std::size_t length = in.ConsumeIntegralInRange<std::size_t>(0, file.size());
      if (in.ConsumeBool()) length -= length % 4096;
      file.resize(length);
    }
    while (!file.empty() && in.remaining_bytes() >= 5) {
      const std::size_t offset = in.ConsumeIntegral<std::uint32_t>() % file.size();
      file[offset] = static_cast<char>(in.ConsumeIntegral<std::uint8_t>());
    }
  }

  const std::string dir = root + "/work";
  fs::create_directories(dir);
  for (const char* leftover : {"/dynamo.sqlite3-wal", "/dynamo.sqlite3-shm", "/data.mdb", "/dynamo.sqlite3"}) {
    fs::remove(dir + leftover);
  }
  write_file(dir + "/" + base.file_name, file);
  std::unique_ptr<dynamo::engine::Engine> engine;
  try {
    engine = open_engine(dir, base.kind);
  } catch (const dynamo::Error& error) {
    if (error.code() != "StoreError") fail("an error other than StoreError", error.what());
    if (std::string_view(error.message()).find(dir) == std::string_view::npos) {
      fail("a StoreError that does not name the directory", error.what());
    }
    return 0;
  } catch (const std::exception& error) {
    fail("an exception other than dynamo::Error", error.what());
  }
  try {
    read_everything(*engine);
  } catch (const std::exception& error) {
    fail("a read of a store that loaded failed", error.what());
  }
  return 0;
}
