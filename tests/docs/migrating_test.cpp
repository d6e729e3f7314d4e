// docs/migrating-from-pynamodb.md's code, compiled and, where no server is needed, run on the
// embedded engine. Migrating.PageShowsOnlyCodeFromHere checks that every C++ block of the
// page appears below, so a snippet cannot change in the page without this file changing too.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "docs/snippets.hpp"

// "Side by side: the Thread model"
#include <dynamo/dynamo.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;
  std::int64_t replies = 0;
  std::int64_t answered = 0;
  std::set<std::string> tags{};
  std::optional<dynamo::utc_time> last_post_datetime{};
  std::vector<std::string> notes{};
};

template <>
struct dynamo::model<Thread> {
  static auto schema() {
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("views", &Thread::views)
        .attribute("replies", &Thread::replies)
        .attribute("answered", &Thread::answered)
        .attribute("tags", &Thread::tags)
        .attribute("last_post_datetime", &Thread::last_post_datetime)
        .attribute("notes", &Thread::notes);
  }
};

// "Transactions"
struct BankStatement {
  std::string user_id{};
  std::int64_t account_balance = 0;
  bool is_active = false;
};

template <>
struct dynamo::model<BankStatement> {
  static auto schema() {
    return dynamo::table<BankStatement>("BankStatement")
        .hash_key("user_id", &BankStatement::user_id)
        .attribute("account_balance", &BankStatement::account_balance)
        .attribute("is_active", &BankStatement::is_active);
  }
};

// "Optimistic locking"
struct Office {
  std::string office_id{};
  std::string name{};
  std::vector<std::string> employees{};
  std::int64_t version = 0;
};

template <>
struct dynamo::model<Office> {
  static auto schema() {
    return dynamo::table<Office>("Office")
        .hash_key("office_id", &Office::office_id)
        .attribute("name", &Office::name)
        .attribute("employees", &Office::employees)
        .version("version", &Office::version);
  }
};

// "Coming from DynamORM or boto"
struct Thing {
  std::string id{};
  std::string name{};
  std::string color{};

  [[nodiscard]] std::string say_hello() const { return "Hello. " + name + " here. My ID is " + id; }
};

template <>
struct dynamo::model<Thing> {
  static auto schema() {
    const char* environment = std::getenv("ENVIRONMENT");
    return dynamo::table<Thing>(std::string(environment != nullptr ? environment : "dev") + "-things")
        .hash_key("id", &Thing::id)
        .attribute("name", &Thing::name)
        .attribute("color", &Thing::color)
        .settings({.read_capacity_units = 5, .write_capacity_units = 1});
  }
};

struct User {
  std::string account_type{};
  std::string last_name{};
  std::string first_name{};
  std::int64_t date_joined = 0;
};

template <>
struct dynamo::model<User> {
  static auto date_joined_index() {
    return dynamo::local_index<User>("DateJoinedIndex")
        .hash_key(&User::account_type)
        .range_key(&User::date_joined)
        .projection(dynamo::IndexProjection::all());
  }
  static auto schema() {
    return dynamo::table<User>("users")
        .hash_key("account_type", &User::account_type)
        .range_key("last_name", &User::last_name)
        .attribute("first_name", &User::first_name)
        .attribute("date_joined", &User::date_joined)
        .index(date_joined_index());
  }
};

// Not on the page: a model with a Ttl, for the inline forms checked below.
struct Session {
  std::string id{};
  dynamo::Ttl expires{};
  std::set<std::string> roles{};
};

template <>
struct dynamo::model<Session> {
  static auto schema() {
    return dynamo::table<Session>("Session").hash_key("id", &Session::id).attribute("expires", &Session::expires).attribute("roles", &Session::roles);
  }
};

