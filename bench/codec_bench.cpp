// Codec throughput: DynamoDB JSON encode and decode of a realistic ~1 KB item and of a
// 1 MB Query response page, in MB/s (bytes_per_second) and items/s. Also measures the two
// candidate JSON parsers on their own (parse only, no AttributeValues built), which is the
// measurement behind the choice recorded in docs/performance.md.
//
//   build/bench/codec_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <simdjson.h>

#include <string>

#include "codec/value_json.hpp"
#include "dynamo/codec/json.hpp"

namespace {

using namespace dynamo;


// About 1 KB of DynamoDB JSON: 12 attributes of the kinds a typical table holds.
Item realistic_item(int n) {
  const std::string id = std::to_string(n);
  return Item{
      {"pk", "customer#" + id + "#7f9c2ba4-e88f-11ee-a951-0242ac120002"},
      {"sk", "order#2026-11-21#" + id},
      {"customer_name", "Ada Lovelace-Byron, Countess of Lovelace"},
      {"email", "ada.lovelace." + id + "@analytical-engine.example.org"},
      {"status", "SHIPPED"},
      {"total", Number::parse("1234.56")},
      {"quantity", 17 + n % 5},
      {"tags", StringSet{"priority", "gift-wrapped", "international", "fragile", "insured"}},
      {"address",
       AttributeMap{{"street", "12 St James's Square, Flat 4, Second Floor, Rear Entrance"},
                    {"city", "London"},
                    {"postcode", "SW1Y 4JH"}}},
      {"recent_scores", List{Number(97), Number::parse("88.5"), Number(71), Number::parse("64.25"), Number(100)}},
      {"created_at", "2026-11-21T12:34:56.789012+0000"},
      {"gift", true},
      {"notes", "Leave the parcel with the concierge if nobody answers; the recipient works "
                "late on Tuesdays and Thursdays. Signature required on delivery. Call ahead "
                "if the weather is bad. Fragile contents: handle with care and keep upright. "
                "Customer requested recycled packaging and no plastic fillers whatsoever."},
  };
}

std::string page_json(std::size_t target_bytes, std::size_t& items) {
  std::string out = "{\"Items\":[";
  items = 0;
  while (out.size() < target_bytes) {
    if (items) out.push_back(',');
    json::encode_to(out, realistic_item(static_cast<int>(items++)));
  }
  out += "],\"Count\":" + std::to_string(items) + ",\"ScannedCount\":" + std::to_string(items) + "}";
  return out;
}

void BM_EncodeItem(benchmark::State& state) {
  const Item item = realistic_item(1);
  std::string out;
  for (auto _ : state) {
    out.clear();
    json::encode_to(out, item);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["item_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeItem);

void BM_DecodeItem(benchmark::State& state) {
  const std::string text = json::encode(realistic_item(1));
  for (auto _ : state) {
    Item item = json::decode_item(text);
    benchmark::DoNotOptimize(item);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeItem);

void BM_EncodePage(benchmark::State& state) {
  std::size_t count = 0;
  const std::string reference = page_json(1 << 20, count);
  std::vector<Item> items;
  for (std::size_t i = 0; i < count; ++i) items.push_back(realistic_item(static_cast<int>(i)));
  std::string out;
  for (auto _ : state) {
    out.clear();
    detail::JsonWriter writer(out);
    detail::JsonPath path("Items");
    writer.start_object();
    writer.key("Items");
    writer.start_array();
    for (const auto& item : items) detail::write_item(writer, item, path);
    writer.end_array();
    writer.key("Count");
    writer.unsigned_integer(count);
    writer.key("ScannedCount");
    writer.unsigned_integer(count);
    writer.end_object();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
}
BENCHMARK(BM_EncodePage);

void BM_DecodePage(benchmark::State& state) {
  std::size_t count = 0;
  const std::string text = page_json(1 << 20, count);
  for (auto _ : state) {
    const auto document = detail::parse_json(text, "response");
    detail::JsonPath path("Items");
    std::vector<Item> items;
    items.reserve(count);
    for (auto element : document["Items"].get_array()) items.push_back(detail::decode_item(element, path));
    benchmark::DoNotOptimize(items.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
}
BENCHMARK(BM_DecodePage);

// Parser comparison: only parsing into each library's own DOM.
void BM_ParseOnly_simdjson(benchmark::State& state) {
  std::size_t count = 0;
  const std::string text = page_json(1 << 20, count);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    auto document = parser.parse(text);
    benchmark::DoNotOptimize(document.error());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ParseOnly_simdjson);

void BM_ParseOnly_RapidJSON(benchmark::State& state) {
  std::size_t count = 0;
  const std::string text = page_json(1 << 20, count);
  for (auto _ : state) {
    rapidjson::Document document;
    document.Parse(text.data(), text.size());
    benchmark::DoNotOptimize(document.HasParseError());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ParseOnly_RapidJSON);

}  // namespace

BENCHMARK_MAIN();
