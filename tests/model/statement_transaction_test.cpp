// Typed PartiQL transactions (model/statement_transaction.hpp) on the embedded engine and
// through dynamo-server: statements over several models commit together or not at all,
// values travel as parameters, and names and the statement limit are checked before
// anything is sent.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"
#include "model/models.hpp"

namespace stx_test {

struct Reply {
  std::string thread{};
  std::int64_t id = 0;
  std::string text{};
  std::int64_t likes = 0;
};

}  // namespace stx_test

template <>
struct dynamo::model<stx_test::Reply> {
  static auto schema() {
    using stx_test::Reply;
    return dynamo::table<Reply>("StatementReply")
        .hash_key("thread", &Reply::thread)
        .range_key("id", &Reply::id)
        .attribute("text", &Reply::text)
        .attribute("likes", &Reply::likes);
  }
};

namespace {

using namespace model_test;
using stx_test::Reply;

// Counts the ExecuteTransaction calls that reach the backend.
class CountingBackend : public ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  dynamo::api::ExecuteTransactionResponse execute_transaction(
      const dynamo::api::ExecuteTransactionRequest& request) override {
    ++calls;
    return inner_->execute_transaction(request);
  }
  std::atomic<int> calls{0};
};

std::atomic<std::size_t> dropped{0};
void count_dropped(std::size_t statements) { dropped += statements; }

class StatementTransactionTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    threads_ = fresh<Thread>();
    replies_ = fresh<Reply>();
    threads_->save(Thread{.forum_name = "C++", .subject = "Modules", .views = 10});
    threads_->save(Thread{.forum_name = "C++", .subject = "Ranges", .views = 3});
    replies_->save(Reply{.thread = "Modules", .id = 1, .text = "first"});
    counter_ = std::make_shared<CountingBackend>(db_->shared_backend());
  }

  [[nodiscard]] dynamo::Connection counted() const { return dynamo::Connection(counter_); }

  std::optional<dynamo::ModelTable<Thread>> threads_;
  std::optional<dynamo::ModelTable<Reply>> replies_;
  std::shared_ptr<CountingBackend> counter_;
};

// An INSERT, an UPDATE, a DELETE and an EXISTS over two models go out as one call, and
// every write is applied.
TEST_P(StatementTransactionTest, CommitAppliesEveryStatementAcrossModels) {
  dynamo::StatementTransaction tx(counted());
  tx.insert(Reply{.thread = "Modules", .id = 2, .text = "second"});
  tx.update<Thread>("SET views = views + ?, replies = replies + 1 WHERE forum_name = ? AND subject = ?", 5, "C++",
                    "Modules");
  tx.remove<Reply>("WHERE thread = ? AND id = ?", "Modules", 1);
  tx.exists<Thread>("WHERE forum_name = ? AND subject = ? AND views < ?", "C++", "Ranges", 10);
  EXPECT_EQ(tx.size(), 4U);
  tx.commit();
  EXPECT_TRUE(tx.committed());
  EXPECT_EQ(counter_->calls.load(), 1);

  const Thread modules = threads_->get("C++", "Modules");
  EXPECT_EQ(modules.views, 15);
  EXPECT_EQ(modules.replies, 1);
  EXPECT_EQ(replies_->get({"Modules", 2}).text, "second");
  EXPECT_FALSE(replies_->find({"Modules", 1}));
}