namespace migrating {

// "Conditional writes"
dynamo::expr::Condition busy_threads(std::optional<std::int64_t> min_views, std::optional<std::int64_t> min_replies) {
  using dynamo::field;
  dynamo::expr::Condition condition;
  if (min_views) condition &= field(&Thread::views) >= *min_views;
  if (min_replies) condition &= field(&Thread::replies) >= *min_replies;
  return condition;
}

// "Query with a range key condition and a filter"
std::optional<dynamo::Item> iterate_over_page(const dynamo::ModelTable<Thread>& threads,
                                              std::optional<dynamo::Item> last_evaluated_key) {
  auto results = threads.query("Amazon DynamoDB", {}, {}, {.limit = 10, .last_evaluated_key = last_evaluated_key});
  for (const Thread& thread : results) {
    (void)thread;  // ...
  }
  return results.last_evaluated_key();  // std::nullopt once everything was read
}

// "Signals, logging and settings": compiled only (it needs a server).
dynamo::Connection connect_to_local_server() {
  return dynamo::Connection::connect({.endpoint = "http://localhost:8000",
                                      .region = "us-east-1",
                                      .access_key_id = "local",
                                      .secret_access_key = dynamo::auth::SecretString("local"),
                                      .settings = {.connect_timeout_seconds = 5.0,
                                                   .read_timeout_seconds = 10.0,
                                                   .max_retry_attempts = 5,
                                                   .extra_headers = std::map<std::string, std::string>{{"X-Team", "forums"}}}});
}

}  // namespace migrating

