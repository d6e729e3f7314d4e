// Lazy batch gets (batch_get_lazy, model/batch.hpp) on the embedded engine, dynalite and
// dynamo-server: requests go out only as the loop needs items, 100 keys each; keys DynamoDB
// leaves unprocessed are sent again; a loop that failed, by a request error or by giving
// up, loses no key when it is run again.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using Key = dynamo::ModelTable<Thread>::Key;

// "s007": subjects sort as their numbers do.
std::string subject_of(int i) {
  std::string digits = std::to_string(i);
  return "s" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

// Counts BatchGetItem calls; fails the next `failures` of them with a ThrottlingException
// (as a table out of capacity does); reads only the first `per_call` keys of each and hands
// the rest back unprocessed (as DynamoDB does when capacity runs short).
class CountingBackend : public ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;

  dynamo::api::BatchGetItemResponse batch_get_item(const dynamo::api::BatchGetItemRequest& request) override {
    ++calls;
    for (const auto& [table, keys] : request.request_items) largest = std::max(largest.load(), keys.keys.size());
    if (failures > 0) {
      --failures;
      throw dynamo::Error("ThrottlingException", "Rate of requests exceeds the allowed throughput.", 400);
    }
    dynamo::api::BatchGetItemRequest part;
    dynamo::api::BatchGetItemResponse response;
    for (const auto& [table, keys] : request.request_items) {
      auto taken = keys;
      taken.keys.resize(std::min(per_call.load(), keys.keys.size()));
      auto left = keys;
      left.keys.erase(left.keys.begin(), left.keys.begin() + static_cast<std::ptrdiff_t>(taken.keys.size()));
      if (!taken.keys.empty()) part.request_items.emplace(table, std::move(taken));
      if (!left.keys.empty()) {
        if (!response.unprocessed_keys) response.unprocessed_keys.emplace();
        response.unprocessed_keys->emplace(table, std::move(left));
      }
    }
    if (!part.request_items.empty()) response.responses = inner_->batch_get_item(part).responses;
    return response;
  }

  std::atomic<int> calls{0};
  std::atomic<int> failures{0};
  std::atomic<std::size_t> per_call{1000};
  std::atomic<std::size_t> largest{0};
};

std::vector<Key> keys_of(int count) {
  std::vector<Key> keys;
  for (int i = 0; i < count; ++i) keys.emplace_back("F", subject_of(i));
  return keys;
}

// Every subject seen, checking that none was seen twice.
std::set<std::string> add_subjects(std::set<std::string>& seen, auto&& results) {
  for (const Thread& t : results) EXPECT_TRUE(seen.insert(t.subject).second) << t.subject << " twice";
  return seen;
}

class LazyBatchGet : public BackendTest {
 protected:
  // `count` threads in forum F, written with a batch; the table seen through a backend
  // that counts the BatchGetItem calls.
  dynamo::ModelTable<Thread> counted_threads(int count) {
    auto threads = fresh<Thread>();
    threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
      for (int i = 0; i < count; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i), .views = i});
    });
    counter_ = std::make_shared<CountingBackend>(db_->shared_backend());
    return dynamo::table_of<Thread>(dynamo::Connection(counter_));
  }

  std::shared_ptr<CountingBackend> counter_;
};

// 250 keys: nothing is sent before the loop; the first item costs one request of 100 keys;
// the whole loop three. A second loop continues after the item the first stopped at.
TEST_P(LazyBatchGet, RequestsGoOutAsTheLoopNeedsThem) {
  auto threads = counted_threads(250);
  auto results = threads.batch_get_lazy(keys_of(250), {.consistent_read = true});
  EXPECT_EQ(counter_->calls.load(), 0) << "nothing is read before the loop";
  EXPECT_EQ(results.keys_left(), 250u);

  std::set<std::string> seen;
  for (const Thread& t : results) {
    seen.insert(t.subject);
    EXPECT_EQ(t.views, std::stoi(t.subject.substr(1)));
    break;
  }
  EXPECT_EQ(counter_->calls.load(), 1);
  EXPECT_EQ(counter_->largest.load(), dynamo::limits::batch_get_keys);
  EXPECT_EQ(results.keys_left(), 150u);

  add_subjects(seen, results);
  EXPECT_EQ(seen.size(), 250u);
  EXPECT_EQ(counter_->calls.load(), 3);
  EXPECT_EQ(results.requests_sent(), 3);
  EXPECT_EQ(results.keys_left(), 0u);
  EXPECT_TRUE(results.to_vector().empty()) << "a finished loop has nothing left";
  EXPECT_EQ(counter_->calls.load(), 3);

  // The eager form still reads everything before it returns.
  counter_->calls = 0;
  const std::vector<Thread> all = threads.batch_get(keys_of(250));
  EXPECT_EQ(all.size(), 250u);
  EXPECT_EQ(counter_->calls.load(), 3);
}

// Missing keys are absent, a repeated key is read once, a projection reads only the
// attributes named, and no keys means no request.
TEST_P(LazyBatchGet, MissingRepeatedAndProjected) {
  auto threads = counted_threads(10);
  std::vector<Key> keys;
  for (int i = 0; i < 20; ++i) keys.emplace_back("F", subject_of(i % 15));  // 5 missing, 5 twice
  std::set<std::string> seen;
  add_subjects(seen, threads.batch_get_lazy(keys));
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(counter_->calls.load(), 1);

  const auto slim =
      threads.batch_get_lazy({{"F", subject_of(7)}}, {.attributes_to_get = {"forum_name", "subject"}}).to_vector();
  ASSERT_EQ(slim.size(), 1u);
  EXPECT_EQ(slim[0].subject, subject_of(7));
  EXPECT_EQ(slim[0].views, 0) << "views was not asked for";

  counter_->calls = 0;
  EXPECT_TRUE(threads.batch_get_lazy({}).to_vector().empty());
  EXPECT_EQ(counter_->calls.load(), 0);
}

