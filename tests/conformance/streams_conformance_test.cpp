// The conformance rows of DynamoDB Streams: the same tests through Connection on every
// backend (see backends.hpp). Each test pins one behaviour of the Streams API as DynamoDB
// documents it; a peer that does not implement it is a known_gap() with the reason.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "conformance/backends.hpp"
#include "conformance/fixture.hpp"

namespace dynamo {
namespace {

using namespace api;
using testing::connect_to;
using testing::known_gap;

class StreamsConformance : public testing::BackendTest {
 protected:
  void SetUp() override {
    if (auto gap = known_gap(GetParam(), "streams"); !gap.empty()) GTEST_SKIP() << gap;
    BackendTest::SetUp();
  }

  // A table with key pk (S) and a stream of `view`; returns its name and stream ARN.
  std::pair<std::string, std::string> create(StreamViewType view) {
    CreateTableResponse created;
    const std::string name = BackendTest::create(
        {.table_name = fresh_name("streams"),
         .attribute_definitions = {{"pk", ScalarAttributeType::s}},
         .key_schema = {{"pk", KeyType::hash}},
         .stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = view}},
        &created);
    return {name, created.table_description->latest_stream_arn.value_or("")};
  }

  std::string first_shard(const std::string& arn) {
    auto description = db().describe_stream({.stream_arn = arn});
    return description.stream_description->shards->front().shard_id.value_or("");
  }

  std::string iterator(const std::string& arn, ShardIteratorType type = ShardIteratorType::trim_horizon,
                       std::optional<std::string> sequence = std::nullopt) {
    return db()
        .get_shard_iterator(
            {.stream_arn = arn, .shard_id = first_shard(arn), .shard_iterator_type = type, .sequence_number = sequence})
        .shard_iterator.value_or("");
  }

  // Every record of the first shard from its start.
  std::vector<StreamRecord> records(const std::string& arn) {
    std::vector<StreamRecord> out;
    std::optional<std::string> at = iterator(arn);
    for (int pages = 0; at && pages < 20; ++pages) {
      auto page = db().get_records({.shard_iterator = *at});
      if (page.records->empty()) break;
      out.insert(out.end(), page.records->begin(), page.records->end());
      at = page.next_shard_iterator;
    }
    return out;
  }
};

// CreateTable with a StreamSpecification: DescribeTable names the stream; DescribeStream
// shows it ENABLED with one open shard and the table's key schema.
TEST_P(StreamsConformance, CreateTableEnablesAStream) {
  auto [table, arn] = create(StreamViewType::new_and_old_images);
  ASSERT_FALSE(arn.empty());
  auto described = db().describe_table({.table_name = table});
  EXPECT_EQ(described.table->latest_stream_arn, arn);
  EXPECT_TRUE(described.table->latest_stream_label);
  EXPECT_TRUE(described.table->stream_specification->stream_enabled);
  auto stream = *db().describe_stream({.stream_arn = arn}).stream_description;
  EXPECT_EQ(stream.stream_status, StreamStatus::enabled);
  EXPECT_EQ(stream.table_name, table);
  EXPECT_EQ(stream.stream_view_type, StreamViewType::new_and_old_images);
  ASSERT_FALSE(stream.shards->empty());
  EXPECT_TRUE(stream.shards->front().sequence_number_range->starting_sequence_number);
  EXPECT_EQ(stream.key_schema->front().attribute_name, "pk");
}

// INSERT, MODIFY and REMOVE with the images NEW_AND_OLD_IMAGES asks for, in order.
TEST_P(StreamsConformance, ChangesAreRecordedInOrderWithImages) {
  auto [table, arn] = create(StreamViewType::new_and_old_images);
  db().put_item({.table_name = table, .item = {{"pk", "a"}, {"v", 1}}});
  db().update_item({.table_name = table, .key = {{"pk", "a"}}, .update_expression = "SET v = :v",
                    .expression_attribute_values = ExpressionAttributeValues{{":v", 2}}});
  db().delete_item({.table_name = table, .key = {{"pk", "a"}}});
  const auto got = records(arn);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].event_name, OperationType::insert);
  EXPECT_EQ(got[1].event_name, OperationType::modify);
  EXPECT_EQ(got[2].event_name, OperationType::remove);
  EXPECT_EQ(got[0].event_source, "aws:dynamodb");
  EXPECT_EQ(got[0].dynamodb->keys, (Item{{"pk", "a"}}));
  EXPECT_EQ(got[0].dynamodb->new_image, (Item{{"pk", "a"}, {"v", 1}}));
  EXPECT_FALSE(got[0].dynamodb->old_image);
  EXPECT_EQ(got[1].dynamodb->old_image, (Item{{"pk", "a"}, {"v", 1}}));
  EXPECT_EQ(got[1].dynamodb->new_image, (Item{{"pk", "a"}, {"v", 2}}));
  EXPECT_EQ(got[2].dynamodb->old_image, (Item{{"pk", "a"}, {"v", 2}}));
  EXPECT_FALSE(got[2].dynamodb->new_image);
  EXPECT_EQ(got[2].dynamodb->stream_view_type, StreamViewType::new_and_old_images);
}

// KEYS_ONLY records carry keys and no image.
TEST_P(StreamsConformance, KeysOnlyRecordsCarryNoImages) {
  auto [table, arn] = create(StreamViewType::keys_only);
  db().put_item({.table_name = table, .item = {{"pk", "k"}, {"v", "x"}}});
  const auto got = records(arn);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].dynamodb->keys, (Item{{"pk", "k"}}));
  EXPECT_FALSE(got[0].dynamodb->new_image);
  EXPECT_FALSE(got[0].dynamodb->old_image);
}

