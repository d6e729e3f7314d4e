// Converting a 12-attribute model to and from DynamoDB's attribute map and its wire JSON:
// the per-item cost every save, get, query and scan pays on top of the request itself.
//
// The sample order is 954 bytes of DynamoDB JSON. `model_bench --print-item` prints that
// JSON and exits: bench/model/compare.sh checks that boto3_compare.py times the same item.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string_view>

#include <dynamo/model/serialize.hpp>
#include <dynamo/model/time.hpp>

namespace {

struct Order {
  std::string customer{};
  std::string order_id{};
  std::int64_t quantity = 0;
  double price = 0;
  dynamo::Number total{};
  bool paid = false;
  std::set<std::string> tags{};
  std::vector<std::int64_t> line_items{};
  std::optional<std::string> note{};
  dynamo::utc_time created{};
  std::string status{};
  std::int32_t priority = 0;
};

}  // namespace

template <>
struct dynamo::model<Order> {
  static auto schema() {
    return dynamo::table<Order>("Orders")
        .hash_key("customer", &Order::customer)
        .range_key("order_id", &Order::order_id)
        .attribute("quantity", &Order::quantity)
        .attribute("price", &Order::price)
        .attribute("total", &Order::total)
        .attribute("paid", &Order::paid)
        .attribute("tags", &Order::tags)
        .attribute("line_items", &Order::line_items)
        .attribute("note", &Order::note)
        .attribute("created", &Order::created)
        .attribute("status", &Order::status)
        .attribute("priority", &Order::priority);
  }
};

namespace {

Order sample() {
  std::vector<std::int64_t> line_items;
  for (std::int64_t i = 0; i < 12; ++i) line_items.push_back(100101 + 1011 * i);
  return Order{.customer = "customer-000123",
               .order_id = "2024-05-01#000042",
               .quantity = 3,
               .price = 19.99,
               .total = dynamo::Number::parse("59.97"),
               .paid = true,
               .tags = {"gift", "express", "fragile", "priority", "returning-customer", "eu-shipping"},
               .line_items = std::move(line_items),
               .note = "Leave the parcel at the side door, not the front porch: the dog at the front is "
                       "friendly but loud. If nobody answers, the neighbour at number 14 has agreed to take "
                       "it. Please ring twice and wait a minute, the house is large. Fragile items are in the "
                       "second box; keep that box upright. Call 555-0142 on arrival. Invoice by email only, "
                       "no paper copy in the box. Gift wrap the book, not the mugs.",
               .created = dynamo::parse_utc_time("2024-05-01T12:34:56.789012+0000"),
               .status = "SHIPPED",
               .priority = 2};
}

void BM_ModelToItem(benchmark::State& state) {
  const Order order = sample();
  for (auto _ : state) benchmark::DoNotOptimize(dynamo::serialize(order));
  state.SetItemsProcessed(state.iterations());
}

void BM_ItemToModel(benchmark::State& state) {
  const dynamo::Item item = dynamo::serialize(sample());
  for (auto _ : state) benchmark::DoNotOptimize(dynamo::deserialize<Order>(item));
  state.SetItemsProcessed(state.iterations());
}

void BM_ModelToJson(benchmark::State& state) {
  const Order order = sample();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = dynamo::to_json(order);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_JsonToModel(benchmark::State& state) {
  const std::string text = dynamo::to_json(sample());
  for (auto _ : state) benchmark::DoNotOptimize(dynamo::from_json<Order>(text));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

BENCHMARK(BM_ModelToItem);
BENCHMARK(BM_ItemToModel);
BENCHMARK(BM_ModelToJson);
BENCHMARK(BM_JsonToModel);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--print-item") {
    std::puts(dynamo::to_json(sample()).c_str());
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
