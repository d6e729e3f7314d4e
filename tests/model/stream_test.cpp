// ChangeStream: a table's stream read as typed change records, on the embedded engine
// (which wakes a waiting reader without polling) and through dynamo-server over HTTP (which
// polls with backoff): images decoded as the model, the order of changes, resuming from a
// saved position, starting at LATEST, polymorphic tables, following shards across a
// disabled stream, and the refusal of a table without a stream.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "model/backend_fixture.hpp"
#include "model/models.hpp"

namespace streams_test {

struct Reading {
  std::string sensor{};  // hash key
  int value = 0;
  std::string unit{};
};

struct Cat {
  std::string id{};
  std::string name{};
};
struct Dog {
  std::string id{};
  int barks = 0;
};

}  // namespace streams_test

template <>
struct dynamo::model<streams_test::Reading> {
  static auto schema() {
    return dynamo::table<streams_test::Reading>("stream_readings")
        .hash_key("sensor", &streams_test::Reading::sensor)
        .attribute("value", &streams_test::Reading::value)
        .attribute("unit", &streams_test::Reading::unit);
  }
};
template <>
struct dynamo::model<streams_test::Cat> {
  static auto schema() {
    return dynamo::table<streams_test::Cat>("stream_pets")
        .hash_key("id", &streams_test::Cat::id)
        .discriminator("kind", "Cat")
        .attribute("name", &streams_test::Cat::name);
  }
};
template <>
struct dynamo::model<streams_test::Dog> {
  static auto schema() {
    return dynamo::table<streams_test::Dog>("stream_pets")
        .hash_key("id", &streams_test::Dog::id)
        .discriminator("kind", "Dog")
        .attribute("barks", &streams_test::Dog::barks);
  }
};

namespace streams_test {
namespace {

using namespace std::chrono_literals;
using dynamo::api::OperationType;
using dynamo::api::StreamViewType;

class ChangeStreamTest : public model_test::BackendTest {
 protected:
  dynamo::ModelTable<Reading> readings(StreamViewType view = StreamViewType::new_and_old_images) {
    return fresh<Reading>({.wait = true, .stream_view_type = view});
  }
  // Reads until `count` changes arrived (or fails after a while).
  template <class Model>
  std::vector<dynamo::Change<Model>> read(dynamo::ChangeStream<Model>& stream, std::size_t count) {
    std::vector<dynamo::Change<Model>> out;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
      for (auto& change : stream.next(2s)) out.push_back(std::move(change));
    }
    return out;
  }
};

TEST_P(ChangeStreamTest, ImagesComeBackAsTheModel) {
  auto table = readings();
  dynamo::ChangeStream<Reading> stream(*db_);
  table.save(Reading{.sensor = "s1", .value = 20, .unit = "C"});
  table.save(Reading{.sensor = "s1", .value = 21, .unit = "C"});
  table.remove_key("s1");
  const auto changes = read(stream, 3);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind, OperationType::insert);
  EXPECT_EQ(changes[0].new_image->value, 20);
  EXPECT_FALSE(changes[0].old_image);
  EXPECT_EQ(changes[1].kind, OperationType::modify);
  EXPECT_EQ(changes[1].old_image->value, 20);
  EXPECT_EQ(changes[1].new_image->value, 21);
  EXPECT_EQ(changes[2].kind, OperationType::remove);
  EXPECT_EQ(changes[2].old_image->unit, "C");
  EXPECT_FALSE(changes[2].new_image);
  EXPECT_EQ(changes[2].keys, (dynamo::Item{{"sensor", "s1"}}));
  EXPECT_FALSE(changes[2].by_time_to_live);
  EXPECT_FALSE(changes[0].sequence_number.empty());
  EXPECT_TRUE(stream.next().empty());  // nothing more, and no wait asked for
}