// "If you perform a PutItem or UpdateItem operation that does not change any data in an item,
// DynamoDB Streams does not write a stream record for that operation."
TEST_P(StreamsConformance, AWriteThatChangesNothingRecordsNothing) {
  if (auto gap = known_gap(GetParam(), "streams_unchanged_write"); !gap.empty()) GTEST_SKIP() << gap;
  auto [table, arn] = create(StreamViewType::keys_only);
  db().put_item({.table_name = table, .item = {{"pk", "a"}, {"v", 1}}});
  db().put_item({.table_name = table, .item = {{"pk", "a"}, {"v", 1}}});
  db().delete_item({.table_name = table, .key = {{"pk", "absent"}}});
  EXPECT_EQ(records(arn).size(), 1u);
}

// GetRecords' Limit pages through a shard; the next iterator continues after the last record.
TEST_P(StreamsConformance, GetRecordsPagesWithLimit) {
  auto [table, arn] = create(StreamViewType::keys_only);
  for (int i = 0; i < 4; ++i) db().put_item({.table_name = table, .item = {{"pk", "k" + std::to_string(i)}}});
  auto first = db().get_records({.shard_iterator = iterator(arn), .limit = 3});
  ASSERT_EQ(first.records->size(), 3u);
  ASSERT_TRUE(first.next_shard_iterator);
  auto second = db().get_records({.shard_iterator = *first.next_shard_iterator});
  ASSERT_EQ(second.records->size(), 1u);
  EXPECT_EQ(second.records->front().dynamodb->keys, (Item{{"pk", "k3"}}));
}

// AT_SEQUENCE_NUMBER starts at a record, AFTER_SEQUENCE_NUMBER after it, LATEST after the
// last record there is.
TEST_P(StreamsConformance, IteratorTypes) {
  if (auto gap = known_gap(GetParam(), "streams_iterator_types"); !gap.empty()) GTEST_SKIP() << gap;
  auto [table, arn] = create(StreamViewType::keys_only);
  for (int i = 0; i < 3; ++i) db().put_item({.table_name = table, .item = {{"pk", "k" + std::to_string(i)}}});
  const auto all = records(arn);
  ASSERT_EQ(all.size(), 3u);
  const std::string second = *all[1].dynamodb->sequence_number;
  auto at = db().get_records({.shard_iterator = iterator(arn, ShardIteratorType::at_sequence_number, second)});
  ASSERT_EQ(at.records->size(), 2u);
  EXPECT_EQ(at.records->front().dynamodb->keys, (Item{{"pk", "k1"}}));
  auto after = db().get_records({.shard_iterator = iterator(arn, ShardIteratorType::after_sequence_number, second)});
  ASSERT_EQ(after.records->size(), 1u);
  EXPECT_EQ(after.records->front().dynamodb->keys, (Item{{"pk", "k2"}}));
  const std::string latest = iterator(arn, ShardIteratorType::latest);
  EXPECT_TRUE(db().get_records({.shard_iterator = latest}).records->empty());
  db().put_item({.table_name = table, .item = {{"pk", "late"}}});
  auto late = db().get_records({.shard_iterator = latest});
  ASSERT_EQ(late.records->size(), 1u);
  EXPECT_EQ(late.records->front().dynamodb->keys, (Item{{"pk", "late"}}));
}

// ListStreams by table names the table's stream.
TEST_P(StreamsConformance, ListStreamsByTable) {
  auto [table, arn] = create(StreamViewType::keys_only);
  auto listed = db().list_streams({.table_name = table});
  ASSERT_EQ(listed.streams->size(), 1u);
  EXPECT_EQ(listed.streams->front().stream_arn, arn);
  EXPECT_EQ(listed.streams->front().table_name, table);
}

// UpdateTable's stream rules: enabling an enabled stream and disabling an absent one are
// ValidationExceptions; disabling leaves the stream DISABLED; enabling again makes a new ARN.
TEST_P(StreamsConformance, DisableAndEnableAgain) {
  if (auto gap = known_gap(GetParam(), "streams_update_rules"); !gap.empty()) GTEST_SKIP() << gap;
  auto [table, arn] = create(StreamViewType::keys_only);
  try {
    db().update_table({.table_name = table,
                       .stream_specification =
                           StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::new_image}});
    ADD_FAILURE() << "enabling an enabled stream was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_NE(std::string(e.what()).find("Table already has an enabled stream"), std::string::npos) << e.what();
  }
  db().update_table({.table_name = table, .stream_specification = StreamSpecification{.stream_enabled = false}});
  auto closed = *db().describe_stream({.stream_arn = arn}).stream_description;
  EXPECT_EQ(closed.stream_status, StreamStatus::disabled);
  try {
    db().update_table({.table_name = table, .stream_specification = StreamSpecification{.stream_enabled = false}});
    ADD_FAILURE() << "disabling an absent stream was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // labels have millisecond resolution
  auto again = db().update_table(
      {.table_name = table,
       .stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::keys_only}});
  EXPECT_NE(again.table_description->latest_stream_arn.value_or(arn), arn);
}

// Errors: an unknown stream is ResourceNotFoundException; a malformed iterator is refused.
TEST_P(StreamsConformance, Errors) {
  const std::string missing = "arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/2000-01-01T00:00:00.000";
  try {
    (void)db().describe_stream({.stream_arn = missing});
    ADD_FAILURE() << "an unknown stream was described";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ResourceNotFoundException");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StreamsConformance, ::testing::ValuesIn(testing::conformance_backends()),
                         [](const ::testing::TestParamInfo<std::string>& row) { return row.param; });

}  // namespace
}  // namespace dynamo