namespace {

// The Thread walk-through, in the page's order, with checks between the snippets.
TEST(Migrating, ThreadWalkThrough) {
  // "Creating the table"
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  if (!threads.exists()) {
    threads.create_table({.wait = true, .read_capacity_units = 1, .write_capacity_units = 1});
  }
  EXPECT_TRUE(threads.exists());

  // "Saving and getting"
  Thread thread_item{.forum_name = "Amazon DynamoDB", .subject = "How do I update multiple items?", .replies = 10};
  threads.save(thread_item);

  thread_item = threads.get("Amazon DynamoDB", "How do I update multiple items?");
  try {
    (void)threads.get("Amazon DynamoDB", "No such subject");
  } catch (const dynamo::DoesNotExist&) {
  }
  std::optional<Thread> missing = threads.find({"Amazon DynamoDB", "No such subject"});  // std::nullopt
  EXPECT_FALSE(missing.has_value());
  EXPECT_EQ(thread_item.replies, 10);
  EXPECT_THROW((void)threads.get("Amazon DynamoDB", "No such subject"), dynamo::DoesNotExist);

  // "Updating with actions"
  using dynamo::field;
  threads.update(thread_item, {field(&Thread::views).set(field(&Thread::views) + 1),
                               field(&Thread::last_post_datetime).set(dynamo::utc_now()),
                               field(&Thread::tags).add({"update", "multiple items"}),
                               field(&Thread::notes).append({"first reply"})});
  // thread_item now holds the item as DynamoDB stored it: views == 1, one note
  EXPECT_EQ(thread_item.views, 1);
  EXPECT_EQ(thread_item.notes, std::vector<std::string>{"first reply"});
  EXPECT_EQ(thread_item.tags, (std::set<std::string>{"multiple items", "update"}));
  EXPECT_TRUE(thread_item.last_post_datetime.has_value());

  // "Conditional writes"
  std::string code;
  try {
    threads.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "How do I update multiple items?"},
                 field(&Thread::forum_name).does_not_exist());
  } catch (const dynamo::PutError& e) {
    code = e.code();  // "ConditionalCheckFailedException"
  }

  threads.update(thread_item, {field(&Thread::views).add(1)},
                 field(&Thread::views) < 5 || field(&Thread::views) > 10);
  EXPECT_EQ(code, "ConditionalCheckFailedException");
  EXPECT_EQ(thread_item.views, 2);
  EXPECT_EQ(threads.count("Amazon DynamoDB", {}, migrating::busy_threads(2, 10)), 1);
  EXPECT_EQ(threads.count("Amazon DynamoDB", {}, migrating::busy_threads(3, std::nullopt)), 0);
  EXPECT_EQ(threads.count("Amazon DynamoDB", {}, migrating::busy_threads(std::nullopt, std::nullopt)), 1);

  threads.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "Maximum item size?", .views = 3});
  threads.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "Modelling many-to-many"});
  threads.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "Multipart keys", .views = 1});

  // "Query with a range key condition and a filter"
  std::vector<std::string> subjects;
  for (const Thread& thread : threads.query("Amazon DynamoDB", field(&Thread::subject).begins_with("M"),
                                            field(&Thread::views) > 0, {.limit = 10, .scan_index_forward = false})) {
    subjects.push_back(thread.subject);
  }

  std::int64_t m_threads = threads.count("Amazon DynamoDB", field(&Thread::subject).begins_with("M"));
  EXPECT_EQ(subjects, (std::vector<std::string>{"Multipart keys", "Maximum item size?"}));
  EXPECT_EQ(m_threads, 3);
  EXPECT_FALSE(migrating::iterate_over_page(threads, std::nullopt).has_value());

  // "Scan"
  subjects.clear();
  for (const Thread& thread : threads.scan(field(&Thread::forum_name).begins_with("Amazon") && field(&Thread::views) > 0)) {
    subjects.push_back(thread.subject);
  }

  std::vector<Thread> first_quarter = threads.scan({}, {.segment = 0, .total_segments = 4}).to_vector();
  std::vector<Thread> everything = threads.scan({}, {.rate_limit = 5.0}).to_vector();
  EXPECT_EQ(subjects.size(), 3U);
  EXPECT_LE(first_quarter.size(), 4U);
  EXPECT_EQ(everything.size(), 4U);

  // "Batch write and batch get"
  threads.batch_write([](dynamo::BatchWriter<Thread>& batch) {
    for (int i = 0; i < 100; ++i) {
      batch.save(Thread{.forum_name = "forum-1", .subject = "subject-" + std::to_string(i)});
    }
  });

  std::vector<Thread> found = threads.batch_get({{"forum-1", "subject-1"}, {"forum-1", "subject-2"}});

  threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
    for (const Thread& thread : found) batch.remove(thread);
  });
  EXPECT_EQ(found.size(), 2U);
  EXPECT_EQ(threads.count("forum-1"), 98);

  // Resuming with last_evaluated_key: 4 threads in pages of at most 10 come in one call.
  threads.batch_write([](dynamo::BatchWriter<Thread>& batch) {
    for (int i = 0; i < 15; ++i) {
      batch.save(Thread{.forum_name = "Amazon DynamoDB", .subject = "extra-" + std::to_string(i)});
    }
  });
  auto resume = migrating::iterate_over_page(threads, std::nullopt);
  ASSERT_TRUE(resume.has_value());
  EXPECT_FALSE(migrating::iterate_over_page(threads, resume).has_value());
}

