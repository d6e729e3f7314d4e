// libFuzzer target for the engine's DynamoDB Streams requests. An engine holds a table with
// a stream and a few records; each input is split at '\n' into a shard iterator, a stream
// ARN, a shard id and a sequence number, which go to GetRecords, GetShardIterator (every
// iterator type), DescribeStream and the engine's wait for records. For every input: each
// call returns or throws dynamo::Error (never anything else, never a crash or a hang), and
// an iterator GetShardIterator hands out is one GetRecords accepts.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/engine/engine.hpp"

namespace {

using namespace dynamo::api;

dynamo::engine::Engine& engine() {
  static dynamo::engine::Engine* instance = [] {
    auto* e = new dynamo::engine::Engine({.ttl_sweep_interval = std::chrono::milliseconds(0)});
    (void)e->create_table({.table_name = "Fuzz",
                           .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                           .key_schema = {{"pk", KeyType::hash}},
                           .billing_mode = BillingMode::pay_per_request,
                           .stream_specification = StreamSpecification{
                               .stream_enabled = true, .stream_view_type = StreamViewType::new_and_old_images}});
    for (int i = 0; i < 3; ++i) (void)e->put_item({.table_name = "Fuzz", .item = {{"pk", std::to_string(i)}}});
    return e;
  }();
  return *instance;
}

template <class Call>
void expect_dynamo_error_or_success(Call&& call) {
  try {
    call();
  } catch (const dynamo::Error&) {
  } catch (...) {
    std::abort();
  }
}

std::vector<std::string> fields(std::string_view input) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (out.size() < 3) {
    const auto end = input.find('\n', start);
    if (end == std::string_view::npos) break;
    out.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  out.emplace_back(input.substr(std::min(start, input.size())));
  while (out.size() < 4) out.emplace_back();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& e = engine();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parts = fields(input);
  expect_dynamo_error_or_success([&] { (void)e.get_records({.shard_iterator = parts[0], .limit = 5}); });
  expect_dynamo_error_or_success([&] { (void)e.wait_for_records(parts[0], std::chrono::milliseconds(0)); });
  expect_dynamo_error_or_success([&] { (void)e.describe_stream({.stream_arn = parts[1], .exclusive_start_shard_id = parts[2]}); });
  for (auto type : {ShardIteratorType::trim_horizon, ShardIteratorType::latest, ShardIteratorType::at_sequence_number,
                    ShardIteratorType::after_sequence_number}) {
    std::string iterator;
    expect_dynamo_error_or_success([&] {
      iterator = e.get_shard_iterator({.stream_arn = parts[1], .shard_id = parts[2], .shard_iterator_type = type,
                                       .sequence_number = parts[3]})
                     .shard_iterator.value_or("");
    });
    if (!iterator.empty()) {
      try {
        (void)e.get_records({.shard_iterator = iterator});
      } catch (...) {
        std::abort();  // an iterator the engine made must be readable
      }
    }
  }
  return 0;
}
