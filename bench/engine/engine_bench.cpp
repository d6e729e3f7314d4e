// Throughput of the in-memory engine on ~1 KB items: GetItem, BatchGetItem, BatchWriteItem,
// TransactWriteItems, PutItem, UpdateItem, a 1000-item Query and a full Scan, on one and
// two threads, how GetItem/PutItem cost grows with the table (10^4 .. 10^6 items), and the
// memory a stored item takes.
// docs/performance.md ("Embedded engine") records the figures.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dynamo/engine.hpp"
#include "dynamo/value/item_size.hpp"
#include "engine/packed_item.hpp"

namespace {

using namespace dynamo::api;
using dynamo::engine::Engine;
using dynamo::engine::EngineOptions;

// One ~1 KB item: key "k<i>", a few small attributes and a ~930-byte payload.
dynamo::Item make_item(const std::string& key) {
  return dynamo::Item{{"pk", key},
                      {"n", 0},
                      {"status", "open"},
                      {"tags", dynamo::StringSet{"a", "b"}},
                      {"payload", std::string(930, 'x')}};
}

std::string key_of(std::int64_t i) { return "k" + std::to_string(i); }

// A table "Items" (hash key pk) of `count` items, built once per size and shared by threads.
Engine& items_engine(std::int64_t count) {
  static std::mutex mutex;
  static std::map<std::int64_t, std::unique_ptr<Engine>> engines;
  std::lock_guard lock(mutex);
  auto& engine = engines[count];
  if (!engine) {
    EngineOptions options;
    options.ttl_sweep_interval = std::chrono::milliseconds(0);
    engine = std::make_unique<Engine>(options);
    (void)engine->create_table({.table_name = "Items",
                                .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                                .key_schema = {{"pk", KeyType::hash}},
                                .billing_mode = BillingMode::pay_per_request});
    for (std::int64_t i = 0; i < count; ++i) (void)engine->put_item({.table_name = "Items", .item = make_item(key_of(i))});
  }
  return *engine;
}

// A new engine with a table `name` (pk, sk N) of `partitions` partitions ("k0", "k1", ...)
// of 1000 items each, written one item per partition in turn: with more than one
// partition, a partition's items lie apart in memory, as those of a table written over
// time do.
std::unique_ptr<Engine> sorted_engine(const std::string& name, int partitions) {
  EngineOptions options;
  options.ttl_sweep_interval = std::chrono::milliseconds(0);
  auto engine = std::make_unique<Engine>(options);
  (void)engine->create_table({.table_name = name,
                              .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                              .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                              .billing_mode = BillingMode::pay_per_request});
  for (int i = 0; i < 1000; ++i) {
    for (int p = 0; p < partitions; ++p) {
      auto item = make_item(key_of(p));
      item.insert_or_assign("sk", i);
      (void)engine->put_item({.table_name = name, .item = std::move(item)});
    }
  }
  return engine;
}

// A table "Threads" holding one partition ("k0") of 1000 items.
Engine& partition_engine() {
  static const std::unique_ptr<Engine> engine = sorted_engine("Threads", 1);
  return *engine;
}

// The process's resident memory (/proc/self/statm), in bytes.
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0;
  double resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

// The bytes malloc has handed out and not had back (small chunks and mmapped ones).
double heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd);
}

// Memory per stored item: a table of `count` ~1 KB items is loaded into a fresh engine, and
// the growth of the resident set and of the heap in use is divided by the items. The
// ratios compare it with the items' DynamoDB size (item_size). Registered first, and the
// heap's free pages are given back before measuring, so that the load does not reuse
// memory an earlier table left resident.
void BM_MemoryPerItem(benchmark::State& state) {
  const auto count = state.range(0);
  for (auto _ : state) {
    malloc_trim(0);
    const double rss_before = resident_bytes();
    const double heap_before = heap_in_use();
    double dynamo_bytes = 0;
    {
      EngineOptions options;
      options.ttl_sweep_interval = std::chrono::milliseconds(0);
      Engine engine(options);
      (void)engine.create_table({.table_name = "Items",
                                 .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                                 .key_schema = {{"pk", KeyType::hash}},
                                 .billing_mode = BillingMode::pay_per_request});
      PutItemRequest request{.table_name = "Items"};
      for (std::int64_t i = 0; i < count; ++i) {
        request.item = make_item(key_of(i));
        dynamo_bytes += static_cast<double>(dynamo::item_size(request.item));
        (void)engine.put_item(request);
      }
      request.item = {};
      const auto items = static_cast<double>(count);
      state.counters["rss_per_item"] = (resident_bytes() - rss_before) / items;
      state.counters["heap_per_item"] = (heap_in_use() - heap_before) / items;
      state.counters["item_size"] = dynamo_bytes / items;
      state.counters["rss_ratio"] = (resident_bytes() - rss_before) / dynamo_bytes;
      state.counters["heap_ratio"] = (heap_in_use() - heap_before) / dynamo_bytes;
    }
  }
}
BENCHMARK(BM_MemoryPerItem)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_GetItem(benchmark::State& state) {
  const auto count = state.range(0);
  Engine& engine = items_engine(count);
  std::mt19937_64 random(static_cast<unsigned>(state.thread_index()));
  GetItemRequest request{.table_name = "Items"};
  for (auto _ : state) {
    request.key = {{"pk", key_of(static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(count)))}};
    auto response = engine.get_item(request);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetItem)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Threads(1)->UseRealTime();
