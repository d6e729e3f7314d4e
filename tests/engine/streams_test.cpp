// DynamoDB Streams in the engine: which writes record what, the four view types, the
// Streams API's paging and iterator types, enabling and disabling, DeleteTable, iterator
// expiry, retention and shard roll-over (with an injected clock), and waiting for records.
#include <atomic>
#include <thread>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  std::atomic<std::int64_t> ms{1'764'566'400'000};  // 2025-12-01T05:20:00Z
  EngineOptions options() {
    EngineOptions o = quiet_options();
    o.clock = [this] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms.load())); };
    return o;
  }
  void advance(std::chrono::milliseconds by) { ms += by.count(); }
};

CreateTableRequest streamed(const std::string& name, StreamViewType view, bool with_sort = false) {
  auto request = table_request(name, with_sort ? std::optional(ScalarAttributeType::n) : std::nullopt);
  request.stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = view};
  return request;
}

std::string stream_arn(Engine& engine, const std::string& table) {
  auto described = engine.describe_table({.table_name = table});
  return described.table->latest_stream_arn.value_or("");
}

std::vector<Shard> shards_of(Engine& engine, const std::string& arn) {
  return *engine.describe_stream({.stream_arn = arn}).stream_description->shards;
}

std::string iterator_at(Engine& engine, const std::string& arn, const std::string& shard,
                        ShardIteratorType type = ShardIteratorType::trim_horizon,
                        std::optional<std::string> sequence = std::nullopt) {
  return *engine
              .get_shard_iterator(
                  {.stream_arn = arn, .shard_id = shard, .shard_iterator_type = type, .sequence_number = sequence})
              .shard_iterator;
}

// Every record of the stream's shards, oldest first.
std::vector<StreamRecord> all_records(Engine& engine, const std::string& arn) {
  std::vector<StreamRecord> out;
  for (const Shard& shard : shards_of(engine, arn)) {
    std::optional<std::string> iterator = iterator_at(engine, arn, *shard.shard_id);
    for (int pages = 0; iterator && pages < 100; ++pages) {
      auto page = engine.get_records({.shard_iterator = *iterator});
      if (page.records->empty()) break;
      out.insert(out.end(), page.records->begin(), page.records->end());
      iterator = page.next_shard_iterator;
    }
  }
  return out;
}

TEST(EngineStreams, CreateTableReportsTheStream) {
  FakeClock clock;
  Engine engine(clock.options());
  auto created = engine.create_table(streamed("Thread", StreamViewType::new_and_old_images));
  const auto& table = *created.table_description;
  ASSERT_TRUE(table.latest_stream_arn);
  EXPECT_EQ(*table.latest_stream_label, "2025-12-01T05:20:00.000");
  EXPECT_EQ(*table.latest_stream_arn,
            "arn:aws:dynamodb:us-east-1:000000000000:table/Thread/stream/2025-12-01T05:20:00.000");
  EXPECT_EQ(table.stream_specification->stream_view_type, StreamViewType::new_and_old_images);
  EXPECT_EQ(stream_arn(engine, "Thread"), *table.latest_stream_arn);

  auto description = *engine.describe_stream({.stream_arn = *table.latest_stream_arn}).stream_description;
  EXPECT_EQ(description.stream_status, StreamStatus::enabled);
  EXPECT_EQ(description.table_name, "Thread");
  EXPECT_EQ(description.stream_view_type, StreamViewType::new_and_old_images);
  ASSERT_EQ(description.shards->size(), 1u);
  const Shard& shard = description.shards->front();
  EXPECT_EQ(shard.shard_id->rfind("shardId-", 0), 0u);
  EXPECT_FALSE(shard.parent_shard_id);
  EXPECT_FALSE(shard.sequence_number_range->ending_sequence_number);  // open
  EXPECT_EQ(description.key_schema->front().attribute_name, "pk");
}