TEST_P(ChangeStreamTest, ResumesFromASavedPosition) {
  auto table = readings(StreamViewType::keys_only);
  dynamo::StreamPosition saved;
  {
    dynamo::ChangeStream<Reading> stream(*db_);
    table.save(Reading{.sensor = "a"});
    table.save(Reading{.sensor = "b"});
    ASSERT_EQ(read(stream, 2).size(), 2u);
    saved = stream.position();
  }
  table.save(Reading{.sensor = "c"});
  dynamo::ChangeStream<Reading> resumed(*db_, {.position = saved});
  const auto changes = read(resumed, 1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].keys, (dynamo::Item{{"sensor", "c"}}));
  EXPECT_FALSE(changes[0].new_image);  // KEYS_ONLY
  EXPECT_TRUE(resumed.next().empty());
}

TEST_P(ChangeStreamTest, LatestSkipsWhatCameBefore) {
  auto table = readings(StreamViewType::new_image);
  table.save(Reading{.sensor = "old"});
  dynamo::ChangeStream<Reading> stream(*db_, {.start = dynamo::api::ShardIteratorType::latest});
  EXPECT_TRUE(stream.next().empty());
  table.save(Reading{.sensor = "new", .value = 1});
  const auto changes = read(stream, 1);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].new_image->sensor, "new");
}

TEST_P(ChangeStreamTest, PolymorphicTablesYieldEachModel) {
  auto cats = fresh<Cat>({.wait = true, .stream_view_type = StreamViewType::new_image});
  dynamo::ChangeStream<std::variant<Cat, Dog>> stream(*db_);
  cats.save(Cat{.id = "1", .name = "Tom"});
  db_->table<Dog>().save(Dog{.id = "2", .barks = 3});
  const auto changes = read(stream, 2);
  ASSERT_EQ(changes.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<Cat>(*changes[0].new_image));
  EXPECT_EQ(std::get<Cat>(*changes[0].new_image).name, "Tom");
  ASSERT_TRUE(std::holds_alternative<Dog>(*changes[1].new_image));
  EXPECT_EQ(std::get<Dog>(*changes[1].new_image).barks, 3);
}

TEST_P(ChangeStreamTest, AClosedStreamFinishes) {
  auto table = readings(StreamViewType::keys_only);
  dynamo::ChangeStream<Reading> stream(*db_);
  table.save(Reading{.sensor = "x"});
  db_->update_table({.table_name = "stream_readings",
                     .stream_specification = dynamo::api::StreamSpecification{.stream_enabled = false}});
  EXPECT_EQ(read(stream, 1).size(), 1u);
  EXPECT_TRUE(stream.next().empty());
  EXPECT_TRUE(stream.finished());
}

TEST_P(ChangeStreamTest, ATableWithoutAStreamIsRefused) {
  (void)fresh<Reading>();
  try {
    dynamo::ChangeStream<Reading> stream(*db_);
    ADD_FAILURE() << "a reader was made for a table without a stream";
  } catch (const dynamo::ModelUsageError& e) {
    EXPECT_NE(std::string(e.what()).find("stream_readings has no stream"), std::string::npos) << e.what();
  }
}

// On the embedded engine a waiting reader is woken by the write itself.
TEST_P(ChangeStreamTest, AWaitingReaderWakesOnAWrite) {
  auto table = readings(StreamViewType::keys_only);
  dynamo::ChangeStream<Reading> stream(*db_);
  std::thread writer([&] {
    std::this_thread::sleep_for(100ms);
    table.save(Reading{.sensor = "w"});
  });
  const auto started = std::chrono::steady_clock::now();
  const auto changes = stream.next(10s);
  const auto waited = std::chrono::steady_clock::now() - started;
  writer.join();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_LT(waited, 5s);
}

std::vector<std::string> stream_backends() {
  std::vector<std::string> rows;
  for (const auto& backend : dynamo::testing::conformance_backends()) {
    if (backend == "embedded" || backend == "server") rows.push_back(backend);
  }
  return rows;
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangeStreamTest, ::testing::ValuesIn(stream_backends()),
                         [](const ::testing::TestParamInfo<std::string>& row) { return row.param; });

}  // namespace
}  // namespace streams_test
