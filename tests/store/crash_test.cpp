// Crash safety of the persistent engine: a child process streams writes and reports each
// one the engine acknowledged; the parent kills it with SIGKILL at a random moment, reopens
// the store, and checks that every acknowledged write is there. Several rounds on the same
// directory, for each store kind, and once through Connection::embedded(path).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "dynamo/client/connection.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/store/store.hpp"
#include "fork_child.hpp"
#include "temp_dir.hpp"

namespace dynamo::store {
namespace {

using namespace api;

using testing::fresh_dir;

const CreateTableRequest table_request{.table_name = "Log",
                                       .attribute_definitions = {{"pk", ScalarAttributeType::s},
                                                                 {"sk", ScalarAttributeType::n}},
                                       .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                                       .billing_mode = BillingMode::pay_per_request};

Item log_item(int i) { return {{"pk", "log"}, {"sk", i}, {"payload", std::string(300, static_cast<char>('a' + i % 26))}}; }

// The writer: runs in the child until killed. `write_one` performs write i and returns once
// it is acknowledged; the child then tells the parent through the pipe.
template <class WriteOne>
[[noreturn]] void run_writer(int ack_fd, int first, WriteOne write_one) {
  try {
    for (int i = first;; ++i) {
      write_one(i);
      if (::write(ack_fd, &i, sizeof i) != sizeof i) ::_exit(4);
    }
  } catch (...) {
    ::_exit(3);
  }
}

// Forks a writer, kills it after a random delay, and returns the writes it acknowledged.
template <class Writer>
std::vector<int> acknowledged_before_kill(std::mt19937& rng, Writer writer) {
  const auto [pid, read_fd] = testing::fork_with_pipe(writer);
  // Wait for the first acknowledgement before starting the clock: opening a store that
  // earlier rounds filled takes a while, more so under sanitizers, and a writer killed
  // before its first write would prove nothing.
  std::vector<int> acked;
  int value = 0;
  if (::read(read_fd, &value, sizeof value) == sizeof value) {
    acked.push_back(value);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 400)(rng)));
  }
  ::kill(pid, SIGKILL);
  while (::read(read_fd, &value, sizeof value) == sizeof value) acked.push_back(value);
  ::close(read_fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the writer died on its own, status " << status;
  return acked;
}

class CrashTest : public ::testing::TestWithParam<Kind> {};

// Every write acknowledged before SIGKILL is present, intact, after reopening.
TEST_P(CrashTest, AcknowledgedWritesSurviveSigkill) {
  const std::string dir = fresh_dir("dynamo-crash");
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  int next = 0;
  for (int round = 0; round < 4; ++round) {
    const std::vector<int> acked = acknowledged_before_kill(rng, [&](int ack_fd) {
      engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir, {.kind = GetParam()})});
      try {
        (void)engine.create_table(table_request);
      } catch (const Error&) {  // exists from an earlier round
      }
      run_writer(ack_fd, next, [&](int i) { (void)engine.put_item({.table_name = "Log", .item = log_item(i)}); });
    });
    ASSERT_FALSE(acked.empty()) << "round " << round << ": the writer acknowledged nothing";
    engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir, {.kind = GetParam()})});
    for (const int i : acked) {
      const auto got = engine.get_item({.table_name = "Log", .key = {{"pk", "log"}, {"sk", i}}});
      ASSERT_TRUE(got.item) << "round " << round << ": acknowledged write " << i << " was lost";
      ASSERT_EQ(*got.item, log_item(i));
    }
    // At most the one write in flight at the kill may also have landed.
    const auto count = static_cast<int>(engine.describe_table({.table_name = "Log"}).table->item_count.value_or(0));
    EXPECT_GE(count, acked.back() + 1);
    EXPECT_LE(count, acked.back() + 2);
    next = count;
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Kinds, CrashTest, ::testing::Values(Kind::lmdb, Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>& row) {
                           return std::string(row.param == Kind::lmdb ? "lmdb" : "sqlite");
                         });

// Writes and their stream records survive SIGKILL together: after each kill, the items in
// the table are exactly those whose INSERT records the stream holds, each once, in write
// order, and every acknowledged write is among them.
TEST_P(CrashTest, WritesAndStreamRecordsSurviveTogether) {
  const std::string dir = fresh_dir("dynamo-crash-stream");
  std::mt19937 rng(static_cast<unsigned>(::getpid()) + 1);
  CreateTableRequest streamed = table_request;
  streamed.stream_specification =
      StreamSpecification{.stream_enabled = true, .stream_view_type = StreamViewType::new_image};
  int next = 0;
  for (int round = 0; round < 3; ++round) {
    const std::vector<int> acked = acknowledged_before_kill(rng, [&](int ack_fd) {
      engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir, {.kind = GetParam()})});
      try {
        (void)engine.create_table(streamed);
      } catch (const Error&) {  // exists from an earlier round
      }
      run_writer(ack_fd, next, [&](int i) { (void)engine.put_item({.table_name = "Log", .item = log_item(i)}); });
    });
    ASSERT_FALSE(acked.empty()) << "round " << round;
    engine::Engine engine({.ttl_sweep_interval = std::chrono::milliseconds(0), .store = open(dir, {.kind = GetParam()})});
    const std::string arn = *engine.describe_table({.table_name = "Log"}).table->latest_stream_arn;
    std::vector<int> recorded;
    const auto shards = *engine.describe_stream({.stream_arn = arn}).stream_description->shards;
    for (const Shard& shard : shards) {
      std::optional<std::string> iterator =
          engine
              .get_shard_iterator(
                  {.stream_arn = arn, .shard_id = *shard.shard_id, .shard_iterator_type = ShardIteratorType::trim_horizon})
              .shard_iterator;
      while (iterator) {
        auto page = engine.get_records({.shard_iterator = *iterator});
        if (page.records->empty()) break;
        for (const auto& record : *page.records) {
          ASSERT_EQ(record.event_name, OperationType::insert);
          recorded.push_back(record.dynamodb->keys->at("sk").as_number().to<int>());
        }
        iterator = page.next_shard_iterator;
      }
    }
    const auto count = static_cast<int>(engine.describe_table({.table_name = "Log"}).table->item_count.value_or(0));
    ASSERT_EQ(static_cast<int>(recorded.size()), count) << "round " << round << ": items and records disagree";
    for (int i = 0; i < count; ++i) ASSERT_EQ(recorded[static_cast<std::size_t>(i)], i) << "round " << round;
    EXPECT_GE(count, acked.back() + 1);
    next = count;
  }
  std::filesystem::remove_all(dir);
}

// The same guarantee through the public entry point, Connection::embedded(path).
TEST(CrashTestConnection, EmbeddedPathSurvivesSigkill) {
  const std::string dir = fresh_dir("dynamo-crash-connection");
  std::mt19937 rng(7);
  const std::vector<int> acked = acknowledged_before_kill(rng, [&](int ack_fd) {
    auto db = Connection::embedded({.path = dir});
    db.create_table(table_request);
    run_writer(ack_fd, 0, [&](int i) { db.put_item({.table_name = "Log", .item = log_item(i)}); });
  });
  ASSERT_FALSE(acked.empty());
  auto db = Connection::embedded({.path = dir});
  for (const int i : acked) {
    ASSERT_TRUE(db.get_item({.table_name = "Log", .key = {{"pk", "log"}, {"sk", i}}}).item) << "lost write " << i;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dynamo::store