TEST(EngineStreams, WritesRecordInsertModifyRemoveWithBothImages) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::new_and_old_images));
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});
  (void)engine.update_item({.table_name = "Tbl", .key = {{"pk", "a"}}, .update_expression = "SET v = :two",
                            .expression_attribute_values = ExpressionAttributeValues{{":two", 2}}});
  (void)engine.delete_item({.table_name = "Tbl", .key = {{"pk", "a"}}});

  const auto records = all_records(engine, stream_arn(engine, "Tbl"));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].event_name, OperationType::insert);
  EXPECT_EQ(records[1].event_name, OperationType::modify);
  EXPECT_EQ(records[2].event_name, OperationType::remove);
  const auto& insert = *records[0].dynamodb;
  EXPECT_EQ(insert.keys, (Item{{"pk", "a"}}));
  EXPECT_EQ(insert.new_image, (Item{{"pk", "a"}, {"v", 1}}));
  EXPECT_FALSE(insert.old_image);
  EXPECT_EQ(records[1].dynamodb->old_image, (Item{{"pk", "a"}, {"v", 1}}));
  EXPECT_EQ(records[1].dynamodb->new_image, (Item{{"pk", "a"}, {"v", 2}}));
  EXPECT_EQ(records[2].dynamodb->old_image, (Item{{"pk", "a"}, {"v", 2}}));
  EXPECT_FALSE(records[2].dynamodb->new_image);
  for (const auto& record : records) {
    EXPECT_EQ(record.event_source, "aws:dynamodb");
    EXPECT_EQ(record.event_version, "1.1");
    EXPECT_EQ(record.aws_region, "us-east-1");
    EXPECT_EQ(record.event_id->size(), 32u);
    EXPECT_FALSE(record.user_identity);
    EXPECT_EQ(record.dynamodb->stream_view_type, StreamViewType::new_and_old_images);
    EXPECT_EQ(record.dynamodb->approximate_creation_date_time, 1'764'566'400.0);
    EXPECT_GT(*record.dynamodb->size_bytes, 0);
  }
  // Sequence numbers increase, as numbers and as text.
  EXPECT_LT(*records[0].dynamodb->sequence_number, *records[1].dynamodb->sequence_number);
  EXPECT_LT(*records[1].dynamodb->sequence_number, *records[2].dynamodb->sequence_number);
  EXPECT_NE(records[0].event_id, records[1].event_id);
}

TEST(EngineStreams, ViewTypesChooseTheImages) {
  struct Case {
    StreamViewType view;
    bool new_image;
    bool old_image;
  };
  for (const Case& c : {Case{StreamViewType::keys_only, false, false}, Case{StreamViewType::new_image, true, false},
                        Case{StreamViewType::old_image, false, true},
                        Case{StreamViewType::new_and_old_images, true, true}}) {
    Engine engine(quiet_options());
    (void)engine.create_table(streamed("Tbl", c.view, true));
    put(engine, "Tbl", {{"pk", "a"}, {"sk", 1}, {"v", "x"}});
    put(engine, "Tbl", {{"pk", "a"}, {"sk", 1}, {"v", "y"}});
    const auto records = all_records(engine, stream_arn(engine, "Tbl"));
    ASSERT_EQ(records.size(), 2u);
    const auto& modify = *records[1].dynamodb;
    EXPECT_EQ(modify.keys, (Item{{"pk", "a"}, {"sk", 1}}));
    EXPECT_EQ(modify.new_image.has_value(), c.new_image) << to_string(c.view);
    EXPECT_EQ(modify.old_image.has_value(), c.old_image) << to_string(c.view);
    EXPECT_EQ(modify.stream_view_type, c.view);
  }
}

TEST(EngineStreams, WritesThatChangeNothingRecordNothing) {
  Engine engine(quiet_options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});
  put(engine, "Tbl", {{"pk", "a"}, {"v", 1}});                               // the same item again
  (void)engine.delete_item({.table_name = "Tbl", .key = {{"pk", "absent"}}});  // nothing to delete
  (void)engine.update_item({.table_name = "Tbl", .key = {{"pk", "a"}}, .update_expression = "SET v = :one",
                            .expression_attribute_values = ExpressionAttributeValues{{":one", 1}}});
  EXPECT_EQ(all_records(engine, stream_arn(engine, "Tbl")).size(), 1u);
}

