// Model operations against every backend the build has (the embedded engine and dynalite;
// see tests/conformance/backends.hpp): table management, items, conditions, updates,
// query/scan/count with paging, indexes, TTL, rate limiting, optimistic locking.
#include <gtest/gtest.h>

#include <chrono>

#include "model/backend_fixture.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using dynamo::field;

class ModelOperations : public BackendTest {
 protected:
  // 20 threads in forum "F" (subjects s00..s19, views = i) and 5 in forum "G".
  dynamo::ModelTable<Thread> threads_with_data() {
    auto threads = fresh<Thread>();
    for (int i = 0; i < 20; ++i) {
      char subject[8];
      std::snprintf(subject, sizeof subject, "s%02d", i);
      threads.save(Thread{.forum_name = "F", .subject = subject, .views = i, .tags = {i % 2 ? "odd" : "even"}});
    }
    for (int i = 0; i < 5; ++i) threads.save(Thread{.forum_name = "G", .subject = "g" + std::to_string(i)});
    return threads;
  }
};

std::vector<std::string> subjects(auto&& results) {
  std::vector<std::string> out;
  for (const Thread& t : results) out.push_back(t.subject);
  return out;
}

// exists(), create_table(), describe_table() and delete_table() follow the table's life.
TEST_P(ModelOperations, TableLifecycle) {
  auto threads = dynamo::table_of<Thread>(*db_);
  if (threads.exists()) threads.delete_table({.wait = true});
  EXPECT_FALSE(threads.exists());
  threads.create_table({.wait = true, .read_capacity_units = 2, .write_capacity_units = 3});
  EXPECT_TRUE(threads.exists());
  const auto description = threads.describe_table();
  EXPECT_EQ(description.table_name, "Thread");
  EXPECT_EQ(description.key_schema->size(), 2u);
  EXPECT_EQ(description.provisioned_throughput->write_capacity_units, 3);
  threads.delete_table({.wait = true});
  EXPECT_FALSE(threads.exists());
  EXPECT_THROW((void)threads.get("a", "b"), dynamo::GetError);
}

// save() then get() returns the same object; a missing item is DoesNotExist; find() is nullopt.
TEST_P(ModelOperations, SaveGetAndDoesNotExist) {
  auto threads = fresh<Thread>();
  Thread t{.forum_name = "C++", .subject = "Modules", .views = 3, .tags = {"a", "b"}, .notes = {"n"}};
  t.last_post_datetime = dynamo::parse_utc_time("2024-02-03T04:05:06.000007+0000");
  t.thread_name = "mods";
  threads.save(t);
  const Thread got = threads.get("C++", "Modules", {.consistent_read = true});
  EXPECT_EQ(dynamo::serialize(got), dynamo::serialize(t));
  EXPECT_THROW((void)threads.get("C++", "Nope"), dynamo::DoesNotExist);
  EXPECT_FALSE(threads.find({"C++", "Nope"}));
  const Thread slim = threads.get("C++", "Modules", {.attributes_to_get = {"forum_name", "views"}});
  EXPECT_EQ(slim.views, 3);
  EXPECT_TRUE(slim.subject.empty());
  EXPECT_TRUE(slim.tags.empty());
}

// Every attribute type survives a trip through the table.
TEST_P(ModelOperations, EveryAttributeTypeRoundTrips) {
  auto table = fresh<Everything>();
  Everything e;
  e.id = "x";
  e.u64 = 18446744073709551615ULL;
  e.f = 0.25f;
  e.exact = dynamo::Number::parse("-1.5e-10");
  e.bytes = dynamo::Binary{1, 2, 3};
  e.numbers = {5, 7};
  e.binaries = {dynamo::Binary{9}};
  e.cars = {CarInfo{.make = "A", .model = "a"}};
  e.untyped_list = dynamo::List{"bread", 1};
  e.raw_map = dynamo::AttributeMap{{"nested", dynamo::AttributeMap{{"deep", true}}}};
  e.car.make = "Make";
  e.dynamic_car = DynamicCarInfo{.make = "M", .model = std::nullopt, .rest = {{"seats", 3}}};
  e.when = dynamo::utc_now();
  e.expires = dynamo::Ttl::in(std::chrono::hours(24));
  e.color = Color{"red"};
  e.anything = dynamo::AttributeValue(dynamo::List{1, "x"});
  table.save(e);
  const Everything back = table.get("x");
  EXPECT_EQ(dynamo::serialize(back), dynamo::serialize(e));
  EXPECT_EQ(back.color, Color{"red"});
  EXPECT_EQ(back.dynamic_car->rest, (dynamo::AttributeMap{{"seats", 3}}));
}