// Raw items (dynamo::Item) of a TableConnection, lazily and eagerly, with a projection.
TEST_P(LazyBatchGet, RawItems) {
  (void)counted_threads(120);
  const auto table = dynamo::Connection(counter_).table("Thread");
  std::vector<dynamo::Item> keys;
  for (int i = 0; i < 120; ++i) keys.push_back(dynamo::Item{{"forum_name", "F"}, {"subject", subject_of(i)}});

  auto results = dynamo::batch_get_lazy(table, keys, {.consistent_read = true});
  std::set<std::string> seen;
  for (const dynamo::Item& item : results) {
    EXPECT_EQ(item.at("forum_name"), dynamo::AttributeValue("F"));
    seen.insert(item.at("subject").as_string());
    if (seen.size() == 1) {
      EXPECT_EQ(counter_->calls.load(), 1);
    }
  }
  EXPECT_EQ(seen.size(), 120u);
  EXPECT_EQ(counter_->calls.load(), 2);

  const std::vector<dynamo::Item> views = dynamo::batch_get(table, keys, {.attributes_to_get = {"views"}});
  ASSERT_EQ(views.size(), 120u);
  for (const dynamo::Item& item : views) {
    EXPECT_EQ(item.size(), 1u);
    EXPECT_TRUE(item.find("views"));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LazyBatchGet, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

// ---- unprocessed keys and failed requests, on the embedded engine -------------------------

const dynamo::auth::RetryPolicy quick_retry{.max_retry_attempts = 3, .base_backoff_ms = 1};

struct Counted {
  dynamo::Connection engine = dynamo::Connection::embedded();
  std::shared_ptr<CountingBackend> backend = std::make_shared<CountingBackend>(engine.shared_backend());
  dynamo::ModelTable<Thread> threads = dynamo::table_of<Thread>(dynamo::Connection(backend));

  explicit Counted(int count) {
    threads.create_table({.wait = true});
    threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
      for (int i = 0; i < count; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
    });
  }
};

// Keys handed back unprocessed are sent again: with 40 keys read per call, 250 keys take
// 7 calls, and the first item still costs only one.
TEST(LazyBatchGetUnprocessed, ResentUntilRead) {
  Counted t(250);
  t.backend->per_call = 40;
  auto results = t.threads.batch_get_lazy(keys_of(250), {.retry = quick_retry});
  std::set<std::string> seen;
  for (const Thread& thread : results) {
    seen.insert(thread.subject);
    break;
  }
  EXPECT_EQ(t.backend->calls.load(), 1);
  EXPECT_EQ(results.keys_left(), 210u);
  add_subjects(seen, results);
  EXPECT_EQ(seen.size(), 250u);
  EXPECT_EQ(t.backend->calls.load(), 7);  // ceil(250 / 40)
}

// When DynamoDB keeps returning keys, the loop throws BatchIncomplete listing every key not
// read yet; they stay queued, so looping again (with capacity back) reads each of them once.
TEST(LazyBatchGetUnprocessed, GivingUpKeepsTheKeys) {
  Counted t(150);
  auto results = t.threads.batch_get_lazy(keys_of(150), {.retry = quick_retry});
  std::set<std::string> seen;
  t.backend->per_call = 30;
  try {
    for (const Thread& thread : results) {  // the first request reads 30 of its 100 keys
      EXPECT_TRUE(seen.insert(thread.subject).second);
      t.backend->per_call = 0;  // and the later ones none
    }
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    EXPECT_EQ(e.unprocessed_keys().size(), 120u) << "70 handed back, 30 sent again, 20 never sent";
    EXPECT_NE(std::string(e.what()).find("after 3 retries"), std::string::npos) << e.what();
  }
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(t.backend->calls.load(), 4);  // the first request, then 3 that read nothing
  EXPECT_EQ(results.keys_left(), 120u);

  t.backend->per_call = 1000;
  add_subjects(seen, results);
  EXPECT_EQ(seen.size(), 150u);
  EXPECT_EQ(results.keys_left(), 0u);
}

// A request that fails (here throttled) throws the client's GetError, as batch_get does,
// and reads nothing; the items of earlier requests were handed out once, and looping again
// sends the failed request's keys again.
TEST(LazyBatchGetUnprocessed, FailedRequestIsSentAgain) {
  Counted t(150);
  auto results = t.threads.batch_get_lazy(keys_of(150));
  t.backend->failures = 1;
  std::set<std::string> seen;
  EXPECT_THROW(add_subjects(seen, results), dynamo::GetError);
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(results.keys_left(), 150u);

  try {
    for (const Thread& thread : results) {
      EXPECT_TRUE(seen.insert(thread.subject).second);
      t.backend->failures = 1;  // the request after this one fails
    }
    ADD_FAILURE() << "no GetError";
  } catch (const dynamo::GetError& e) {
    EXPECT_EQ(e.code(), "ThrottlingException");
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(results.keys_left(), 50u);
  add_subjects(seen, results);
  EXPECT_EQ(seen.size(), 150u);
  EXPECT_EQ(t.backend->calls.load(), 4);  // failed, read 100, failed, read 50

  // The eager form throws the same error, from the same place.
  t.backend->failures = 1;
  EXPECT_THROW((void)t.threads.batch_get(keys_of(10)), dynamo::GetError);
}

}  // namespace