TEST(EngineStreams, BatchTransactionAndPartiqlWritesRecord) {
  Engine engine(quiet_options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::new_image));
  (void)engine.create_table(table_request("Plain"));
  (void)engine.batch_write_item({.request_items = {{"Tbl",
                                                    {{.put_request = PutRequest{.item = {{"pk", "b1"}}}},
                                                     {.put_request = PutRequest{.item = {{"pk", "b2"}}}}}},
                                                   {"Plain", {{.put_request = PutRequest{.item = {{"pk", "p"}}}}}}}});
  (void)engine.transact_write_items(
      {.transact_items = {{.put = TransactPut{.item = {{"pk", "t1"}}, .table_name = "Tbl"}},
                          {.delete_ = TransactDelete{.key = {{"pk", "b1"}}, .table_name = "Tbl"}},
                          {.put = TransactPut{.item = {{"pk", "q"}}, .table_name = "Plain"}}}});
  (void)engine.execute_statement({.statement = R"(INSERT INTO "Tbl" VALUE {'pk': 'sql'})"});
  const auto records = all_records(engine, stream_arn(engine, "Tbl"));
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].dynamodb->keys, (Item{{"pk", "b1"}}));
  EXPECT_EQ(records[1].dynamodb->keys, (Item{{"pk", "b2"}}));
  EXPECT_EQ(records[2].dynamodb->keys, (Item{{"pk", "t1"}}));
  EXPECT_EQ(records[3].event_name, OperationType::remove);
  EXPECT_EQ(records[4].dynamodb->new_image, (Item{{"pk", "sql"}}));
  // A table without a stream has none.
  EXPECT_FALSE(engine.describe_table({.table_name = "Plain"}).table->latest_stream_arn);
}

