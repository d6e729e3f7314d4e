// PynamoDB's index queries: a global secondary index with its own capacity and name, a
// local secondary index, projections, and paging with last_evaluated_key.
#include <dynamo/dynamo.hpp>

#include <iostream>

#include "example_connection.hpp"

struct TestModel {
  std::string forum{};
  std::string thread{};
  std::int64_t view = 0;
  std::string author{};
};

template <>
struct dynamo::model<TestModel> {
  // class ViewIndex(GlobalSecondaryIndex): index_name = 'foo-index', 2/1 capacity, all.
  static auto view_index() {
    return dynamo::global_index<TestModel>("foo-index")
        .hash_key(&TestModel::view)
        .projection(dynamo::IndexProjection::all())
        .capacity(2, 1);
  }
  // A local index: the table's hash key, ordered by view, projecting only `author`.
  static auto forum_views() {
    return dynamo::local_index<TestModel>("forum-views")
        .hash_key(&TestModel::forum)
        .range_key(&TestModel::view)
        .projection(dynamo::IndexProjection::include({"author"}));
  }
  static auto schema() {
    return dynamo::table<TestModel>("TestModel")
        .hash_key("forum", &TestModel::forum)
        .range_key("thread", &TestModel::thread)
        .attribute("view", &TestModel::view)
        .attribute("author", &TestModel::author)
        .index(view_index())
        .index(forum_views());
  }
};

int main() {
  using dynamo::field;
  std::cout << "Index queries on " << examples::where() << "\n";
  auto tests = examples::connection().table<TestModel>();
  examples::recreate(tests, {.wait = true, .read_capacity_units = 5, .write_capacity_units = 5});
  for (int i = 0; i < 12; ++i)
    tests.save(TestModel{.forum = "foo", .thread = "t" + std::to_string(i), .view = i % 4, .author = i % 2 ? "ann" : "bob"});

  auto view_index = tests.index(dynamo::model<TestModel>::view_index());
  std::cout << "view_index.query(1):";
  for (const TestModel& item : view_index.query(1)) std::cout << " " << item.thread;
  std::cout << "\nview_index.count(1) = " << view_index.count(1) << "\n";

  auto local = tests.index(dynamo::model<TestModel>::forum_views());
  std::cout << "local index query('foo', view > 2):";
  for (const TestModel& item : local.query("foo", field(&TestModel::view) > 2))
    std::cout << " " << item.thread << "(view " << item.view << ", author " << item.author << ")";
  std::cout << "\n";

  // Pagination: stop after each group of 5 and resume from last_evaluated_key.
  std::optional<dynamo::Item> last_evaluated_key;
  int page = 0;
  do {
    auto results = local.query("foo", field(&TestModel::view) > 0, {}, {.limit = 5, .last_evaluated_key = last_evaluated_key});
    std::cout << "page " << ++page << ":";
    for (const TestModel& item : results) std::cout << " " << item.thread;
    last_evaluated_key = results.last_evaluated_key();
    if (last_evaluated_key) std::cout << "   last_evaluated_key " << *last_evaluated_key;
    std::cout << "\n";
  } while (last_evaluated_key);
  tests.delete_table({.wait = true});
  return 0;
}
