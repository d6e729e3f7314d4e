// The persistent stores measured through the engine: PutItem of a ~1 KB item (one store
// commit each) under each durability mode (store.hpp: process, consistent — the default —
// and power), a 25-item BatchWriteItem, and reopening a store of 20,000 items, for LMDB and
// SQLite. Stores are made in the temporary directory (TMPDIR), so the figures are those of
// its filesystem and disk.
//
//   build/release/bench/store/store_bench --benchmark_min_time=1
//   build/release/bench/store/store_bench --benchmark_filter=PutItem --benchmark_repetitions=3
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "dynamo/engine/engine.hpp"
#include "dynamo/store/store.hpp"

namespace {

using namespace dynamo;
using namespace dynamo::api;

std::string fresh_dir() {
  static int counter = 0;
  auto path = std::filesystem::temp_directory_path() /
              ("dynamo-store-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path);
  return path.string();
}

Item item_of(std::int64_t i) {
  return {{"pk", "user#" + std::to_string(i % 1000)}, {"sk", i}, {"body", std::string(900, 'x')}, {"n", i}};
}

std::unique_ptr<engine::Engine> open_engine(const std::string& dir, store::Kind kind, store::Durability durability) {
  auto engine = std::make_unique<engine::Engine>(engine::EngineOptions{
      .ttl_sweep_interval = std::chrono::milliseconds(0), .store = store::open(dir, {.kind = kind, .durability = durability})});
  return engine;
}

void create(engine::Engine& engine) {
  (void)engine.create_table({.table_name = "Bench",
                             .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                             .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                             .billing_mode = BillingMode::pay_per_request});
}

void BM_PutItem(benchmark::State& state, store::Kind kind, store::Durability durability) {
  const std::string dir = fresh_dir();
  {
    auto engine = open_engine(dir, kind, durability);
    create(*engine);
    std::int64_t i = 0;
    for (auto _ : state) (void)engine->put_item({.table_name = "Bench", .item = item_of(i++)});
    state.SetItemsProcessed(state.iterations());
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK_CAPTURE(BM_PutItem, lmdb_process, store::Kind::lmdb, store::Durability::process)->UseRealTime();
BENCHMARK_CAPTURE(BM_PutItem, sqlite_process, store::Kind::sqlite, store::Durability::process)->UseRealTime();
BENCHMARK_CAPTURE(BM_PutItem, lmdb_consistent, store::Kind::lmdb, store::Durability::consistent)->UseRealTime();
BENCHMARK_CAPTURE(BM_PutItem, sqlite_consistent, store::Kind::sqlite, store::Durability::consistent)->UseRealTime();
BENCHMARK_CAPTURE(BM_PutItem, lmdb_power, store::Kind::lmdb, store::Durability::power)->Iterations(300)->UseRealTime();
BENCHMARK_CAPTURE(BM_PutItem, sqlite_power, store::Kind::sqlite, store::Durability::power)->Iterations(300)->UseRealTime();

void BM_BatchWrite25(benchmark::State& state, store::Kind kind) {
  const std::string dir = fresh_dir();
  {
    auto engine = open_engine(dir, kind, store::Durability::process);
    create(*engine);
    std::int64_t i = 0;
    for (auto _ : state) {
      std::vector<WriteRequest> writes;
      for (int k = 0; k < 25; ++k) writes.push_back({.put_request = PutRequest{.item = item_of(i++)}});
      (void)engine->batch_write_item({.request_items = {{"Bench", std::move(writes)}}});
    }
    state.SetItemsProcessed(state.iterations() * 25);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK_CAPTURE(BM_BatchWrite25, lmdb, store::Kind::lmdb)->UseRealTime();
BENCHMARK_CAPTURE(BM_BatchWrite25, sqlite, store::Kind::sqlite)->UseRealTime();

void BM_Reopen20k(benchmark::State& state, store::Kind kind) {
  const std::string dir = fresh_dir();
  {
    auto engine = open_engine(dir, kind, store::Durability::process);
    create(*engine);
    for (std::int64_t i = 0; i < 20000; i += 25) {
      std::vector<WriteRequest> writes;
      for (int k = 0; k < 25; ++k) writes.push_back({.put_request = PutRequest{.item = item_of(i + k)}});
      (void)engine->batch_write_item({.request_items = {{"Bench", std::move(writes)}}});
    }
  }
  for (auto _ : state) {
    auto engine = open_engine(dir, kind, store::Durability::process);
    benchmark::DoNotOptimize(engine.get());
  }
  state.SetItemsProcessed(state.iterations() * 20000);
  std::filesystem::remove_all(dir);
}
BENCHMARK_CAPTURE(BM_Reopen20k, lmdb, store::Kind::lmdb)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Reopen20k, sqlite, store::Kind::sqlite)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