TEST(EngineStreams, TimeToLiveDeletionsNameTheService) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::old_image));
  (void)engine.update_time_to_live(
      {.table_name = "Tbl", .time_to_live_specification = {.enabled = true, .attribute_name = "expires"}});
  put(engine, "Tbl", {{"pk", "old"}, {"expires", clock.ms / 1000 - 10}});
  (void)engine.delete_item({.table_name = "Tbl", .key = {{"pk", "never"}}});
  EXPECT_EQ(engine.sweep_expired_items(), 1u);
  const auto records = all_records(engine, stream_arn(engine, "Tbl"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_FALSE(records[0].user_identity);
  ASSERT_TRUE(records[1].user_identity);
  EXPECT_EQ(records[1].event_name, OperationType::remove);
  EXPECT_EQ(records[1].user_identity->type, "Service");
  EXPECT_EQ(records[1].user_identity->principal_id, "dynamodb.amazonaws.com");
  EXPECT_TRUE(records[1].dynamodb->old_image);
}

TEST(EngineStreams, IteratorTypesAndPaging) {
  Engine engine(quiet_options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  for (int i = 0; i < 5; ++i) put(engine, "Tbl", {{"pk", "k" + std::to_string(i)}});
  const std::string arn = stream_arn(engine, "Tbl");
  const std::string shard = *shards_of(engine, arn).front().shard_id;

  auto first = engine.get_records({.shard_iterator = iterator_at(engine, arn, shard), .limit = 2});
  ASSERT_EQ(first.records->size(), 2u);
  ASSERT_TRUE(first.next_shard_iterator);
  auto rest = engine.get_records({.shard_iterator = *first.next_shard_iterator});
  ASSERT_EQ(rest.records->size(), 3u);
  EXPECT_EQ(rest.records->front().dynamodb->keys, (Item{{"pk", "k2"}}));
  ASSERT_TRUE(rest.next_shard_iterator);  // the shard is open: more may come
  EXPECT_TRUE(engine.get_records({.shard_iterator = *rest.next_shard_iterator}).records->empty());

  const std::string third = *rest.records->front().dynamodb->sequence_number;
  auto at = engine.get_records(
      {.shard_iterator = iterator_at(engine, arn, shard, ShardIteratorType::at_sequence_number, third)});
  EXPECT_EQ(at.records->size(), 3u);
  auto after = engine.get_records(
      {.shard_iterator = iterator_at(engine, arn, shard, ShardIteratorType::after_sequence_number, third)});
  ASSERT_EQ(after.records->size(), 2u);
  EXPECT_EQ(after.records->front().dynamodb->keys, (Item{{"pk", "k3"}}));

  const std::string latest = iterator_at(engine, arn, shard, ShardIteratorType::latest);
  EXPECT_TRUE(engine.get_records({.shard_iterator = latest}).records->empty());
  put(engine, "Tbl", {{"pk", "new"}});
  auto fresh = engine.get_records({.shard_iterator = latest});
  ASSERT_EQ(fresh.records->size(), 1u);
  EXPECT_EQ(fresh.records->front().dynamodb->keys, (Item{{"pk", "new"}}));
}

TEST(EngineStreams, StreamsApiErrors) {
  Engine engine(quiet_options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  const std::string arn = stream_arn(engine, "Tbl");
  const std::string shard = *shards_of(engine, arn).front().shard_id;
  const std::string missing = "arn:aws:dynamodb:us-east-1:000000000000:table/Tbl/stream/2000-01-01T00:00:00.000";
  EXPECT_DYNAMO_ERROR(engine.describe_stream({.stream_arn = missing}), "ResourceNotFoundException",
                      "Requested resource not found: Stream: " + missing + " not found");
  EXPECT_DYNAMO_ERROR(engine.get_shard_iterator({.stream_arn = arn,
                                                 .shard_id = "shardId-00000000000000000000-00000000",
                                                 .shard_iterator_type = ShardIteratorType::latest}),
                      "ResourceNotFoundException", "Requested resource not found: Shard does not exist");
  EXPECT_DYNAMO_ERROR(engine.get_shard_iterator({.stream_arn = arn, .shard_id = shard,
                                                 .shard_iterator_type = ShardIteratorType::at_sequence_number}),
                      validation, "Must specify SequenceNumber for the ShardIteratorType AT_SEQUENCE_NUMBER");
  EXPECT_DYNAMO_ERROR(engine.get_records({.shard_iterator = "not an iterator"}), validation, "Invalid ShardIterator");
  EXPECT_DYNAMO_ERROR(engine.get_records({.shard_iterator = iterator_at(engine, arn, shard), .limit = 1001}), validation,
                      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must "
                      "have value less than or equal to 1000");
  EXPECT_DYNAMO_ERROR(engine.list_streams({.limit = 0}), validation,
                      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                      "have value greater than or equal to 1");
}

TEST(EngineStreams, ListStreamsByTableWithPaging) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tab", StreamViewType::keys_only));
  (void)engine.create_table(streamed("Tbb", StreamViewType::keys_only));
  (void)engine.create_table(table_request("Tbc"));
  auto all = engine.list_streams({});
  ASSERT_EQ(all.streams->size(), 2u);
  EXPECT_FALSE(all.last_evaluated_stream_arn);
  auto page = engine.list_streams({.limit = 1});
  ASSERT_EQ(page.streams->size(), 1u);
  ASSERT_TRUE(page.last_evaluated_stream_arn);
  auto next = engine.list_streams({.exclusive_start_stream_arn = page.last_evaluated_stream_arn});
  ASSERT_EQ(next.streams->size(), 1u);
  EXPECT_NE(next.streams->front().stream_arn, page.streams->front().stream_arn);
  auto only_b = engine.list_streams({.table_name = "Tbb"});
  ASSERT_EQ(only_b.streams->size(), 1u);
  EXPECT_EQ(only_b.streams->front().table_name, "Tbb");
  EXPECT_EQ(only_b.streams->front().stream_arn, stream_arn(engine, "Tbb"));
  EXPECT_TRUE(engine.list_streams({.table_name = "Tbc"}).streams->empty());
}

TEST(EngineStreams, DisablingClosesAndEnablingMakesANewStream) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(table_request("Tbl"));
  EXPECT_DYNAMO_ERROR(engine.update_table({.table_name = "Tbl", .stream_specification = StreamSpecification{}}), validation,
                      "Table has no stream to disable: TableName: Tbl");
  EXPECT_DYNAMO_ERROR(
      engine.update_table({.table_name = "Tbl", .stream_specification = StreamSpecification{.stream_enabled = true}}),
      validation, "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required");
  auto enabled = engine.update_table(
      {.table_name = "Tbl",
       .stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::new_image}});
  const std::string first = *enabled.table_description->latest_stream_arn;
  EXPECT_DYNAMO_ERROR(
      engine.update_table(
          {.table_name = "Tbl",
           .stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::keys_only}}),
      validation, "Table already has an enabled stream: TableName: Tbl");
  EXPECT_DYNAMO_ERROR(
      engine.update_table({.table_name = "Tbl",
                           .stream_specification = StreamSpecification{.stream_enabled = false,
                                                                       .stream_view_type = StreamViewType::keys_only}}),
      validation,
      "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified");
  put(engine, "Tbl", {{"pk", "a"}});

  auto disabled = engine.update_table({.table_name = "Tbl", .stream_specification = StreamSpecification{}});
  // The specification goes; the latest stream's ARN and label stay.
  EXPECT_FALSE(disabled.table_description->stream_specification);
  EXPECT_EQ(disabled.table_description->latest_stream_arn, first);
  put(engine, "Tbl", {{"pk", "b"}});  // not recorded anywhere
  auto closed = *engine.describe_stream({.stream_arn = first}).stream_description;
  EXPECT_EQ(closed.stream_status, StreamStatus::disabled);
  ASSERT_EQ(closed.shards->size(), 1u);
  ASSERT_TRUE(closed.shards->front().sequence_number_range->ending_sequence_number);
  // A closed shard read to its end has no next iterator.
  auto drained = engine.get_records({.shard_iterator = iterator_at(engine, first, *closed.shards->front().shard_id)});
  ASSERT_EQ(drained.records->size(), 1u);
  EXPECT_FALSE(drained.next_shard_iterator);

  clock.advance(1s);
  auto again = engine.update_table(
      {.table_name = "Tbl",
       .stream_specification = StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::keys_only}});
  const std::string second = *again.table_description->latest_stream_arn;
  EXPECT_NE(second, first);
  put(engine, "Tbl", {{"pk", "c"}});
  EXPECT_EQ(all_records(engine, first).size(), 1u);
  const auto fresh = all_records(engine, second);
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0].dynamodb->keys, (Item{{"pk", "c"}}));
  EXPECT_EQ(engine.list_streams({.table_name = "Tbl"}).streams->size(), 2u);
}

