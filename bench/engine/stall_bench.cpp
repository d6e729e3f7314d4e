// How long table-wide work makes other requests wait: GetItem and PutItem on a small table
// while DeleteTable drops a large one (in memory, and with an LMDB store), and PutItem on a large
// table while the TTL sweep examines it. Each iteration times the table-wide call; the
// counters give the other requests' latency during it (p50, p99, max) and how many ran.
// docs/performance.md, "Stalls", records the figures.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/engine.hpp"
#include "dynamo/store/store.hpp"

namespace {

using namespace dynamo::api;
using dynamo::engine::Engine;
using dynamo::engine::EngineOptions;
using Clock = std::chrono::steady_clock;

CreateTableRequest table(const std::string& name) {
  return {.table_name = name,
          .attribute_definitions = {{"pk", ScalarAttributeType::s}},
          .key_schema = {{"pk", KeyType::hash}},
          .billing_mode = BillingMode::pay_per_request};
}

dynamo::Item item(std::int64_t i, std::int64_t expires) {
  return dynamo::Item{{"pk", "k" + std::to_string(i)}, {"expires", expires}, {"payload", std::string(200, 'x')}};
}

// Latencies (µs) of the calls `probe` made while `work` ran on another thread.
template <typename Work, typename Probe>
std::vector<double> latencies_during(Work work, Probe probe) {
  std::atomic<bool> done{false};
  std::thread worker([&] {
    work();
    done = true;
  });
  std::vector<double> micros;
  while (!done.load()) {
    const auto start = Clock::now();
    probe();
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  worker.join();
  return micros;
}

struct Percentiles {
  std::vector<double> all;
  void add(const std::vector<double>& some) { all.insert(all.end(), some.begin(), some.end()); }
  void report(benchmark::State& state) {
    if (all.empty()) return;
    std::sort(all.begin(), all.end());
    const auto at = [&](double q) { return all[std::min(all.size() - 1, static_cast<std::size_t>(q * static_cast<double>(all.size())))]; };
    state.counters["p50_us"] = at(0.50);
    state.counters["p99_us"] = at(0.99);
    state.counters["max_us"] = all.back();
    state.counters["probes"] = static_cast<double>(all.size());
  }
};

// GetItem (range(2) = 0) or PutItem (1) on "Small" while DeleteTable drops "Big" of range(0)
// items; range(1) = 1 with an LMDB store in a temporary directory, 0 in memory.
void BM_RequestWhileAnotherTableIsDeleted(benchmark::State& state) {
  const auto count = state.range(0);
  const bool with_store = state.range(1) != 0;
  const bool put = state.range(2) != 0;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dynamo-stall-bench-" + std::to_string(::getpid()));
  EngineOptions options;
  options.ttl_sweep_interval = std::chrono::milliseconds(0);
  if (with_store) {
    std::filesystem::remove_all(dir);
    options.store = dynamo::store::open(dir.string());
  }
  Percentiles percentiles;
  {
    Engine engine(options);
    (void)engine.create_table(table("Small"));
    (void)engine.put_item({.table_name = "Small", .item = item(1, 0)});
    for (auto _ : state) {
      state.PauseTiming();
      (void)engine.create_table(table("Big"));
      for (std::int64_t i = 0; i < count; ++i) (void)engine.put_item({.table_name = "Big", .item = item(i, 0)});
      state.ResumeTiming();
      percentiles.add(latencies_during([&] { (void)engine.delete_table({.table_name = "Big"}); },
                                       [&] {
                                         if (put) {
                                           (void)engine.put_item({.table_name = "Small", .item = item(1, 0)});
                                         } else {
                                           auto got = engine.get_item({.table_name = "Small", .key = {{"pk", "k1"}}});
                                           benchmark::DoNotOptimize(got);
                                         }
                                       }));
    }
  }
  percentiles.report(state);
  if (with_store) std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RequestWhileAnotherTableIsDeleted)
    ->ArgNames({"items", "lmdb", "put"})
    ->Args({200'000, 0, 0})
    ->Args({200'000, 1, 0})
    ->Args({200'000, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// PutItem on "Big" (range(0) items with a TTL, none expired) while the TTL sweep examines it.
void BM_PutItemWhileItsTableIsSwept(benchmark::State& state) {
  const auto count = state.range(0);
  EngineOptions options;
  options.ttl_sweep_interval = std::chrono::milliseconds(0);
  Engine engine(options);
  (void)engine.create_table(table("Big"));
  (void)engine.update_time_to_live(
      {.table_name = "Big", .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  const std::int64_t far_future = 4'000'000'000;
  for (std::int64_t i = 0; i < count; ++i) (void)engine.put_item({.table_name = "Big", .item = item(i, far_future)});
  Percentiles percentiles;
  std::int64_t next = count;
  for (auto _ : state) {
    percentiles.add(latencies_during([&] { benchmark::DoNotOptimize(engine.sweep_expired_items()); },
                                     [&] { (void)engine.put_item({.table_name = "Big", .item = item(next++, far_future)}); }));
  }
  percentiles.report(state);
}
BENCHMARK(BM_PutItemWhileItsTableIsSwept)->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