// Conditional save and remove: the condition failing raises PutError/DeleteError with
// DynamoDB's code and writes nothing.
TEST_P(ModelOperations, ConditionalSaveAndRemove) {
  auto threads = fresh<Thread>();
  const Thread t{.forum_name = "F", .subject = "S", .views = 1};
  threads.save(t, field(&Thread::forum_name).does_not_exist());
  try {
    threads.save(Thread{.forum_name = "F", .subject = "S", .views = 99}, field(&Thread::forum_name).does_not_exist());
    FAIL() << "expected PutError";
  } catch (const dynamo::PutError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
  }
  EXPECT_EQ(threads.get("F", "S").views, 1);
  EXPECT_THROW(threads.remove(t, field(&Thread::views) == 0), dynamo::DeleteError);
  threads.remove(t, field(&Thread::views) == 1);
  EXPECT_FALSE(threads.find({"F", "S"}));
}

// update() applies every action kind, refreshes the object from ALL_NEW, and a failed
// condition raises UpdateError leaving the item alone.
TEST_P(ModelOperations, UpdateActionsRefreshTheObject) {
  auto threads = fresh<Thread>();
  Thread t{.forum_name = "F", .subject = "S", .views = 1, .tags = {"old", "keep"}, .notes = {"b"}};
  threads.save(t);
  const auto views = field(&Thread::views);
  // (DynamoDB refuses two actions on one path in one update, hence three updates.)
  threads.update(t, {views.set(views + 5), field(&Thread::tags).add({"new"}), field(&Thread::notes).append({"c"}),
                     field(&Thread::thread_name).set(field(&Thread::thread_name) | "default"),
                     field(&Thread::replies).add(2)});
  threads.update(t, {field(&Thread::tags).remove_from_set({"old"}), field(&Thread::notes).prepend({"a"})});
  EXPECT_EQ(t.views, 6);
  EXPECT_EQ(t.tags, (std::set<std::string>{"keep", "new"}));
  EXPECT_EQ(t.notes, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(t.thread_name, "default");
  EXPECT_EQ(t.replies, 2);
  threads.update(t, {field(&Thread::notes)[0].remove(), field(&Thread::thread_name).remove()}, views < 100);
  EXPECT_EQ(t.notes, (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(t.thread_name);
  EXPECT_THROW(threads.update(t, {views.set(0)}, views > 100), dynamo::UpdateError);
  EXPECT_EQ(threads.get("F", "S").views, 6);
  const Thread by_key = threads.update({"F", "S"}, {views.set(7 - views)});
  EXPECT_EQ(by_key.views, 1);
}

// Updates reach into declared maps, lists of maps and raw maps.
TEST_P(ModelOperations, NestedUpdates) {
  auto table = fresh<Everything>();
  Everything e;
  e.id = "n";
  e.car = CarInfo{.make = "A", .model = std::nullopt};
  e.cars = {CarInfo{.make = "B", .model = std::nullopt}};
  e.raw_map = dynamo::AttributeMap{{"k", 1}};
  table.save(e);
  table.update(e, {field(&Everything::car).field(&CarInfo::model).set("m"), field(&Everything::cars)[0].field(&CarInfo::make).set("C"),
                   field(&Everything::raw_map)["k"].set(2)},
               field(&Everything::car).field(&CarInfo::make) == "A");
  EXPECT_EQ(e.car.model, "m");
  EXPECT_EQ(e.cars[0].make, "C");
  EXPECT_EQ(e.raw_map.at("k"), dynamo::AttributeValue(2));
}

// refresh() reloads the object; on a deleted item it raises DoesNotExist.
TEST_P(ModelOperations, Refresh) {
  auto threads = fresh<Thread>();
  Thread t{.forum_name = "F", .subject = "S"};
  threads.save(t);
  (void)threads.update({"F", "S"}, {field(&Thread::views).set(42)});
  threads.refresh(t, true);
  EXPECT_EQ(t.views, 42);
  threads.remove_key({"F", "S"});
  EXPECT_THROW(threads.refresh(t), dynamo::DoesNotExist);
}

// Query with range-key conditions, filters, order, limit and projections.
TEST_P(ModelOperations, QueryConditionsOrderAndLimit) {
  auto threads = threads_with_data();
  EXPECT_EQ(subjects(threads.query("F", field(&Thread::subject).begins_with("s1"))).size(), 10u);
  EXPECT_EQ(subjects(threads.query("F", field(&Thread::subject).between("s03", "s05"))),
            (std::vector<std::string>{"s03", "s04", "s05"}));
  EXPECT_EQ(subjects(threads.query("F", field(&Thread::subject) > "s17")), (std::vector<std::string>{"s18", "s19"}));
  EXPECT_EQ(subjects(threads.query("F", {}, field(&Thread::tags).contains("odd") && field(&Thread::views) < 6)),
            (std::vector<std::string>{"s01", "s03", "s05"}));
  EXPECT_EQ(subjects(threads.query("F", {}, {}, {.limit = 3, .scan_index_forward = false})),
            (std::vector<std::string>{"s19", "s18", "s17"}));
  for (const Thread& t : threads.query("F", {}, {}, {.limit = 2, .attributes_to_get = {"subject"}})) {
    EXPECT_EQ(t.views, 0);
    EXPECT_FALSE(t.subject.empty());
  }
  EXPECT_TRUE(subjects(threads.query("nobody")).empty());
}

// Results page lazily, and last_evaluated_key resumes right after the last item seen,
// whether the loop stopped inside a page or at a page's end.
TEST_P(ModelOperations, PagingAndResume) {
  auto threads = threads_with_data();
  auto all = threads.query("F", {}, {}, {.page_size = 3});
  EXPECT_EQ(subjects(all).size(), 20u);
  EXPECT_GE(all.pages_fetched(), 7);
  EXPECT_FALSE(all.last_evaluated_key());

  std::vector<std::string> seen;
  std::optional<dynamo::Item> resume;
  for (int round = 0; round < 10; ++round) {
    auto page = threads.query("F", {}, {}, {.limit = 4, .page_size = 3, .last_evaluated_key = resume});
    for (const Thread& t : page) seen.push_back(t.subject);
    resume = page.last_evaluated_key();
    if (!resume) break;
  }
  ASSERT_EQ(seen.size(), 20u) << ::testing::PrintToString(seen);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], (i < 10 ? "s0" : "s1") + std::to_string(i % 10));

  // A loop that breaks inside a page resumes right after the last item it saw.
  auto partial = threads.scan({}, {.page_size = 10});
  int taken = 0;
  for (const Thread& t : partial) {
    (void)t;
    if (++taken == 4) break;
  }
  auto rest = threads.scan({}, {.last_evaluated_key = partial.last_evaluated_key()});
  EXPECT_EQ(subjects(rest).size(), 21u);
}

// Scan with filters and parallel segments; count follows the manual's rules.
TEST_P(ModelOperations, ScanAndCount) {
  auto threads = threads_with_data();
  EXPECT_EQ(subjects(threads.scan(field(&Thread::forum_name).startswith("G") || field(&Thread::views) > 17)).size(), 7u);
  std::size_t total = 0;
  for (int segment = 0; segment < 3; ++segment)
    total += subjects(threads.scan({}, {.segment = segment, .total_segments = 3})).size();
  EXPECT_EQ(total, 25u);
  EXPECT_EQ(threads.count("F"), 20);
  EXPECT_EQ(threads.count("F", field(&Thread::subject) < "s05"), 5);
  EXPECT_EQ(threads.count("F", {}, field(&Thread::tags).contains("odd")), 10);
  EXPECT_EQ(threads.count("F", {}, {}, {.limit = 7}), 7);
  EXPECT_EQ(threads.count(), 25);
  EXPECT_EQ(threads.count(std::nullopt, {}), 25);
  EXPECT_THROW((void)threads.count(std::nullopt, {}, field(&Thread::views) > 1), dynamo::ModelUsageError)
      << "a filter without a hash key is refused (PynamoDB's ValueError)";
}

// Global and local indexes are created from the model and queried, scanned and counted;
// last_evaluated_key of an index query holds the table's and the index's keys.
TEST_P(ModelOperations, Indexes) {
  auto posts = fresh<Post>();
  const auto description = posts.describe_table();
  ASSERT_TRUE(description.global_secondary_indexes);
  EXPECT_EQ(description.global_secondary_indexes->size(), 2u);
  ASSERT_TRUE(description.local_secondary_indexes);
  for (int i = 0; i < 6; ++i)
    posts.save(Post{.forum = i < 4 ? "f1" : "f2", .thread = "t" + std::to_string(i), .view = i % 3,
                    .author = i % 2 ? "ann" : "bob", .body = "body"});
  auto by_view = posts.index(dynamo::model<Post>::by_view());
  EXPECT_EQ(by_view.query(1).to_vector().size(), 2u);
  EXPECT_EQ(by_view.count(2), 2);
  EXPECT_EQ(by_view.scan().to_vector().size(), 6u);

  auto by_author = posts.index(dynamo::model<Post>::by_author());
  auto ann = by_author.query("ann", field(&Post::view) >= 1, {}, {.limit = 1});
  const auto first = ann.to_vector();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].body.empty()) << "keys-only projection";
  const auto key = ann.last_evaluated_key();
  ASSERT_TRUE(key);
  for (const char* name : {"forum", "thread", "author", "view"}) EXPECT_TRUE(key->contains(name)) << name;

  auto local = posts.index(dynamo::model<Post>::forum_by_view());
  std::vector<std::int64_t> views;
  for (const Post& p : local.query("f1", field(&Post::view) > 0)) views.push_back(p.view);
  EXPECT_EQ(views, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(local.count("f1", {}, field(&Post::author) == "ann"), 2);
}