// A false EXISTS cancels the transaction: nothing is applied, and the cancellation reason
// at the statement's index says why; the other reasons carry no code.
TEST_P(StatementTransactionTest, FailedConditionCancelsEveryStatement) {
  dynamo::StatementTransaction tx(*db_);
  tx.insert(Reply{.thread = "Modules", .id = 2, .text = "second"});
  tx.update<Thread>("SET views = views + 1 WHERE forum_name = ? AND subject = ?", "C++", "Modules");
  tx.exists<Thread>("WHERE forum_name = ? AND subject = ? AND views > ?", "C++", "Ranges", 100);
  try {
    tx.commit();
    ADD_FAILURE() << "the EXISTS is false";
  } catch (const dynamo::TransactWriteError& e) {
    ASSERT_EQ(e.cancellation_reasons().size(), 3U);
    EXPECT_EQ(e.cancellation_reasons()[0].code.value_or("None"), "None");
    EXPECT_EQ(e.cancellation_reasons()[1].code.value_or("None"), "None");
    EXPECT_EQ(e.cancellation_reasons()[2].code.value_or("None"), "ConditionalCheckFailed");
  }
  EXPECT_FALSE(tx.committed());
  EXPECT_EQ(threads_->get("C++", "Modules").views, 10);
  EXPECT_FALSE(replies_->find({"Modules", 2}));
}

// An INSERT of a key that is taken fails as DuplicateItem, at its own index.
TEST_P(StatementTransactionTest, InsertOfATakenKeyIsADuplicate) {
  dynamo::StatementTransaction tx(*db_);
  tx.update<Thread>("SET views = 0 WHERE forum_name = ? AND subject = ?", "C++", "Ranges");
  tx.insert(Reply{.thread = "Modules", .id = 1, .text = "again"});
  try {
    tx.commit();
    ADD_FAILURE() << "reply 1 exists";
  } catch (const dynamo::TransactWriteError& e) {
    ASSERT_EQ(e.cancellation_reasons().size(), 2U);
    EXPECT_EQ(e.cancellation_reasons()[1].code.value_or("None"), "DuplicateItem");
  }
  EXPECT_EQ(threads_->get("C++", "Ranges").views, 3);
  EXPECT_EQ(replies_->get({"Modules", 1}).text, "first");
}

// A name the model does not declare is refused as the statement is added, and refuses the
// whole transaction: commit() throws the same error, and nothing reaches the backend.
TEST_P(StatementTransactionTest, UnknownAttributeRefusedBeforeSending) {
  dynamo::StatementTransaction tx(counted());
  tx.update<Thread>("SET views = 1 WHERE forum_name = ? AND subject = ?", "C++", "Modules");
  try {
    tx.update<Thread>("SET viewz = 1 WHERE forum_name = ? AND subject = ?", "C++", "Ranges");
    ADD_FAILURE() << "viewz is not an attribute of Thread";
  } catch (const dynamo::ModelUsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "the statement names attribute 'viewz', which the model of table Thread does not declare: "
              "UPDATE \"Thread\" SET viewz = 1 WHERE forum_name = ? AND subject = ?");
  }
  EXPECT_THROW(tx.remove<Reply>("WHERE thread = ? AND idd = ?", "Modules", 1), dynamo::ModelUsageError);
  EXPECT_THROW(tx.exists<Reply>("WHERE thread = ? AND id = ? AND text2 = 'x'", "Modules", 1), dynamo::ModelUsageError);
  EXPECT_THROW(tx.commit(), dynamo::ModelUsageError);
  EXPECT_EQ(counter_->calls.load(), 0);
  EXPECT_EQ(threads_->get("C++", "Modules").views, 10);
}

