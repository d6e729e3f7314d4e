// Codec of the DynamoDB Streams operations: ListStreams, DescribeStream, GetShardIterator,
// GetRecords. A stream record's own members are spelled in lower camel case on the wire
// (eventID, awsRegion, dynamodb), its nested members in the usual upper camel case.
#include "api/describe_tables.hpp"
#include "api/wire.hpp"
#include "dynamo/api/codec.hpp"

namespace dynamo::api {
namespace wire {

template <class V>
void describe(V& v, StreamSummary& s) {
  v("StreamArn", s.stream_arn);
  v("TableName", s.table_name);
  v("StreamLabel", s.stream_label);
}

template <class V>
void describe(V& v, ListStreamsRequest& s) {
  v("TableName", s.table_name);
  v("Limit", s.limit);
  v("ExclusiveStartStreamArn", s.exclusive_start_stream_arn);
}

template <class V>
void describe(V& v, ListStreamsResponse& s) {
  v("Streams", s.streams);
  v("LastEvaluatedStreamArn", s.last_evaluated_stream_arn);
}

template <class V>
void describe(V& v, SequenceNumberRange& s) {
  v("StartingSequenceNumber", s.starting_sequence_number);
  v("EndingSequenceNumber", s.ending_sequence_number);
}

template <class V>
void describe(V& v, Shard& s) {
  v("ShardId", s.shard_id);
  v("SequenceNumberRange", s.sequence_number_range);
  v("ParentShardId", s.parent_shard_id);
}

template <class V>
void describe(V& v, StreamDescription& s) {
  v("StreamArn", s.stream_arn);
  v("StreamLabel", s.stream_label);
  v("StreamStatus", s.stream_status);
  v("StreamViewType", s.stream_view_type);
  v("CreationRequestDateTime", s.creation_request_date_time);
  v("TableName", s.table_name);
  v("KeySchema", s.key_schema);
  v("Shards", s.shards);
  v("LastEvaluatedShardId", s.last_evaluated_shard_id);
}

template <class V>
void describe(V& v, DescribeStreamRequest& s) {
  v("StreamArn", s.stream_arn, required);
  v("Limit", s.limit);
  v("ExclusiveStartShardId", s.exclusive_start_shard_id);
}

template <class V>
void describe(V& v, DescribeStreamResponse& s) {
  v("StreamDescription", s.stream_description);
}

template <class V>
void describe(V& v, GetShardIteratorRequest& s) {
  v("StreamArn", s.stream_arn, required);
  v("ShardId", s.shard_id, required);
  v("ShardIteratorType", s.shard_iterator_type, required);
  v("SequenceNumber", s.sequence_number);
}

template <class V>
void describe(V& v, GetShardIteratorResponse& s) {
  v("ShardIterator", s.shard_iterator);
}

template <class V>
void describe(V& v, Identity& s) {
  v("PrincipalId", s.principal_id);
  v("Type", s.type);
}

template <class V>
void describe(V& v, StreamRecordData& s) {
  v("ApproximateCreationDateTime", s.approximate_creation_date_time);
  v("Keys", s.keys);
  v("NewImage", s.new_image);
  v("OldImage", s.old_image);
  v("SequenceNumber", s.sequence_number);
  v("SizeBytes", s.size_bytes);
  v("StreamViewType", s.stream_view_type);
}

template <class V>
void describe(V& v, StreamRecord& s) {
  v("eventID", s.event_id);
  v("eventName", s.event_name);
  v("eventVersion", s.event_version);
  v("eventSource", s.event_source);
  v("awsRegion", s.aws_region);
  v("dynamodb", s.dynamodb);
  v("userIdentity", s.user_identity);
}

template <class V>
void describe(V& v, GetRecordsRequest& s) {
  v("ShardIterator", s.shard_iterator, required);
  v("Limit", s.limit);
}

template <class V>
void describe(V& v, GetRecordsResponse& s) {
  v("Records", s.records);
  v("NextShardIterator", s.next_shard_iterator);
}

}  // namespace wire

DYNAMO_API_DEFINE_CODEC(ListStreamsRequest, true)
DYNAMO_API_DEFINE_CODEC(ListStreamsResponse, false)
DYNAMO_API_DEFINE_CODEC(DescribeStreamRequest, true)
DYNAMO_API_DEFINE_CODEC(DescribeStreamResponse, false)
DYNAMO_API_DEFINE_CODEC(GetShardIteratorRequest, true)
DYNAMO_API_DEFINE_CODEC(GetShardIteratorResponse, false)
DYNAMO_API_DEFINE_CODEC(GetRecordsRequest, true)
DYNAMO_API_DEFINE_CODEC(GetRecordsResponse, false)

}  // namespace dynamo::api
