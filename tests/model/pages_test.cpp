// Query and scan results a page at a time (ResultIterator::pages(), model/result_iterator.hpp)
// on the embedded engine, dynalite and dynamo-server: each page is one response, with its
// typed items, resume key and counts; pages respect page_size and limit; pages and items
// share one position; a failed page is fetched again by the next loop.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using dynamo::field;

std::vector<std::string> subjects_of(const dynamo::ResultPage<Thread>& page) {
  std::vector<std::string> out;
  for (const Thread& t : page) out.push_back(t.subject);
  return out;
}

class ModelPages : public BackendTest {
 protected:
  // Threads "1" to "5" in forum F, with views 1 to 5.
  dynamo::ModelTable<Thread> five_threads() {
    auto threads = fresh<Thread>();
    for (int i = 1; i <= 5; ++i) threads.save(Thread{.forum_name = "F", .subject = std::to_string(i), .views = i});
    return threads;
  }
};

// page_size 2 over 5 items: pages of 2, 2 and 1, each resuming after its last item; the
// last one has nothing to resume from.
TEST_P(ModelPages, OnePagePerResponse) {
  auto threads = five_threads();
  auto results = threads.query("F", {}, {}, {.page_size = 2, .consistent_read = true});
  std::vector<std::vector<std::string>> pages;
  std::vector<std::optional<dynamo::Item>> resume;
  for (const dynamo::ResultPage<Thread>& page : results.pages()) {
    pages.push_back(subjects_of(page));
    resume.push_back(page.last_evaluated_key());
    EXPECT_EQ(page.count(), static_cast<std::int64_t>(page.size()));
    EXPECT_EQ(page.scanned_count(), static_cast<std::int64_t>(page.size()));
    EXPECT_FALSE(page.consumed_capacity()) << "not asked for";
  }
  EXPECT_EQ(pages, (std::vector<std::vector<std::string>>{{"1", "2"}, {"3", "4"}, {"5"}}));
  ASSERT_EQ(resume.size(), 3u);
  ASSERT_TRUE(resume[0]);
  EXPECT_EQ(resume[0]->at("subject"), dynamo::AttributeValue("2"));
  ASSERT_TRUE(resume[1]);
  EXPECT_EQ(resume[1]->at("subject"), dynamo::AttributeValue("4"));
  EXPECT_FALSE(resume[2]);
  EXPECT_EQ(results.pages_fetched(), 3);
  EXPECT_TRUE(results.pages().to_vector().empty()) << "a finished result has no page left";

  // A page's resume key starts a new query right after it.
  auto rest = threads.query("F", {}, {}, {.page_size = 2, .last_evaluated_key = resume[0], .consistent_read = true});
  std::vector<std::string> after;
  for (const auto& page : rest.pages()) {
    for (const Thread& t : page.items()) after.push_back(t.subject);
  }
  EXPECT_EQ(after, (std::vector<std::string>{"3", "4", "5"}));
}

// limit caps the items over all pages: limit 3 with page_size 2 gives pages of 2 and 1, and
// the last one resumes after item 3. A scan pages the same way.
TEST_P(ModelPages, LimitAndScan) {
  auto threads = five_threads();
  std::vector<std::size_t> sizes;
  std::optional<dynamo::Item> resume;
  for (const auto& page : threads.query("F", {}, {}, {.limit = 3, .page_size = 2, .consistent_read = true}).pages()) {
    sizes.push_back(page.size());
    resume = page.last_evaluated_key();
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 1}));
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->at("subject"), dynamo::AttributeValue("3"));

  std::size_t items = 0;
  int pages = 0;
  for (const auto& page : threads.scan({}, {.page_size = 2, .consistent_read = true}).pages()) {
    EXPECT_LE(page.size(), 2u);
    items += page.size();
    ++pages;
  }
  EXPECT_EQ(items, 5u);
  EXPECT_GE(pages, 3);
}

// With a filter, a page holds what passed it (count) out of what was read (scanned_count),
// and a page the filter emptied is still a page.
TEST_P(ModelPages, FilteredPagesCount) {
  auto threads = five_threads();
  std::vector<std::int64_t> counts;
  std::vector<std::int64_t> scanned;
  std::vector<std::vector<std::string>> pages;
  auto results = threads.query("F", {}, field(&Thread::views) >= 4, {.page_size = 2, .consistent_read = true});
  for (const auto& page : results.pages()) {
    counts.push_back(page.count());
    scanned.push_back(page.scanned_count());
    pages.push_back(subjects_of(page));
  }
  EXPECT_EQ(counts, (std::vector<std::int64_t>{0, 1, 1}));
  EXPECT_EQ(scanned, (std::vector<std::int64_t>{2, 2, 1}));
  EXPECT_EQ(pages, (std::vector<std::vector<std::string>>{{}, {"4"}, {"5"}}));
}

// Consumed capacity is there when it was asked for: by a rate limit, or by the connection.
TEST_P(ModelPages, ConsumedCapacityWhenAskedFor) {
  auto threads = five_threads();
  double total = 0;
  for (const auto& page : threads.query("F", {}, {}, {.page_size = 2, .rate_limit = 1000.0}).pages()) {
    ASSERT_TRUE(page.consumed_capacity());
    EXPECT_GT(*page.consumed_capacity(), 0.0);
    total += *page.consumed_capacity();
  }
  const dynamo::Connection asking(db_->shared_backend(), {},
                                  {.return_consumed_capacity = dynamo::api::ReturnConsumedCapacity::total});
  auto results = dynamo::table_of<Thread>(asking).scan({}, {.page_size = 3});
  for (const auto& page : results.pages()) {
    ASSERT_TRUE(page.consumed_capacity());
    EXPECT_GE(*page.consumed_capacity(), 0.0);
  }
  EXPECT_GT(total, 0.0);
}