BENCHMARK(BM_GetItem)->Arg(10'000)->Threads(2)->UseRealTime();

// The machine's floor for a read that misses the cache: one dependent load at a random
// place in a region of `bytes` (a chase through a random cycle of 64-byte lines), the
// region as large as the 10^4 and 10^6 item tables. A lookup in a large table makes two
// such loads one after the other (the hash slot, then the partition with the item's block
// beside it), whatever the engine does around them.
void BM_MemoryLatency(benchmark::State& state) {
  constexpr std::size_t line = 64;
  const auto lines = static_cast<std::size_t>(state.range(0)) / line;
  std::vector<std::size_t> order(lines);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937_64(1));
  std::vector<std::array<std::size_t, line / sizeof(std::size_t)>> region(lines);
  for (std::size_t i = 0; i < lines; ++i) region[order[i]][0] = order[(i + 1) % lines];
  std::size_t at = order[0];
  for (auto _ : state) {
    for (int n = 0; n < 100; ++n) at = region[at][0];
    benchmark::DoNotOptimize(at);
  }
  state.SetItemsProcessed(state.iterations() * 100);
  state.counters["ns_per_load"] = benchmark::Counter(static_cast<double>(state.iterations() * 100),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_MemoryLatency)->Arg(12 << 20)->Arg(1 << 30)->UseRealTime();

// Times calls on batches of `size` distinct random keys of a table of state.range(0) items:
// `prepare` makes the call's request of the keys (untimed), `call` makes the call.
template <class Prepare, class Call>
void time_batches(benchmark::State& state, std::size_t size, unsigned seed, Prepare prepare, Call call) {
  const auto count = state.range(0);
  Engine& engine = items_engine(count);
  std::mt19937_64 random(static_cast<unsigned>(state.thread_index()) + seed);
  for (auto _ : state) {
    state.PauseTiming();
    std::set<std::int64_t> chosen;
    while (chosen.size() < size) chosen.insert(static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(count)));
    auto request = prepare(chosen);
    state.ResumeTiming();
    auto response = call(engine, std::move(request));
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(size));
}

