// Model batches and transactions (model/batch.hpp, model/transaction.hpp) on the embedded
// engine, dynalite and dynamo-server, plus the resending of unprocessed keys and writes against a backend
// that processes only part of each batch, as DynamoDB does when capacity runs short.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using dynamo::field;

std::string subject_of(int i) {
  char subject[8];
  std::snprintf(subject, sizeof subject, "s%02d", i);
  return subject;
}

std::vector<std::string> sorted_subjects(const std::vector<Thread>& threads) {
  std::vector<std::string> out;
  for (const Thread& t : threads) out.push_back(t.subject);
  std::sort(out.begin(), out.end());
  return out;
}

class ModelBatchTransaction : public BackendTest {
 protected:
  // Skips a transaction test on a backend without transactions, after checking that it
  // refuses them loudly rather than pretending.
  bool skip_without_transactions() {
    const std::string gap = dynamo::testing::known_gap(GetParam(), "transactions");
    if (gap.empty()) return false;
    dynamo::TransactGet reads(*db_);
    (void)reads.get<Thread>({"a", "b"});
    EXPECT_THROW(reads.commit(), dynamo::TransactGetError);
    return true;
  }
};

// batch_write sends any number of saves and deletes; batch_get reads any number of keys,
// skipping missing ones and reading a repeated key once.
TEST_P(ModelBatchTransaction, BatchWriteAndGet) {
  auto threads = fresh<Thread>();
  std::size_t written = 0;
  threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
    for (int i = 0; i < 60; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i), .views = i});
    EXPECT_EQ(batch.pending(), 10u);  // 50 went out in two full requests already
    EXPECT_EQ(batch.written(), 50u);
    batch.remove_key({"F", subject_of(0)});
    batch.remove(Thread{.forum_name = "F", .subject = subject_of(1)});
    batch.flush();
    written = batch.written();
  });
  EXPECT_EQ(written, 62u);
  EXPECT_EQ(threads.count("F"), 58);

  std::vector<dynamo::ModelTable<Thread>::Key> keys;
  for (int i = 0; i < 150; ++i) keys.emplace_back("F", subject_of(i % 75));  // 15 missing, each twice
  const auto found = threads.batch_get(keys, {.consistent_read = true});
  ASSERT_EQ(found.size(), 58u);
  const auto names = sorted_subjects(found);
  EXPECT_EQ(names.front(), subject_of(2));
  EXPECT_EQ(names.back(), subject_of(59));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (const Thread& t : found) EXPECT_EQ(t.views, std::stoi(t.subject.substr(1)));

  // A projection reads only the attributes named.
  const auto slim = threads.batch_get({{"F", subject_of(5)}}, {.attributes_to_get = {"forum_name", "subject"}});
  ASSERT_EQ(slim.size(), 1u);
  EXPECT_EQ(slim[0].views, 0);
  EXPECT_TRUE(threads.batch_get({}).empty());
}

// Two writes to one key in a batch go in separate requests, in order: the last one wins.
TEST_P(ModelBatchTransaction, BatchWriteSameKeyTwice) {
  auto threads = fresh<Thread>();
  threads.batch_write([](dynamo::BatchWriter<Thread>& batch) {
    batch.save(Thread{.forum_name = "F", .subject = "x", .views = 1});
    batch.save(Thread{.forum_name = "F", .subject = "y", .views = 1});
    batch.save(Thread{.forum_name = "F", .subject = "x", .views = 2});
    batch.remove_key({"F", "y"});
  });
  EXPECT_EQ(threads.get("F", "x", {.consistent_read = true}).views, 2);
  EXPECT_FALSE(threads.find({"F", "y"}, {.consistent_read = true}));
}