// A model with a Ttl attribute gets TTL enabled on it by create_table().
TEST_P(ModelOperations, TtlEnabledByCreateTable) {
  if (!dynamo::testing::known_gap(GetParam(), "ttl").empty()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "ttl");
  auto table = fresh<Everything>();
  const auto ttl = db_->describe_time_to_live({.table_name = "Everything"});
  ASSERT_TRUE(ttl.time_to_live_description);
  EXPECT_EQ(ttl.time_to_live_description->attribute_name, "expires");
}

// rate_limit slows a scan to the requested read units per second, as consumed capacity says.
TEST_P(ModelOperations, RateLimitedScan) {
  auto threads = threads_with_data();
  const auto start = std::chrono::steady_clock::now();
  auto results = threads.scan({}, {.page_size = 5, .rate_limit = 20.0});
  EXPECT_EQ(subjects(results).size(), 25u);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_GT(results.consumed_capacity(), 0.0);
  // Every page but the last is paid for before the next one starts.
  const double expected = (results.consumed_capacity() - results.consumed_capacity() / results.pages_fetched()) / 20.0;
  EXPECT_GE(seconds, expected * 0.9) << "consumed " << results.consumed_capacity() << " units in " << results.pages_fetched() << " pages";
}

// Optimistic locking: saves and updates increment the version; a stale copy fails.
TEST_P(ModelOperations, OptimisticLocking) {
  auto offices = fresh<Office>();
  Office office{.office_id = "o1", .name = "office"};
  offices.save(office);
  EXPECT_EQ(office.version, 1);
  Office stale = offices.get("o1");
  office.name = "renamed";
  offices.save(office);
  EXPECT_EQ(office.version, 2);
  EXPECT_THROW(offices.update(stale, {field(&Office::name).set("x")}), dynamo::UpdateError);
  EXPECT_THROW(offices.save(stale), dynamo::PutError);
  offices.refresh(stale);
  offices.save(stale);
  EXPECT_EQ(stale.version, 3);
  offices.update(stale, {field(&Office::name).set("y")});
  EXPECT_EQ(stale.version, 4);
  EXPECT_THROW(offices.remove(office), dynamo::DeleteError);
  offices.update(office, {field(&Office::name).set("z")}, {}, {.add_version_condition = false});
  EXPECT_EQ(office.version, 5);
  offices.remove(office);
  EXPECT_FALSE(offices.find("o1"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelOperations, ::testing::Values("embedded", "dynalite"),
                         [](const auto& row) { return row.param; });

}  // namespace