// Values travel as parameters, never in the statement's text, converted as the model
// converts them: a quote in a string, a set, a list and a time round-trip.
TEST_P(StatementTransactionTest, ParametersAreBound) {
  const auto when = dynamo::utc_time{} + std::chrono::hours(24 * 365 * 55);
  Thread thread{.forum_name = "C++",
                .subject = "it's \"quoted\"",
                .views = 7,
                .tags = {"a", "b"},
                .notes = {"n1", "n2"},
                .last_post_datetime = when};
  dynamo::StatementTransaction tx(*db_);
  tx.insert(thread);
  tx.update<Thread>("SET tags = set_add(tags, ?), tn = ? WHERE forum_name = ? AND subject = ?",
                    std::set<std::string>{"c"}, "O'Brien", "C++", "Modules");
  ASSERT_EQ(tx.statements().size(), 2U);
  EXPECT_EQ(tx.statements()[0].statement,
            "INSERT INTO \"Thread\" VALUE {'forum_name': ?, 'last_post_datetime': ?, 'notes': ?, 'replies': ?, "
            "'subject': ?, 'tags': ?, 'views': ?}");
  EXPECT_EQ(tx.statements()[0].parameters->size(), 7U);
  tx.commit();

  const Thread stored = threads_->get("C++", "it's \"quoted\"");
  EXPECT_EQ(stored.views, 7);
  EXPECT_EQ(stored.tags, (std::set<std::string>{"a", "b"}));
  EXPECT_EQ(stored.notes, (std::vector<std::string>{"n1", "n2"}));
  EXPECT_EQ(stored.last_post_datetime, when);
  const Thread modules = threads_->get("C++", "Modules");
  EXPECT_EQ(modules.tags, (std::set<std::string>{"c"}));
  EXPECT_EQ(modules.thread_name, "O'Brien");
}

// The 101st statement is refused as it is added; the hundred before it stay. A
// transaction destroyed without commit() is reported to the uncommitted-transaction
// handler, as a TransactWrite is, and sends nothing.
TEST_P(StatementTransactionTest, HundredAndFirstStatementRefused) {
  const auto previous = dynamo::set_uncommitted_transaction_handler(&count_dropped);
  dropped = 0;
  {
    dynamo::StatementTransaction tx(counted());
    for (int i = 0; i < 100; ++i) {
      tx.update<Thread>("SET views = ? WHERE forum_name = ? AND subject = ?", i, "F", "s" + std::to_string(i));
    }
    EXPECT_THROW(tx.update<Thread>("SET views = 1 WHERE forum_name = 'F' AND subject = 'one too many'"),
                 dynamo::ModelUsageError);
    EXPECT_EQ(tx.size(), 100U);
  }
  dynamo::set_uncommitted_transaction_handler(previous);
  EXPECT_EQ(dropped.load(), 100U);
  EXPECT_EQ(counter_->calls.load(), 0);

  dynamo::SelectTransaction reads(*db_);
  for (int i = 0; i < 100; ++i) (void)reads.select<Thread>("WHERE forum_name = 'F' AND subject = ?", std::to_string(i));
  EXPECT_THROW((void)reads.select<Thread>("WHERE forum_name = 'F' AND subject = 'x'"), dynamo::ModelUsageError);
}

// The scoped form commits when the body returns and sends nothing when it throws, which
// is not reported as a forgotten commit.
TEST_P(StatementTransactionTest, ScopedFormCommitsOrSendsNothing) {
  const auto previous = dynamo::set_uncommitted_transaction_handler(&count_dropped);
  dropped = 0;
  dynamo::statement_transaction(counted(), [](dynamo::StatementTransaction& tx) {
    tx.update<Thread>("SET views = 11 WHERE forum_name = ? AND subject = ?", "C++", "Modules");
  });
  EXPECT_EQ(threads_->get("C++", "Modules").views, 11);
  EXPECT_THROW(dynamo::statement_transaction(counted(),
                                             [](dynamo::StatementTransaction& tx) {
                                               tx.update<Thread>("SET views = 12 WHERE forum_name = 'C++' AND "
                                                                 "subject = 'Modules'");
                                               throw std::runtime_error("changed my mind");
                                             }),
               std::runtime_error);
  dynamo::set_uncommitted_transaction_handler(previous);
  EXPECT_EQ(threads_->get("C++", "Modules").views, 11);
  EXPECT_EQ(counter_->calls.load(), 1);
  EXPECT_EQ(dropped.load(), 0U);
}

