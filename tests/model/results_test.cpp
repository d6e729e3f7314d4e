// Query and scan results looped over more than once: a second loop continues where the
// first stopped (where last_evaluated_key() points), and a page fetch that failed, first
// page or later, is sent again by the next loop without losing or repeating items.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;

std::vector<std::string> subjects(auto&& results) {
  std::vector<std::string> out;
  for (const Thread& t : results) out.push_back(t.subject);
  return out;
}

class ModelResults : public BackendTest {
 protected:
  dynamo::ModelTable<Thread> three_threads() {
    auto threads = fresh<Thread>();
    for (const char* subject : {"1", "2", "3"}) threads.save(Thread{.forum_name = "F", .subject = subject});
    return threads;
  }
};

// A loop that breaks after the first item, then a second loop: the second sees 2 and 3,
// which is also what last_evaluated_key() said was left.
TEST_P(ModelResults, SecondLoopContinuesAfterTheFirst) {
  auto threads = three_threads();
  auto results = threads.query("F", {}, {}, {.consistent_read = true});
  for (const Thread& t : results) {
    EXPECT_EQ(t.subject, "1");
    break;
  }
  const auto resume = results.last_evaluated_key();
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->at("subject"), dynamo::AttributeValue("1"));
  EXPECT_EQ(subjects(results), (std::vector<std::string>{"2", "3"}));
  EXPECT_TRUE(subjects(results).empty()) << "a finished result has nothing left";
  EXPECT_FALSE(results.last_evaluated_key());

  // The same across page boundaries, with a scan of one item per page.
  auto scan = threads.scan({}, {.page_size = 1, .consistent_read = true});
  std::vector<std::string> seen;
  for (int loop = 0; loop < 5; ++loop) {
    for (const Thread& t : scan) {
      seen.push_back(t.subject);
      break;
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelResults, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

struct Throttled {
  dynamo::Connection engine = dynamo::Connection::embedded();
  std::shared_ptr<ThrottlingBackend> backend = std::make_shared<ThrottlingBackend>(engine.shared_backend());
  dynamo::ModelTable<Thread> threads = dynamo::table_of<Thread>(dynamo::Connection(backend));

  Throttled() {
    threads.create_table({.wait = true});
    for (const char* subject : {"1", "2", "3"}) threads.save(Thread{.forum_name = "F", .subject = subject});
  }
};

// The first page fails: the loop throws, and looping again sends the request again and
// yields every item (it used to yield nothing, silently).
TEST(ModelResultsRetry, FirstPageFailureIsRetried) {
  Throttled t;
  auto results = t.threads.query("F");
  t.backend->failures = 1;
  EXPECT_THROW(subjects(results), dynamo::QueryError);
  EXPECT_FALSE(results.last_evaluated_key()) << "nothing read yet: start from the beginning";
  EXPECT_EQ(subjects(results), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(t.backend->calls.load(), 2);

  auto scan = t.threads.scan();
  t.backend->failures = 2;
  EXPECT_THROW(subjects(scan), dynamo::ScanError);
  EXPECT_THROW((void)scan.to_vector(), dynamo::ScanError);
  EXPECT_EQ(scan.to_vector().size(), 3u);
}

// A later page fails: the items before it were handed out once; the next loop fetches the
// failed page again and goes on from there, repeating nothing.
TEST(ModelResultsRetry, LaterPageFailureResumes) {
  Throttled t;
  auto results = t.threads.query("F", {}, {}, {.page_size = 1});
  std::vector<std::string> seen;
  try {
    for (const Thread& thread : results) {
      seen.push_back(thread.subject);
      t.backend->failures = 1;  // the page after this one fails
    }
    ADD_FAILURE() << "no QueryError";
  } catch (const dynamo::QueryError& e) {
    EXPECT_EQ(e.code(), "ThrottlingException");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1"}));
  for (const Thread& thread : results) seen.push_back(thread.subject);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3"}));
}

}  // namespace
