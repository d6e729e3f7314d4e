// Connection throughput, end to end: sequential PutItem and GetItem, and 32 asynchronous
// calls in flight over the connection pool, against dynalite, dynamo-server (when built)
// and the embedded engine. The servers run on loopback on this machine, so the figures
// include their work; the client-only cost (encode + sign + decode) is measured by
// bench/api and bench/http.
//
//   build/release/bench/client/client_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <future>
#include <map>
#include <memory>

#include "dynamo/client/connection.hpp"
#include "support/peer_server.hpp"

namespace {

using namespace dynamo;
using namespace dynamo::api;

struct Target {
  std::unique_ptr<testing::PeerServer> server;
  std::optional<Connection> connection;
};

// One server per kind for the whole run; the table is created once.
Connection& connection_for(const std::string& kind) {
  static std::map<std::string, Target> targets;
  auto& target = targets[kind];
  if (!target.connection) {
    if (kind == "embedded") {
      target.connection.emplace(Connection::embedded());
    } else {
      target.server = kind == "dynalite" ? testing::PeerServer::start_dynalite()
                                         : testing::PeerServer::start("dynamo-server", {DYNAMO_SERVER_BINARY, "--port", "{port}"});
      target.connection.emplace(Connection::connect({.endpoint = target.server->endpoint(),
                                                     .region = "us-east-1",
                                                     .access_key_id = "bench",
                                                     .secret_access_key = auth::SecretString("bench-secret"),
                                                     .settings = {.max_pool_connections = 8}}));
    }
    target.connection->create_table({.table_name = "Bench",
                                     .attribute_definitions = {{"id", ScalarAttributeType::s}},
                                     .key_schema = {{"id", KeyType::hash}},
                                     .billing_mode = BillingMode::pay_per_request});
    for (int i = 0; i < 100; ++i) target.connection->put_item({.table_name = "Bench", .item = {{"id", std::to_string(i)}}});
  }
  return *target.connection;
}

Item bench_item(std::int64_t i) {
  return {{"id", std::to_string(i % 100)}, {"n", i}, {"body", std::string(400, 'x')}, {"tags", StringSet{"a", "b"}}};
}

void BM_PutItem(benchmark::State& state, const std::string& kind) {
  auto& db = connection_for(kind);
  std::int64_t i = 0;
  for (auto _ : state) db.put_item({.table_name = "Bench", .item = bench_item(i++)});
  state.SetItemsProcessed(state.iterations());
}

void BM_GetItem(benchmark::State& state, const std::string& kind) {
  auto& db = connection_for(kind);
  std::int64_t i = 0;
  for (auto _ : state) {
    auto got = db.get_item({.table_name = "Bench", .key = {{"id", std::to_string(i++ % 100)}}});
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations());
}

// 32 calls in flight at a time (half puts, half gets), over a pool of 8 connections.
void BM_Concurrent(benchmark::State& state, const std::string& kind) {
  auto& db = connection_for(kind);
  std::int64_t i = 0;
  for (auto _ : state) {
    std::vector<std::future<PutItemResponse>> puts;
    std::vector<std::future<GetItemResponse>> gets;
    for (int k = 0; k < 16; ++k) {
      puts.push_back(db.put_item_async({.table_name = "Bench", .item = bench_item(i++)}));
      gets.push_back(db.get_item_async({.table_name = "Bench", .key = {{"id", std::to_string(i++ % 100)}}}));
    }
    for (auto& f : puts) f.get();
    for (auto& f : gets) f.get();
  }
  state.SetItemsProcessed(state.iterations() * 32);
}

#define DYNAMO_CLIENT_BENCH(kind)                                      \
  BENCHMARK_CAPTURE(BM_PutItem, kind, std::string(#kind))->UseRealTime();  \
  BENCHMARK_CAPTURE(BM_GetItem, kind, std::string(#kind))->UseRealTime();  \
  BENCHMARK_CAPTURE(BM_Concurrent, kind, std::string(#kind))->UseRealTime();

DYNAMO_CLIENT_BENCH(dynalite)
#ifdef DYNAMO_SERVER_BINARY
DYNAMO_CLIENT_BENCH(server)
#endif
DYNAMO_CLIENT_BENCH(embedded)

}  // namespace

BENCHMARK_MAIN();
