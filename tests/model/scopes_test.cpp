// What happens to queued writes when a scope ends: a batch_write body sends what it holds
// when it returns or throws (auto_commit off: nothing before then, or before commit()); a
// transact_write body commits when it returns and sends nothing when it throws; a
// TransactWrite destroyed with actions never committed is reported, not silently dropped.
#include <gtest/gtest.h>

#include <stdexcept>

#include "model/backend_fixture.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using dynamo::field;

std::string subject_of(int i) { return "s" + std::to_string(100 + i); }

class ModelScopes : public BackendTest {
 protected:
  bool without_transactions() { return !dynamo::testing::known_gap(GetParam(), "transactions").empty(); }
  std::int64_t stored(const dynamo::ModelTable<Thread>& threads) {
    return threads.count("F", {}, {}, {.consistent_read = true});
  }
};

// auto_commit off: nothing is sent while the body queues; commit() sends everything (in
// requests of 25, a repeated key in a later one); the rest goes when the body returns.
TEST_P(ModelScopes, BatchWithoutAutoCommit) {
  auto threads = fresh<Thread>();
  threads.batch_write(
      [&](dynamo::BatchWriter<Thread>& batch) {
        for (int i = 0; i < 60; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i), .views = 1});
        batch.save(Thread{.forum_name = "F", .subject = subject_of(0), .views = 2});
        EXPECT_EQ(batch.pending(), 61u);
        EXPECT_EQ(batch.written(), 0u);
        EXPECT_EQ(stored(threads), 0) << "held until commit";
        batch.commit();
        EXPECT_EQ(batch.written(), 61u);
        EXPECT_EQ(stored(threads), 60);
        batch.remove_key({"F", subject_of(1)});
        EXPECT_EQ(batch.pending(), 1u);
      },
      {.auto_commit = false});
  EXPECT_EQ(stored(threads), 59);
  EXPECT_EQ(threads.get("F", subject_of(0), {.consistent_read = true}).views, 2) << "the later write wins";
}

// A throwing body with auto_commit off still sends what it queued, then rethrows.
TEST_P(ModelScopes, BatchWithoutAutoCommitCommitsWhenTheBodyThrows) {
  auto threads = fresh<Thread>();
  EXPECT_THROW(threads.batch_write(
                   [](dynamo::BatchWriter<Thread>& batch) {
                     for (int i = 0; i < 40; ++i) batch.save(Thread{.forum_name = "F", .subject = subject_of(i)});
                     throw std::logic_error("body failed");
                   },
                   {.auto_commit = false}),
               std::logic_error);
  EXPECT_EQ(stored(threads), 40);
}

// transact_write commits what the body added; a body that throws sends nothing.
TEST_P(ModelScopes, ScopedTransaction) {
  if (without_transactions()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "transactions");
  auto threads = fresh<Thread>();
  dynamo::transact_write(*db_, [](dynamo::TransactWrite& tx) {
    tx.save(Thread{.forum_name = "F", .subject = "a"});
    tx.update<Thread>({"F", "b"}, {field(&Thread::views).set(3)});
  });
  EXPECT_EQ(stored(threads), 2);
  EXPECT_EQ(threads.get("F", "b", {.consistent_read = true}).views, 3);

  EXPECT_THROW(dynamo::transact_write(*db_,
                                      [](dynamo::TransactWrite& tx) {
                                        tx.remove_key<Thread>({"F", "a"});
                                        throw std::runtime_error("changed my mind");
                                      }),
               std::runtime_error);
  EXPECT_TRUE(threads.find({"F", "a"}, {.consistent_read = true}));

  // A body may commit itself; the scope then sends nothing more.
  dynamo::transact_write(*db_, [](dynamo::TransactWrite& tx) {
    tx.remove_key<Thread>({"F", "a"});
    tx.commit();
  });
  EXPECT_FALSE(threads.find({"F", "a"}, {.consistent_read = true}));
}

std::size_t reported = 0;
void count_uncommitted(std::size_t actions) { reported += actions; }

// A TransactWrite dropped with actions it never committed is reported to the handler;
// committed, empty, exception-unwound and failed-commit ones are not.
TEST_P(ModelScopes, ForgottenCommitIsReported) {
  const auto previous = dynamo::set_uncommitted_transaction_handler(&count_uncommitted);
  reported = 0;
  {
    dynamo::TransactWrite forgotten(*db_);
    forgotten.remove_key<Thread>({"F", "x"});
    forgotten.remove_key<Thread>({"F", "y"});
  }
  EXPECT_EQ(reported, 2u);
  reported = 0;
  { dynamo::TransactWrite empty(*db_); }
  try {
    dynamo::TransactWrite abandoned(*db_);
    abandoned.remove_key<Thread>({"F", "x"});
    throw std::runtime_error("unwinding");
  } catch (const std::runtime_error&) {
  }
  if (!without_transactions()) {
    (void)fresh<Thread>();
    dynamo::TransactWrite done(*db_);
    done.save(Thread{.forum_name = "F", .subject = "z"});
    done.commit();
    dynamo::TransactWrite refused(*db_);  // a commit that failed was not forgotten
    refused.save(Thread{.forum_name = "F", .subject = "z"}, field(&Thread::forum_name).does_not_exist());
    EXPECT_THROW(refused.commit(), dynamo::TransactWriteError);
  }
  EXPECT_EQ(reported, 0u);
  dynamo::set_uncommitted_transaction_handler(previous);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelScopes, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
