// Typed PartiQL SELECTs: ModelTable::select() binds C++ values to `?`, yields models in the
// order DynamoDB returns them, pages lazily, and refuses attribute names the model does not
// declare before sending anything.
#include <gtest/gtest.h>

#include "model/models.hpp"

namespace {

using model_test::Thread;

class ModelSelect : public ::testing::Test {
 protected:
  ModelSelect() : db_(dynamo::Connection::embedded()), threads_(db_.table<Thread>()) {
    threads_.create_table({.wait = true});
    for (int i = 1; i <= 5; ++i) {
      threads_.save(Thread{.forum_name = "C++", .subject = "s" + std::to_string(i), .views = i * 10});
    }
    threads_.save(Thread{.forum_name = "Rust", .subject = "r1", .views = 100});
  }

  static std::vector<std::string> subjects(std::vector<Thread> found) {
    std::vector<std::string> out;
    for (const auto& t : found) out.push_back(t.subject);
    return out;
  }

  dynamo::Connection db_;
  dynamo::ModelTable<Thread> threads_;
};

// Parameters of several C++ types bind in order; the results are whole models.
TEST_F(ModelSelect, BindsParametersAndYieldsModels) {
  auto found = threads_.select("WHERE forum_name = ? AND views > ?", "C++", std::int64_t{20}).to_vector();
  EXPECT_EQ(subjects(found), (std::vector<std::string>{"s3", "s4", "s5"}));
  EXPECT_EQ(found.front().views, 30);
  EXPECT_EQ(found.front().forum_name, "C++");

  const std::string forum = "Rust";
  auto rust = threads_.select("WHERE forum_name = ?", forum).to_vector();
  ASSERT_EQ(rust.size(), 1U);
  EXPECT_EQ(rust.front().views, 100);
}

// ORDER BY the sort key, and a Scan when the partition key is not pinned.
TEST_F(ModelSelect, OrderByAndScan) {
  EXPECT_EQ(subjects(threads_.select("WHERE forum_name = 'C++' ORDER BY subject DESC").to_vector()),
            (std::vector<std::string>{"s5", "s4", "s3", "s2", "s1"}));
  EXPECT_EQ(threads_.select("WHERE views >= ?", 50).to_vector().size(), 2U);
  EXPECT_EQ(threads_.select("").to_vector().size(), 6U);
}

// Pages are fetched as the loop needs them.
TEST_F(ModelSelect, PagesLazily) {
  auto results = dynamo::select_models<Thread>(db_, "WHERE forum_name = ?", 2, "C++");
  EXPECT_EQ(results.pages_fetched(), 0);
  auto it = results.begin();
  EXPECT_EQ(it->subject, "s1");
  EXPECT_EQ(results.pages_fetched(), 1);
  int seen = 1;
  for (++it; it != results.end(); ++it) ++seen;
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(results.pages_fetched(), 3);
}

// A name the model does not declare is refused before anything is sent; errors of the
// statement itself come from the service.
TEST_F(ModelSelect, UnknownAttributeIsAModelUsageError) {
  try {
    (void)threads_.select("WHERE forum_name = ? AND viewz > 1", "C++");
    ADD_FAILURE() << "viewz is not an attribute of Thread";
  } catch (const dynamo::ModelUsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "the statement names attribute 'viewz', which the model of table Thread does not declare: "
              "SELECT * FROM \"Thread\" WHERE forum_name = ? AND viewz > 1");
  }
  auto broken = threads_.select("WHERE");
  EXPECT_THROW((void)broken.to_vector(), dynamo::StatementError);
}

}  // namespace