// BatchGetItem of 100 distinct random keys, all present.
void BM_BatchGetItem(benchmark::State& state) {
  time_batches(
      state, 100, 50,
      [](const std::set<std::int64_t>& chosen) {
        KeysAndAttributes keys;
        for (std::int64_t i : chosen) keys.keys.push_back({{"pk", key_of(i)}});
        return BatchGetItemRequest{.request_items = {{"Items", std::move(keys)}}};
      },
      [](Engine& engine, BatchGetItemRequest request) { return engine.batch_get_item(request); });
}
BENCHMARK(BM_BatchGetItem)->Arg(10'000)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMicrosecond);

// BatchWriteItem of 25 ~1 KB items, each replacing the item of a random key of the table.
void BM_BatchWriteItem(benchmark::State& state) {
  time_batches(
      state, 25, 150,
      [](const std::set<std::int64_t>& chosen) {
        std::vector<WriteRequest> writes;
        for (std::int64_t i : chosen) writes.push_back({.put_request = PutRequest{.item = make_item(key_of(i))}});
        return BatchWriteItemRequest{.request_items = {{"Items", std::move(writes)}}};
      },
      [](Engine& engine, BatchWriteItemRequest request) { return engine.batch_write_item(std::move(request)); });
}
BENCHMARK(BM_BatchWriteItem)->Arg(10'000)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMicrosecond);

// TransactWriteItems of 25 ~1 KB items, each replacing the item of a random key of the
// table on the condition that it exists (so that each item in place is read).
void BM_TransactWriteItems(benchmark::State& state) {
  time_batches(
      state, 25, 200,
      [](const std::set<std::int64_t>& chosen) {
        TransactWriteItemsRequest request;
        for (std::int64_t i : chosen) {
          request.transact_items.push_back({.put = TransactPut{.item = make_item(key_of(i)),
                                                               .table_name = "Items",
                                                               .condition_expression = "attribute_exists(pk)"}});
        }
        return request;
      },
      [](Engine& engine, const TransactWriteItemsRequest& request) { return engine.transact_write_items(request); });
}
BENCHMARK(BM_TransactWriteItems)->Arg(10'000)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_PutItem(benchmark::State& state) {
  const auto count = state.range(0);
  Engine& engine = items_engine(count);
  std::mt19937_64 random(static_cast<unsigned>(state.thread_index()) + 100);
  PutItemRequest request{.table_name = "Items", .item = make_item("k0")};
  for (auto _ : state) {
    request.item.insert_or_assign("pk", key_of(static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(count))));
    auto response = engine.put_item(request);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutItem)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Threads(1)->UseRealTime();
BENCHMARK(BM_PutItem)->Arg(10'000)->Threads(2)->UseRealTime();

void BM_UpdateItem(benchmark::State& state) {
  const auto count = state.range(0);
  Engine& engine = items_engine(count);
  std::mt19937_64 random(static_cast<unsigned>(state.thread_index()) + 200);
  UpdateItemRequest request{.table_name = "Items",
                            .update_expression = "SET n = n + :one",
                            .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}};
  for (auto _ : state) {
    request.key = {{"pk", key_of(static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(count)))}};
    auto response = engine.update_item(request);
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UpdateItem)->Arg(10'000)->Threads(1)->Threads(2)->UseRealTime();

void BM_Query1000(benchmark::State& state) {
  Engine& engine = partition_engine();
  QueryRequest request{.table_name = "Threads",
                       .key_condition_expression = "pk = :p",
                       .expression_attribute_values = ExpressionAttributeValues{{":p", "k0"}}};
  for (auto _ : state) {
    auto response = engine.query(request);
    if (response.count != 1000) state.SkipWithError("a 1000-item partition was expected");
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Query1000)->Threads(1)->Threads(2)->UseRealTime();

// Reads every page of a Query or Scan (`read` one page of `request`), resuming from each
// LastEvaluatedKey; the items counted.
template <class Request, class Read>
std::int64_t count_all_pages(Request& request, Read read) {
  std::int64_t seen = 0;
  do {
    auto page = read(request);
    seen += *page.count;
    request.exclusive_start_key = std::move(page.last_evaluated_key);
  } while (request.exclusive_start_key);
  return seen;
}

// A table "Forum" of 200 partitions of 1000 items (about 200 MB), rows apart in memory.
Engine& forum_engine() {
  static const std::unique_ptr<Engine> engine = sorted_engine("Forum", 200);
  return *engine;
}

// Query of one random partition of "Forum", all its 1000 items (one page, under 1 MB), forward
// (range(0) 1) or backward (0).
void BM_QueryLargeTable(benchmark::State& state) {
  Engine& engine = forum_engine();
  std::mt19937_64 random(7);
  for (auto _ : state) {
    QueryRequest request{.table_name = "Forum",
                         .key_condition_expression = "pk = :p",
                         .expression_attribute_values = ExpressionAttributeValues{{":p", key_of(static_cast<std::int64_t>(random() % 200))}}};
    request.scan_index_forward = state.range(0) != 0;
    const std::int64_t seen = count_all_pages(request, [&](const QueryRequest& r) { return engine.query(r); });
    if (seen != 1000) state.SkipWithError("the query missed items");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_QueryLargeTable)->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ScanAll(benchmark::State& state) {
  const auto count = state.range(0);
  Engine& engine = items_engine(count);
  for (auto _ : state) {
    ScanRequest request{.table_name = "Items"};
    const std::int64_t seen = count_all_pages(request, [&](const ScanRequest& r) { return engine.scan(r); });
    if (seen != count) state.SkipWithError("the scan missed items");
  }
  state.SetItemsProcessed(state.iterations() * count);
}
BENCHMARK(BM_ScanAll)->Arg(10'000)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanAll)->Arg(1'000'000)->Threads(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// The stored form of the same item: packing it (each write), decoding it whole (each read
// that returns it), and, for comparison, copying it as a dynamo::Item.
void BM_PackItem(benchmark::State& state) {
  const dynamo::Item item = make_item(key_of(123));
  for (auto _ : state) {
    dynamo::engine::detail::PackedItem packed(item);
    benchmark::DoNotOptimize(packed);
  }
}
BENCHMARK(BM_PackItem);

void BM_UnpackItem(benchmark::State& state) {
  const dynamo::engine::detail::PackedItem packed(make_item(key_of(123)));
  for (auto _ : state) {
    dynamo::Item item = packed.unpack();
    benchmark::DoNotOptimize(item);
  }
}
BENCHMARK(BM_UnpackItem);

void BM_CopyItem(benchmark::State& state) {
  const dynamo::Item item = make_item(key_of(123));
  for (auto _ : state) {
    dynamo::Item copy = item;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopyItem);

}  // namespace
BENCHMARK_MAIN();
