// Cost of the api codec per call: encoding and decoding typical requests and responses
// (a PutItem of a dozen attributes, a Query, a 25-item BatchWriteItem, a 100-item Query
// page, a DescribeTable response).
#include <benchmark/benchmark.h>

#include "api/samples.hpp"
#include "dynamo/api.hpp"

namespace {

using namespace dynamo::api;

QueryResponse page_of(std::size_t count) {
  QueryResponse page{.items = std::vector<dynamo::Item>{}, .count = 0, .scanned_count = 0};
  for (std::size_t i = 0; i < count; ++i) page.items->push_back(samples::thread_item());
  page.count = static_cast<int>(count);
  page.scanned_count = static_cast<int>(count);
  page.last_evaluated_key = samples::thread_key();
  page.consumed_capacity = ConsumedCapacity{.table_name = "Thread", .capacity_units = 12.5};
  return page;
}

BatchWriteItemRequest batch_of(std::size_t count) {
  BatchWriteItemRequest batch;
  auto& writes = batch.request_items["Thread"];
  for (std::size_t i = 0; i < count; ++i) writes.push_back(WriteRequest{.put_request = PutRequest{.item = samples::thread_item()}});
  return batch;
}

template <class T>
void encode_bench(benchmark::State& state, const T& message) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    encode_to(out, message);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(out.size()));
}

template <class T>
void decode_bench(benchmark::State& state, const T& message) {
  const std::string json = encode(message);
  for (auto _ : state) {
    T back = decode<T>(json);
    benchmark::DoNotOptimize(&back);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(json.size()));
}

void BM_EncodePutItem(benchmark::State& s) { encode_bench(s, samples::put_item()); }
void BM_DecodePutItem(benchmark::State& s) { decode_bench(s, samples::put_item()); }
void BM_EncodeQuery(benchmark::State& s) { encode_bench(s, samples::query()); }
void BM_DecodeQuery(benchmark::State& s) { decode_bench(s, samples::query()); }
void BM_EncodeBatchWrite25(benchmark::State& s) { encode_bench(s, batch_of(25)); }
void BM_DecodeBatchWrite25(benchmark::State& s) { decode_bench(s, batch_of(25)); }
void BM_EncodeQueryPage100(benchmark::State& s) { encode_bench(s, page_of(100)); }
void BM_DecodeQueryPage100(benchmark::State& s) { decode_bench(s, page_of(100)); }
void BM_EncodeDescribeTable(benchmark::State& s) { encode_bench(s, DescribeTableResponse{.table = samples::table_description()}); }
void BM_DecodeDescribeTable(benchmark::State& s) { decode_bench(s, DescribeTableResponse{.table = samples::table_description()}); }

BENCHMARK(BM_EncodePutItem);
BENCHMARK(BM_DecodePutItem);
BENCHMARK(BM_EncodeQuery);
BENCHMARK(BM_DecodeQuery);
BENCHMARK(BM_EncodeBatchWrite25);
BENCHMARK(BM_DecodeBatchWrite25);
BENCHMARK(BM_EncodeQueryPage100);
BENCHMARK(BM_DecodeQueryPage100);
BENCHMARK(BM_EncodeDescribeTable);
BENCHMARK(BM_DecodeDescribeTable);

}  // namespace

BENCHMARK_MAIN();