TEST(EngineStreams, DeletedTablesStreamStaysReadable) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  put(engine, "Tbl", {{"pk", "a"}});
  const std::string arn = stream_arn(engine, "Tbl");
  (void)engine.delete_table({.table_name = "Tbl"});
  auto description = *engine.describe_stream({.stream_arn = arn}).stream_description;
  EXPECT_EQ(description.stream_status, StreamStatus::disabled);
  EXPECT_EQ(all_records(engine, arn).size(), 1u);
  // Until retention ends: then the stream is gone.
  clock.advance(25h);
  EXPECT_EQ(engine.trim_streams(), 1u);
  EXPECT_DYNAMO_ERROR(engine.describe_stream({.stream_arn = arn}), "ResourceNotFoundException",
                      "Requested resource not found: Stream: " + arn + " not found");
}

TEST(EngineStreams, IteratorsExpireAfterFifteenMinutes) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  const std::string arn = stream_arn(engine, "Tbl");
  const std::string iterator = iterator_at(engine, arn, *shards_of(engine, arn).front().shard_id);
  clock.advance(14min);
  EXPECT_NO_THROW((void)engine.get_records({.shard_iterator = iterator}));
  clock.advance(2min);
  try {
    (void)engine.get_records({.shard_iterator = iterator});
    ADD_FAILURE() << "expected ExpiredIteratorException";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ExpiredIteratorException");
    EXPECT_NE(std::string(e.what()).find("tolerated delay of 900000 milliseconds"), std::string::npos) << e.what();
  }
}

TEST(EngineStreams, RecordsOlderThanADayAreTrimmed) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  put(engine, "Tbl", {{"pk", "old"}});
  const std::string arn = stream_arn(engine, "Tbl");
  const std::string shard = *shards_of(engine, arn).front().shard_id;
  const std::string old_sequence = *all_records(engine, arn).front().dynamodb->sequence_number;
  clock.advance(23h);
  put(engine, "Tbl", {{"pk", "new"}});  // rolls over to a child shard (shards live four hours)
  clock.advance(2h);
  EXPECT_EQ(engine.trim_streams(), 1u);
  // TRIM_HORIZON starts after what was trimmed; a position in the trimmed data is refused.
  const auto kept = all_records(engine, arn);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].dynamodb->keys, (Item{{"pk", "new"}}));
  // The first shard is gone with its records; the child remains and names its parent.
  const auto shards = shards_of(engine, arn);
  ASSERT_EQ(shards.size(), 1u);
  EXPECT_EQ(shards[0].parent_shard_id, shard);
  EXPECT_DYNAMO_ERROR(engine.get_shard_iterator({.stream_arn = arn, .shard_id = shard,
                                                 .shard_iterator_type = ShardIteratorType::at_sequence_number,
                                                 .sequence_number = old_sequence}),
                      "ResourceNotFoundException", "Requested resource not found: Shard does not exist");
}

