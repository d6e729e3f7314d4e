// Requests and responses of the DynamoDB Streams API: ListStreams, DescribeStream,
// GetShardIterator and GetRecords (X-Amz-Target "DynamoDBStreams_20120810.<Name>").
//
// A table whose StreamSpecification is enabled records every change of an item, in commit
// order, as a StreamRecord; the records live in shards of a stream named by its ARN. A
// reader lists the streams of a table, describes one to find its shards, takes an iterator
// into a shard and pages through the records with it:
//
//   using namespace dynamo::api;
//   GetShardIteratorRequest at_start{
//       .stream_arn = arn,
//       .shard_id = shard,
//       .shard_iterator_type = ShardIteratorType::trim_horizon,
//   };
//   // ... connection.get_shard_iterator(at_start).shard_iterator, then get_records(...)
//
// Timestamps (CreationRequestDateTime, ApproximateCreationDateTime) are seconds since the
// Unix epoch, as on the wire. Sequence numbers are decimal strings that increase within a
// shard; compare them as numbers, not as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/table_types.hpp"

namespace dynamo::api {

// ---- ListStreams ------------------------------------------------------------------------------

struct StreamSummary {
  std::optional<std::string> stream_arn{};
  std::optional<std::string> table_name{};
  std::optional<std::string> stream_label{};
  friend bool operator==(const StreamSummary&, const StreamSummary&) = default;
};

struct ListStreamsRequest {
  std::optional<std::string> table_name{};
  std::optional<int> limit{};  // 1 to 100
  std::optional<std::string> exclusive_start_stream_arn{};
  friend bool operator==(const ListStreamsRequest&, const ListStreamsRequest&) = default;
};

struct ListStreamsResponse {
  std::optional<std::vector<StreamSummary>> streams{};
  std::optional<std::string> last_evaluated_stream_arn{};
  friend bool operator==(const ListStreamsResponse&, const ListStreamsResponse&) = default;
};

// ---- DescribeStream ---------------------------------------------------------------------------

// The sequence numbers a shard holds: the first, and the last once the shard is closed.
struct SequenceNumberRange {
  std::optional<std::string> starting_sequence_number{};
  std::optional<std::string> ending_sequence_number{};
  friend bool operator==(const SequenceNumberRange&, const SequenceNumberRange&) = default;
};

struct Shard {
  std::optional<std::string> shard_id{};
  std::optional<SequenceNumberRange> sequence_number_range{};
  std::optional<std::string> parent_shard_id{};
  friend bool operator==(const Shard&, const Shard&) = default;
};

struct StreamDescription {
  std::optional<std::string> stream_arn{};
  std::optional<std::string> stream_label{};
  std::optional<StreamStatus> stream_status{};
  std::optional<StreamViewType> stream_view_type{};
  std::optional<double> creation_request_date_time{};
  std::optional<std::string> table_name{};
  std::optional<std::vector<KeySchemaElement>> key_schema{};
  std::optional<std::vector<Shard>> shards{};
  std::optional<std::string> last_evaluated_shard_id{};
  friend bool operator==(const StreamDescription&, const StreamDescription&) = default;
};

struct DescribeStreamRequest {
  std::string stream_arn{};
  std::optional<int> limit{};  // 1 to 100 shards
  std::optional<std::string> exclusive_start_shard_id{};
  friend bool operator==(const DescribeStreamRequest&, const DescribeStreamRequest&) = default;
};

struct DescribeStreamResponse {
  std::optional<StreamDescription> stream_description{};
  friend bool operator==(const DescribeStreamResponse&, const DescribeStreamResponse&) = default;
};

// ---- GetShardIterator -------------------------------------------------------------------------

struct GetShardIteratorRequest {
  std::string stream_arn{};
  std::string shard_id{};
  ShardIteratorType shard_iterator_type{};
  // For AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER.
  std::optional<std::string> sequence_number{};
  friend bool operator==(const GetShardIteratorRequest&, const GetShardIteratorRequest&) = default;
};

struct GetShardIteratorResponse {
  std::optional<std::string> shard_iterator{};
  friend bool operator==(const GetShardIteratorResponse&, const GetShardIteratorResponse&) = default;
};

// ---- GetRecords -------------------------------------------------------------------------------

// Who made a change other than a request: DynamoDB itself, for Time to Live deletions
// ({Type: "Service", PrincipalId: "dynamodb.amazonaws.com"}).
struct Identity {
  std::optional<std::string> principal_id{};
  std::optional<std::string> type{};
  friend bool operator==(const Identity&, const Identity&) = default;
};

// The change itself: the item's key, its images as the stream's view type asks, and where
// the record sits in the shard.
struct StreamRecordData {
  std::optional<double> approximate_creation_date_time{};
  std::optional<Item> keys{};
  std::optional<Item> new_image{};
  std::optional<Item> old_image{};
  std::optional<std::string> sequence_number{};
  std::optional<std::int64_t> size_bytes{};
  std::optional<StreamViewType> stream_view_type{};
  friend bool operator==(const StreamRecordData&, const StreamRecordData&) = default;
};

// One change of one item. The wire names of this struct's own members start in lower case
// (eventID, eventName, awsRegion, dynamodb, userIdentity), unlike the rest of the API.
struct StreamRecord {
  std::optional<std::string> event_id{};
  std::optional<OperationType> event_name{};
  std::optional<std::string> event_version{};
  std::optional<std::string> event_source{};
  std::optional<std::string> aws_region{};
  std::optional<StreamRecordData> dynamodb{};
  std::optional<Identity> user_identity{};
  friend bool operator==(const StreamRecord&, const StreamRecord&) = default;
};

struct GetRecordsRequest {
  std::string shard_iterator{};
  std::optional<int> limit{};  // 1 to 1000 records
  friend bool operator==(const GetRecordsRequest&, const GetRecordsRequest&) = default;
};

struct GetRecordsResponse {
  std::optional<std::vector<StreamRecord>> records{};
  // Absent once a closed shard has been read to its end.
  std::optional<std::string> next_shard_iterator{};
  friend bool operator==(const GetRecordsResponse&, const GetRecordsResponse&) = default;
};

}  // namespace dynamo::api