TEST(Migrating, Transactions) {
  auto db = dynamo::Connection::embedded();
  auto statements = db.table<BankStatement>();
  statements.create_table({.wait = true});
  statements.save(BankStatement{.user_id = "user1", .account_balance = 2000, .is_active = true});
  statements.save(BankStatement{.user_id = "user2", .account_balance = 0, .is_active = true});

  using dynamo::field;
  const auto balance = field(&BankStatement::account_balance);
  const auto active = field(&BankStatement::is_active);
  const std::int64_t transfer_amount = 1000;

  dynamo::transact_write(db, [&](dynamo::TransactWrite& transaction) {
    transaction.update<BankStatement>("user1", {balance.add(-transfer_amount)},
                                      balance >= transfer_amount && active == true);
    transaction.update<BankStatement>("user2", {balance.add(transfer_amount)}, active == true);
  }, {.client_request_token = "super-unique-key"});
  EXPECT_EQ(statements.get("user1").account_balance, 1000);
  EXPECT_EQ(statements.get("user2").account_balance, 1000);

  std::vector<dynamo::api::CancellationReason> reasons;
  try {
    dynamo::transact_write(db, [&](dynamo::TransactWrite& transaction) {
      transaction.update<BankStatement>("user1", {balance.add(-2000)}, balance >= 2000 && active == true);
      transaction.update<BankStatement>("user2", {balance.add(2000)}, active == true);
    });
  } catch (const dynamo::TransactWriteError& e) {
    // e.code() == "TransactionCanceledException"
    reasons = e.cancellation_reasons();  // reasons[0].code == "ConditionalCheckFailed", reasons[1].code empty
  }
  ASSERT_EQ(reasons.size(), 2U);
  EXPECT_EQ(reasons[0].code, "ConditionalCheckFailed");
  EXPECT_FALSE(reasons[1].code.has_value());

  dynamo::TransactGet transaction(db);
  auto user1_statement_future = transaction.get<BankStatement>("user1");
  auto user2_statement_future = transaction.get<BankStatement>("user2");
  transaction.commit();
  BankStatement user1_statement = user1_statement_future.get();  // DoesNotExist when there is none
  EXPECT_EQ(user1_statement.account_balance, 1000);
  EXPECT_EQ(user2_statement_future.get().account_balance, 1000);
}

TEST(Migrating, OptimisticLocking) {
  auto db = dynamo::Connection::embedded();
  using dynamo::field;
  auto offices = db.table<Office>();
  offices.create_table({.wait = true});

  Office office{.office_id = "hq", .name = "office", .employees = {"justin", "garrett"}};
  offices.save(office);                            // office.version == 1
  Office office_out_of_date = offices.get("hq");
  office.employees.push_back("lita");
  offices.save(office);                            // office.version == 2

  bool stale = false;
  try {
    offices.update(office_out_of_date, {field(&Office::name).set("new office name")});
  } catch (const dynamo::UpdateError& e) {
    stale = e.code() == "ConditionalCheckFailedException";
  }
  offices.refresh(office_out_of_date);
  offices.save(office_out_of_date);                // office_out_of_date.version == 3

  // Last write wins: no check, but the stored version still goes up (to 4).
  offices.update(office, {field(&Office::name).set("HQ")}, {}, {.add_version_condition = false});
  EXPECT_TRUE(stale);
  EXPECT_EQ(office_out_of_date.version, 3);
  EXPECT_EQ(office.version, 4);
  EXPECT_EQ(office.name, "HQ");
  EXPECT_EQ(offices.get("hq").employees.size(), 3U);
}

TEST(Migrating, LowLevelCalls) {
  using namespace dynamo::api;
  auto conn = dynamo::Connection::embedded();
  conn.create_table({.table_name = "table_name",
                     .attribute_definitions = {{"key1", ScalarAttributeType::s}, {"key2", ScalarAttributeType::s}},
                     .key_schema = {{"key1", KeyType::hash}, {"key2", KeyType::range}},
                     .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 1, .write_capacity_units = 1}});
  conn.update_table({.table_name = "table_name",
                     .provisioned_throughput = ProvisionedThroughput{.read_capacity_units = 20, .write_capacity_units = 20}});
  std::vector<std::string> names = conn.list_tables({}).table_names.value_or(std::vector<std::string>{});

  auto table = conn.table("table_name");  // a TableConnection
  table.put({{"key1", "hash_key"}, {"key2", "range_key"}, {"key", "value"}});
  std::optional<dynamo::Item> item = table.get({{"key1", "hash_key"}, {"key2", "range_key"}});
  table.remove({{"key1", "hash_key"}, {"key2", "range_key"}});
  EXPECT_EQ(names, std::vector<std::string>{"table_name"});
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->at("key").as_string(), "value");
  EXPECT_FALSE(table.get({{"key1", "hash_key"}, {"key2", "range_key"}}).has_value());
  EXPECT_EQ(conn.describe_table({.table_name = "table_name"}).table->provisioned_throughput->read_capacity_units, 20);
}