// remove(object) and remove_key<T>(key) delete by key, the key's values as parameters.
TEST_P(StatementTransactionTest, RemoveByObjectAndByKey) {
  dynamo::StatementTransaction tx(*db_);
  tx.remove(Reply{.thread = "Modules", .id = 1});
  tx.remove_key<Thread>({"C++", "Ranges"});
  EXPECT_EQ(tx.statements()[0].statement, "DELETE FROM \"StatementReply\" WHERE \"id\" = ? AND \"thread\" = ?");
  EXPECT_EQ(*tx.statements()[0].parameters, (std::vector<dynamo::AttributeValue>{1, "Modules"}));
  tx.commit();
  EXPECT_FALSE(replies_->find({"Modules", 1}));
  EXPECT_FALSE(threads_->find({"C++", "Ranges"}));
  EXPECT_TRUE(threads_->find({"C++", "Modules"}));
}

// The same client request token twice applies the transaction once.
TEST_P(StatementTransactionTest, ClientRequestTokenMakesCommitIdempotent) {
  for (int i = 0; i < 2; ++i) {
    dynamo::StatementTransaction tx(*db_, {.client_request_token = "views-once"});
    tx.update<Thread>("SET views = views + 1 WHERE forum_name = ? AND subject = ?", "C++", "Modules");
    tx.commit();
  }
  EXPECT_EQ(threads_->get("C++", "Modules").views, 11);
}

// Versioned models: insert() stores version 1 and sets it in the object; remove(object)
// checks the stored version.
TEST_P(StatementTransactionTest, VersionedInsertAndRemove) {
  auto offices = fresh<Office>();
  Office office{.office_id = "berlin", .name = "Berlin"};
  dynamo::statement_transaction(*db_, [&](dynamo::StatementTransaction& tx) { tx.insert(office); });
  EXPECT_EQ(office.version, 1);
  EXPECT_EQ(offices.get("berlin").version, 1);

  Office stale = office;
  stale.version = 7;
  dynamo::StatementTransaction wrong(*db_);
  wrong.remove(stale);
  try {
    wrong.commit();
    ADD_FAILURE() << "the stored version is 1";
  } catch (const dynamo::TransactWriteError& e) {
    ASSERT_EQ(e.cancellation_reasons().size(), 1U);
    EXPECT_EQ(e.cancellation_reasons()[0].code.value_or("None"), "ConditionalCheckFailed");
  }
  dynamo::statement_transaction(*db_, [&](dynamo::StatementTransaction& tx) { tx.remove(office); });
  EXPECT_FALSE(offices.find("berlin"));

  // An object never written (version 0) deletes an item that has no version yet.
  (void)db_->put_item({.table_name = "Office", .item = {{"office_id", "paris"}, {"name", "Paris"}}});
  dynamo::statement_transaction(*db_, [&](dynamo::StatementTransaction& tx) {
    tx.remove(Office{.office_id = "paris"});
  });
  EXPECT_FALSE(offices.find("paris"));
}

// SELECTs of several models read together; each result is typed; a missing item is
// nullopt from find() and DoesNotExist from get(). Names are checked; results are not
// readable before commit().
TEST_P(StatementTransactionTest, ReadsAreTyped) {
  dynamo::SelectTransaction reads(counted());
  auto modules = reads.select<Thread>("WHERE forum_name = ? AND subject = ?", "C++", "Modules");
  auto reply = reads.select<Reply>("WHERE thread = ? AND id = ?", "Modules", 1);
  auto missing = reads.select<Reply>("WHERE thread = ? AND id = ?", "Modules", 99);
  EXPECT_THROW((void)reads.select<Reply>("WHERE thread = ? AND idd = ?", "Modules", 1), dynamo::ModelUsageError);
  EXPECT_THROW((void)modules.get(), dynamo::ModelUsageError);
  reads.commit();
  EXPECT_EQ(counter_->calls.load(), 1);

  const Thread thread = modules.get();
  EXPECT_EQ(thread.views, 10);
  EXPECT_EQ(reply.get().text, "first");
  EXPECT_FALSE(missing.find());
  EXPECT_THROW((void)missing.get(), dynamo::DoesNotExist);
}

INSTANTIATE_TEST_SUITE_P(Backends, StatementTransactionTest, ::testing::Values("embedded", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