// When the body throws, what it queued is still sent (PynamoDB's context manager commits
// on the way out), and the body's exception propagates.
TEST_P(ModelBatchTransaction, BatchWriteBodyThrows) {
  auto threads = fresh<Thread>();
  EXPECT_THROW(threads.batch_write([](dynamo::BatchWriter<Thread>& batch) {
    for (int i = 0; i < 30; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
    throw std::runtime_error("stop");
  }),
               std::runtime_error);
  EXPECT_EQ(threads.count("F", {}, {}, {.consistent_read = true}), 30);
}

// A transaction applies all of its actions, or none when a condition fails; the
// cancellation reasons say which.
TEST_P(ModelBatchTransaction, TransactWriteAllOrNothing) {
  if (skip_without_transactions()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "transactions");
  auto threads = fresh<Thread>();
  threads.save(Thread{.forum_name = "F", .subject = "counter", .views = 1});
  threads.save(Thread{.forum_name = "F", .subject = "old"});
  threads.save(Thread{.forum_name = "F", .subject = "guard", .views = 5});

  dynamo::TransactWrite tx(*db_);
  tx.save(Thread{.forum_name = "F", .subject = "new", .views = 7});
  Thread counter{.forum_name = "F", .subject = "counter"};
  tx.update(counter, {field(&Thread::views).set(field(&Thread::views) + 1)}, field(&Thread::views) == 1);
  tx.remove_key<Thread>({"F", "old"});
  tx.condition_check<Thread>({"F", "guard"}, field(&Thread::views) < 10);
  EXPECT_EQ(tx.size(), 4u);
  tx.commit();
  EXPECT_EQ(threads.get("F", "new", {.consistent_read = true}).views, 7);
  EXPECT_EQ(threads.get("F", "counter", {.consistent_read = true}).views, 2);
  EXPECT_FALSE(threads.find({"F", "old"}, {.consistent_read = true}));
  EXPECT_THROW(tx.commit(), dynamo::ModelUsageError);

  dynamo::TransactWrite failing(*db_, {.return_old_items_on_condition_failure = true});
  failing.save(Thread{.forum_name = "F", .subject = "never"});
  failing.condition_check<Thread>({"F", "counter"}, field(&Thread::views) == 99);
  try {
    failing.commit();
    ADD_FAILURE() << "the transaction was not cancelled";
  } catch (const dynamo::TransactWriteError& e) {
    EXPECT_EQ(e.code(), "TransactionCanceledException");
    ASSERT_EQ(e.cancellation_reasons().size(), 2u);
    EXPECT_EQ(e.cancellation_reasons()[0].code, std::nullopt);
    EXPECT_EQ(e.cancellation_reasons()[1].code, "ConditionalCheckFailed");
    ASSERT_TRUE(e.cancellation_reasons()[1].item);
    EXPECT_EQ(e.cancellation_reasons()[1].item->at("views"), dynamo::AttributeValue(2));
  }
  EXPECT_FALSE(threads.find({"F", "never"}, {.consistent_read = true}));
}

// Versioned models: a transactional save checks and increments the version, and the
// object learns the new version once the transaction commits.
TEST_P(ModelBatchTransaction, TransactWriteVersions) {
  if (skip_without_transactions()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "transactions");
  auto offices = fresh<Office>();
  Office office{.office_id = "o1", .name = "first"};
  {
    dynamo::TransactWrite tx(*db_);
    tx.save(office);
    EXPECT_EQ(office.version, 0);  // not before commit
    tx.commit();
  }
  EXPECT_EQ(office.version, 1);
  Office stale = offices.get("o1");
  {
    dynamo::TransactWrite tx(*db_);
    tx.update(office, {field(&Office::name).set("second")});
    tx.commit();
  }
  EXPECT_EQ(office.version, 2);
  EXPECT_EQ(offices.get("o1").version, 2);
  dynamo::TransactWrite late(*db_);
  late.save(stale);
  EXPECT_THROW(late.commit(), dynamo::TransactWriteError);
  EXPECT_EQ(stale.version, 1);
  dynamo::TransactWrite removal(*db_);
  removal.remove(office);
  removal.commit();
  EXPECT_FALSE(offices.find("o1", {.consistent_read = true}));
}

// The same ClientRequestToken applies a transaction once.
TEST_P(ModelBatchTransaction, TransactWriteIdempotent) {
  if (skip_without_transactions()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "transactions");
  auto threads = fresh<Thread>();
  for (int attempt = 0; attempt < 2; ++attempt) {
    dynamo::TransactWrite tx(*db_, {.client_request_token = "token-once"});
    tx.update<Thread>({"F", "counter"}, {field(&Thread::views).add(1)});
    tx.commit();
  }
  EXPECT_EQ(threads.get("F", "counter", {.consistent_read = true}).views, 1);
}

// TransactGet reads several items, of several models, in one snapshot.
TEST_P(ModelBatchTransaction, TransactGet) {
  if (skip_without_transactions()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "transactions");
  auto threads = fresh<Thread>();
  auto offices = fresh<Office>();
  threads.save(Thread{.forum_name = "F", .subject = "a", .views = 3});
  threads.save(Thread{.forum_name = "F", .subject = "b", .views = 4});
  Office office{.office_id = "o1", .name = "hq"};
  offices.save(office);

  dynamo::TransactGet reads(*db_);
  auto thread = reads.get<Thread>({"F", "a"});
  auto slim = reads.get<Thread>({"F", "b"}, {"forum_name", "subject"});
  auto missing = reads.get<Thread>({"F", "missing"});
  auto hq = reads.get<Office>("o1");
  EXPECT_THROW((void)thread.get(), dynamo::ModelUsageError);  // not read yet
  reads.commit();
  EXPECT_EQ(thread.get().views, 3);
  EXPECT_EQ(slim.get().views, 0);
  EXPECT_EQ(hq.get().name, "hq");
  EXPECT_FALSE(missing.find());
  EXPECT_THROW((void)missing.get(), dynamo::DoesNotExist);
}

// DynamoDB's limit of 100 actions is checked as actions are added.
TEST_P(ModelBatchTransaction, TransactionLimits) {
  dynamo::TransactWrite tx(*db_);
  for (int i = 0; i < 100; ++i) tx.remove_key<Thread>({"F", subject_of(i)});
  EXPECT_THROW(tx.remove_key<Thread>({"F", "one-too-many"}), dynamo::ModelUsageError);
  EXPECT_THROW(tx.condition_check<Thread>({"F", "x"}, {}), dynamo::ModelUsageError);
  dynamo::TransactWrite empty(*db_);
  EXPECT_NO_THROW(empty.commit());  // nothing to send
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelBatchTransaction, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

// ---- unprocessed keys and writes -----------------------------------------------------------


const dynamo::auth::RetryPolicy quick_retry{.max_retry_attempts = 3, .base_backoff_ms = 1};

// Unprocessed writes and keys are sent again until everything is done.
TEST(ModelBatchUnprocessed, ResentUntilDone) {
  const auto engine = dynamo::Connection::embedded();
  auto stingy = std::make_shared<StingyBackend>(engine.shared_backend(), 10);
  const dynamo::Connection db(stingy);
  auto threads = dynamo::table_of<Thread>(db);
  threads.create_table({.wait = true});
  threads.batch_write(
      [](dynamo::BatchWriter<Thread>& batch) {
        for (int i = 0; i < 60; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
      },
      {});
  EXPECT_EQ(dynamo::table_of<Thread>(engine).count("F"), 60);
  // Requests of 25, 25 and 10 writes, of which each call applies 10: 3 + 3 + 1 calls.
  EXPECT_EQ(stingy->batch_calls.load(), 7);
  stingy->batch_calls = 0;
  std::vector<dynamo::ModelTable<Thread>::Key> keys;
  for (int i = 0; i < 60; ++i) keys.emplace_back("F", subject_of(i));
  EXPECT_EQ(threads.batch_get(keys).size(), 60u);
  EXPECT_EQ(stingy->batch_calls.load(), 6);  // 10 keys per call
}

// A batch that advances a little every round keeps going, however few retries are allowed:
// only rounds without progress count towards giving up.
TEST(ModelBatchUnprocessed, ProgressResetsTheRetries) {
  const auto engine = dynamo::Connection::embedded();
  auto trickle = std::make_shared<StingyBackend>(engine.shared_backend(), 1);
  const dynamo::Connection db(trickle);
  auto threads = dynamo::table_of<Thread>(db);
  threads.create_table({.wait = true});
  threads.batch_write(
      [](dynamo::BatchWriter<Thread>& batch) {
        for (int i = 0; i < 30; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
      },
      {.retry = quick_retry});
  EXPECT_EQ(trickle->batch_calls.load(), 30);  // one write applied per call
  std::vector<dynamo::ModelTable<Thread>::Key> keys;
  for (int i = 0; i < 30; ++i) keys.emplace_back("F", subject_of(i));
  EXPECT_EQ(threads.batch_get(keys, {.retry = quick_retry}).size(), 30u);
}

// When DynamoDB keeps returning them, BatchIncomplete holds exactly what was not done.
TEST(ModelBatchUnprocessed, GivesUpWithWhatIsLeft) {
  const auto engine = dynamo::Connection::embedded();
  auto nothing = std::make_shared<StingyBackend>(engine.shared_backend(), 0);
  const dynamo::Connection db(nothing);
  auto threads = dynamo::table_of<Thread>(db);
  threads.create_table({.wait = true});
  try {
    threads.batch_write(
        [](dynamo::BatchWriter<Thread>& batch) {
          for (int i = 0; i < 3; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
        },
        {.retry = quick_retry});
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    EXPECT_EQ(e.code(), "BatchIncomplete");
    ASSERT_EQ(e.unprocessed_writes().size(), 3u);
    EXPECT_EQ(e.unprocessed_writes()[2].put_request->item.at("subject"), dynamo::AttributeValue(subject_of(2)));
    EXPECT_NE(std::string(e.what()).find("3 writes still unprocessed after 3 retries"), std::string::npos) << e.what();
  }
  EXPECT_EQ(nothing->batch_calls.load(), 4);  // the first attempt and 3 retries
  try {
    (void)threads.batch_get({{"F", "a"}, {"F", "b"}}, {.retry = quick_retry});
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    EXPECT_EQ(e.unprocessed_keys().size(), 2u);
  }
}

}  // namespace