TEST(Migrating, HooksAndLog) {
  {
    std::vector<std::string> pre_recorded;
    auto watched = dynamo::Connection::embedded({.hooks = {
        .before = [&](const dynamo::CallInfo& call) {
          pre_recorded.push_back(std::string(call.operation) + " " + std::string(call.table_name));
        },
    }});
    auto threads = watched.table<Thread>();
    threads.create_table({.wait = true});
    threads.save(Thread{.forum_name = "f", .subject = "s"});
    ASSERT_FALSE(pre_recorded.empty());
    EXPECT_EQ(pre_recorded.back(), "PutItem Thread");
  }
  {
    const dynamo::LogLevel previous = dynamo::log_level();
    std::vector<std::string> lines;
    dynamo::set_log_level(dynamo::LogLevel::debug);  // or DYNAMO_LOG=debug in the environment
    dynamo::set_log_sink([&](const dynamo::LogRecord& record) { lines.emplace_back(record.message); });
    auto threads = dynamo::Connection::embedded().table<Thread>();
    threads.create_table({.wait = true});
    threads.save(Thread{.forum_name = "f", .subject = "s"});
    dynamo::set_log_level(previous);
    dynamo::set_log_sink({});
    EXPECT_FALSE(lines.empty());
  }
}

TEST(Migrating, DynamormAndBoto) {
  auto db = dynamo::Connection::embedded();
  {
    auto things = db.table<Thing>();
    things.create_table({.wait = true});
    things.save(Thing{.id = "thing1", .name = "Thing One", .color = "purple"});
    Thing thing1 = things.get("thing1");
    EXPECT_EQ(thing1.say_hello(), "Hello. Thing One here. My ID is thing1");
    EXPECT_EQ(things.table_name().substr(things.table_name().size() - 7), "-things");
  }
  {
    using dynamo::field;
    auto users = db.table<User>();
    users.create_table({.wait = true});
    users.save(User{.account_type = "standard_user", .last_name = "Doe", .first_name = "John", .date_joined = 1700000000});

    auto names_with_d = users.query("standard_user", field(&User::last_name).begins_with("D"), {},
                                    {.limit = 2, .page_size = 10, .scan_index_forward = false});
    auto recent = users.index(dynamo::model<User>::date_joined_index())
                      .query("standard_user", field(&User::date_joined) >= 1600000000);
    EXPECT_EQ(names_with_d.to_vector().size(), 1U);
    EXPECT_EQ(recent.to_vector().at(0).first_name, "John");
  }
}

// "What is different": each embedded() call is a fresh, empty engine.
TEST(Threads, StartsEmpty) {
  auto threads = dynamo::Connection::embedded().table<Thread>();
  threads.create_table({.wait = true});
  EXPECT_EQ(threads.count(), 0);
}

TEST(Migrating, NumbersAreExact) {
  EXPECT_EQ(dynamo::Number::parse("0.1") + dynamo::Number::parse("0.2"), dynamo::Number::parse("0.3"));
}

// Two embedded() connections are two separate engines.
TEST(Migrating, EachEmbeddedEngineIsSeparate) {
  auto first = dynamo::Connection::embedded().table<Thread>();
  first.create_table({.wait = true});
  EXPECT_FALSE(dynamo::Connection::embedded().table<Thread>().exists());
}