// Pages and items move one position: a page loop after an item loop that stopped inside a
// page starts with the rest of that page; an item loop after a page loop continues with the
// next page; nothing is seen twice.
TEST_P(ModelPages, PagesAndItemsShareThePosition) {
  auto threads = five_threads();
  auto results = threads.query("F", {}, {}, {.page_size = 2, .consistent_read = true});
  for (const Thread& t : results) {
    EXPECT_EQ(t.subject, "1");
    break;
  }
  auto pages = results.pages();
  auto page = pages.begin();
  ASSERT_NE(page, pages.end());
  EXPECT_EQ(subjects_of(*page), (std::vector<std::string>{"2"}));
  EXPECT_EQ(page->count(), 2) << "DynamoDB's count of the whole response";
  ASSERT_TRUE(page->last_evaluated_key());
  EXPECT_EQ(page->last_evaluated_key()->at("subject"), dynamo::AttributeValue("2"));
  ++page;
  ASSERT_NE(page, pages.end());
  EXPECT_EQ(subjects_of(*page), (std::vector<std::string>{"3", "4"}));
  // Stopping here: the item loop goes on with the next page.
  std::vector<std::string> rest;
  for (const Thread& t : results) rest.push_back(t.subject);
  EXPECT_EQ(rest, (std::vector<std::string>{"5"}));
  EXPECT_FALSE(results.last_evaluated_key());
}

// An index query pages too, with the index's keys in each resume key.
TEST_P(ModelPages, IndexPages) {
  auto posts = fresh<Post>();
  for (int i = 0; i < 3; ++i) {
    posts.save(Post{.forum = "F", .thread = std::to_string(i), .view = 1, .author = "a" + std::to_string(i)});
  }
  auto by_view = posts.index(dynamo::model<Post>::by_view());
  std::size_t items = 0;
  for (const auto& page : by_view.query(1, {}, {}, {.page_size = 2}).pages()) {
    items += page.size();
    if (page.last_evaluated_key()) {
      EXPECT_TRUE(page.last_evaluated_key()->find("view"));
      EXPECT_TRUE(page.last_evaluated_key()->find("thread"));
    }
  }
  EXPECT_EQ(items, 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelPages, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

// ---- failed pages, on the embedded engine -------------------------------------------------

struct Throttled {
  dynamo::Connection engine = dynamo::Connection::embedded();
  std::shared_ptr<ThrottlingBackend> backend = std::make_shared<ThrottlingBackend>(engine.shared_backend());
  dynamo::ModelTable<Thread> threads = dynamo::table_of<Thread>(dynamo::Connection(backend));

  Throttled() {
    threads.create_table({.wait = true});
    for (int i = 1; i <= 5; ++i) threads.save(Thread{.forum_name = "F", .subject = std::to_string(i)});
  }
};

// The first page fails: the page loop throws QueryError, and looping again sends the
// request again and yields every page.
TEST(ModelPagesRetry, FirstPageFailureIsRetried) {
  Throttled t;
  auto results = t.threads.query("F", {}, {}, {.page_size = 2});
  t.backend->failures = 1;
  EXPECT_THROW((void)results.pages().to_vector(), dynamo::QueryError);
  EXPECT_FALSE(results.last_evaluated_key());
  EXPECT_EQ(results.pages().to_vector().size(), 3u);
  EXPECT_EQ(t.backend->calls.load(), 4);
}

// A later page fails: the pages before it were handed out once; the next loop fetches the
// failed page again and goes on, repeating nothing.
TEST(ModelPagesRetry, LaterPageFailureResumes) {
  Throttled t;
  auto results = t.threads.query("F", {}, {}, {.page_size = 2});
  std::vector<std::string> seen;
  try {
    for (const auto& page : results.pages()) {
      for (const Thread& thread : page) seen.push_back(thread.subject);
      t.backend->failures = 1;  // the page after this one fails
    }
    ADD_FAILURE() << "no QueryError";
  } catch (const dynamo::QueryError& e) {
    EXPECT_EQ(e.code(), "ThrottlingException");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2"}));
  for (const auto& page : results.pages()) {
    for (const Thread& thread : page) seen.push_back(thread.subject);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
}

// An item the model cannot read (a number stored as text) fails its page: nothing of that
// page is handed out, and the next loop is offered the same page again rather than the one
// after it. An item loop gets past it, one item at a time.
TEST(ModelPagesRetry, UnreadableItemKeepsItsPage) {
  Throttled t;
  t.engine.table("Thread").put({{"forum_name", "F"}, {"subject", "2"}, {"views", "many"}});
  auto results = t.threads.query("F", {}, {}, {.page_size = 2});
  EXPECT_THROW((void)results.pages().to_vector(), dynamo::Error);
  EXPECT_FALSE(results.last_evaluated_key()) << "nothing was handed out";
  EXPECT_THROW((void)results.pages().to_vector(), dynamo::Error);
  EXPECT_EQ(t.backend->calls.load(), 1) << "the same page, not fetched again";

  std::vector<std::string> seen;
  for (const Thread& thread : results) {
    seen.push_back(thread.subject);
    break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1"}));
  EXPECT_THROW(for (const Thread& thread : results) seen.push_back(thread.subject), dynamo::Error);  // item 2
  for (const auto& page : results.pages()) {
    for (const Thread& thread : page) seen.push_back(thread.subject);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "3", "4", "5"}));
}

}  // namespace
