// Internal: DynamoDB Streams inside the engine, the change log of a table.
//
// A table with an enabled StreamSpecification points at its open Stream. Every committed
// change of an item appends one record to the stream's open shard, under the table's lock
// and in the same store transaction as the change (commit() in core.cpp), so the log and
// the items never disagree, even after a crash. The engine keeps every stream, open or
// closed, in Engine::State::streams by ARN: a stream outlives a disabled stream
// specification and a deleted table for the 24 hours of retention, as on DynamoDB.
//
// Shards: a stream's records go to one open shard at a time; every four hours (DynamoDB's
// usual shard lifetime) it is closed and a child shard takes over, so readers must follow
// parent links, as they must on AWS. Sequence numbers increase across the whole stream.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/streams.hpp"

namespace dynamo::engine::detail {

inline constexpr std::chrono::hours stream_retention{24};
inline constexpr std::chrono::hours shard_lifetime{4};
inline constexpr std::chrono::minutes shard_iterator_lifetime{15};

// One record and what reading it needs.
struct StreamEntry {
  std::uint64_t sequence = 0;
  std::chrono::system_clock::time_point at{};
  std::size_t bytes = 0;  // the record's SizeBytes, counted towards GetRecords' 1 MB page
  api::StreamRecord record;
};

struct StreamShard {
  std::string id;
  std::string parent_id;  // empty for a stream's first shard
  std::uint64_t first = 0;              // the first sequence number the shard may hold
  std::optional<std::uint64_t> last{};  // set when the shard is closed
  std::chrono::system_clock::time_point created{};
  std::uint64_t dropped_through = 0;  // the highest sequence number trimmed away (0: none)
  std::deque<StreamEntry> entries;    // in sequence order
};

struct Stream {
  std::string arn;
  std::string label;
  std::string table_name;
  api::StreamViewType view_type = api::StreamViewType::keys_only;
  std::vector<api::KeySchemaElement> key_schema;
  std::chrono::system_clock::time_point created{};

  mutable std::mutex mutex;  // guards everything below
  std::condition_variable appended;  // notified when records are appended or the stream closes
  std::optional<std::chrono::system_clock::time_point> closed{};  // disabled, or its table deleted
  std::vector<StreamShard> shards;  // oldest first; while open, the last one is the open shard
  std::uint64_t next_sequence = 1;
};

// Sequence numbers on the wire: 21 decimal digits, zero-padded, so that they also sort as text.
[[nodiscard]] std::string format_sequence(std::uint64_t sequence);
// The sequence number `text` stands for, or nullopt when it is not one.
[[nodiscard]] std::optional<std::uint64_t> parse_sequence(std::string_view text) noexcept;

// The stored form of a stream (a DescribeStreamResponse with every shard) and back.
[[nodiscard]] std::string encode_stream(const Stream& stream);
[[nodiscard]] std::shared_ptr<Stream> decode_stream(std::string_view json);

}  // namespace dynamo::engine::detail