// The inline forms the page's tables cite (not in ```cpp blocks): they compile and behave.
TEST(Migrating, InlineFormsOfTheTables) {
  using dynamo::field;
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true, .read_capacity_units = 1, .write_capacity_units = 1,
                        .stream_view_type = dynamo::api::StreamViewType::new_and_old_images});
  Thread t{.forum_name = "f", .subject = "s", .views = 3, .tags = {"a", "old"}, .notes = {"x", "y"}};
  threads.save(t);
  threads.update(t, {field(&Thread::notes)[0].remove()});
  threads.update(t, {field(&Thread::views).set(5 - field(&Thread::views)), field(&Thread::tags).remove_from_set({"old"}),
                     field(&Thread::answered).set_if_not_exists(7),
                     field(&Thread::replies).set(field(&Thread::replies) | 4),
                     field(&Thread::notes).prepend({"first"})},
                 field(&Thread::views).between(1, 5) && field(&Thread::subject).is_in("s", "t") &&
                     field(&Thread::subject).is_type() && field(&Thread::subject).startswith("s") &&
                     dynamo::size(field(&Thread::subject)) == 1 && !field(&Thread::tags).contains("zzz"));
  EXPECT_EQ(t.views, 2);
  EXPECT_EQ(t.tags, std::set<std::string>{"a"});
  EXPECT_EQ(t.notes, (std::vector<std::string>{"first", "y"}));
  EXPECT_EQ(t.answered, 0);  // the attribute existed (0 was stored), so if_not_exists kept it
  Thread got = threads.get({"f", "s"}, {.consistent_read = true, .attributes_to_get = {"views"}});
  EXPECT_EQ(got.views, 2);
  threads.refresh(t, true);
  EXPECT_EQ(threads.update({"f", "s"}, {field(&Thread::views).add(1)}).views, 3);
  EXPECT_THROW((void)threads.count(std::nullopt, {}, field(&Thread::views) > 0), dynamo::ModelUsageError);
  EXPECT_EQ(threads.count("f", {}, {}, {.consistent_read = true, .limit = 5, .rate_limit = 100.0}), 1);
  threads.remove_key({"f", "s"});
  EXPECT_FALSE(threads.find({"f", "s"}).has_value());

  auto sessions = db.table<Session>();
  sessions.create_table({.wait = true, .ignore_update_ttl_errors = true});
  sessions.update_ttl(true);
  sessions.save(Session{.id = "a", .expires = dynamo::Ttl::in(std::chrono::minutes(30))});
  EXPECT_EQ(sessions.count(std::nullopt, {}, {}), 1);
  EXPECT_EQ(sessions.scan(field(&Session::expires) < dynamo::Ttl::in(std::chrono::hours(1))).to_vector().size(), 1U);
  sessions.remove_key("a");

  // Raw items on a TableConnection (boto's put_item / get_item / dict-like Item).
  auto raw = db.table("Session");
  raw.put(dynamo::Item{{"id", "johndoe"}, {"first_name", "John"}});
  std::optional<dynamo::Item> johndoe = raw.get({{"id", "johndoe"}});
  ASSERT_TRUE(johndoe.has_value());
  EXPECT_EQ(johndoe->at("first_name").as_string(), "John");
  johndoe->insert_or_assign("x", 1);
  EXPECT_TRUE(johndoe->erase("x"));
  EXPECT_EQ(dynamo::deserialize<Session>(*johndoe).id, "johndoe");

  // DescribeTable, the PolymorphicTable-free parts of ModelTable, serialize/to_json.
  EXPECT_EQ(threads.describe_table().table_name, "Thread");
  EXPECT_NE(dynamo::to_json(Thread{.forum_name = "f", .subject = "s"}).find(R"("forum_name":{"S":"f"})"), std::string::npos);
  EXPECT_EQ(dynamo::from_json<Thread>(dynamo::to_json(Thread{.forum_name = "f", .subject = "s"})).subject, "s");
  threads.delete_table({.wait = true});
  EXPECT_FALSE(threads.exists());
}

// Every ```cpp block of docs/migrating-from-pynamodb.md is in this file.
TEST(Migrating, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/migrating-from-pynamodb.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/migrating_test.cpp"),
            "");
}

}  // namespace