TEST(EngineStreams, APositionInTrimmedDataIsRefused) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  put(engine, "Tbl", {{"pk", "old"}});
  const std::string arn = stream_arn(engine, "Tbl");
  const std::string shard = *shards_of(engine, arn).front().shard_id;
  const std::string old_sequence = *all_records(engine, arn).front().dynamodb->sequence_number;
  clock.advance(25h);
  EXPECT_EQ(engine.trim_streams(), 1u);
  try {
    (void)engine.get_shard_iterator({.stream_arn = arn, .shard_id = shard,
                                     .shard_iterator_type = ShardIteratorType::after_sequence_number,
                                     .sequence_number = old_sequence});
    ADD_FAILURE() << "expected TrimmedDataAccessException";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "TrimmedDataAccessException");
  }
  // TRIM_HORIZON still works: it starts at the oldest record kept.
  put(engine, "Tbl", {{"pk", "new"}});
  const auto kept = all_records(engine, arn);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].dynamodb->keys, (Item{{"pk", "new"}}));
}

TEST(EngineStreams, ShardsRollOverEveryFourHoursWithParentLinks) {
  FakeClock clock;
  Engine engine(clock.options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  put(engine, "Tbl", {{"pk", "1"}});
  clock.advance(4h);
  put(engine, "Tbl", {{"pk", "2"}});
  clock.advance(4h);
  put(engine, "Tbl", {{"pk", "3"}});
  const std::string arn = stream_arn(engine, "Tbl");
  const auto shards = shards_of(engine, arn);
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_FALSE(shards[0].parent_shard_id);
  EXPECT_EQ(shards[1].parent_shard_id, shards[0].shard_id);
  EXPECT_EQ(shards[2].parent_shard_id, shards[1].shard_id);
  EXPECT_TRUE(shards[0].sequence_number_range->ending_sequence_number);
  EXPECT_TRUE(shards[1].sequence_number_range->ending_sequence_number);
  EXPECT_FALSE(shards[2].sequence_number_range->ending_sequence_number);
  // Reading the shards in order gives the writes in order; closed shards end.
  const auto records = all_records(engine, arn);
  ASSERT_EQ(records.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(records[i].dynamodb->keys, (Item{{"pk", std::to_string(i + 1)}}));
  auto first = engine.get_records({.shard_iterator = iterator_at(engine, arn, *shards[0].shard_id)});
  EXPECT_FALSE(first.next_shard_iterator);
  // DescribeStream pages through shards.
  auto page = *engine.describe_stream({.stream_arn = arn, .limit = 2}).stream_description;
  ASSERT_EQ(page.shards->size(), 2u);
  EXPECT_EQ(page.last_evaluated_shard_id, shards[1].shard_id);
  auto rest = *engine.describe_stream({.stream_arn = arn, .exclusive_start_shard_id = page.last_evaluated_shard_id})
                   .stream_description;
  ASSERT_EQ(rest.shards->size(), 1u);
  EXPECT_EQ(rest.shards->front().shard_id, shards[2].shard_id);
}

TEST(EngineStreams, WaitForRecordsWakesOnAWrite) {
  Engine engine(quiet_options());
  (void)engine.create_table(streamed("Tbl", StreamViewType::keys_only));
  const std::string arn = stream_arn(engine, "Tbl");
  const std::string latest =
      iterator_at(engine, arn, *shards_of(engine, arn).front().shard_id, ShardIteratorType::latest);
  EXPECT_FALSE(engine.wait_for_records(latest, 20ms));
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    put(engine, "Tbl", {{"pk", "x"}});
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(engine.wait_for_records(latest, 10s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  writer.join();
  EXPECT_EQ(engine.get_records({.shard_iterator = latest}).records->size(), 1u);
}

}  // namespace
}  // namespace dynamo::engine::test
