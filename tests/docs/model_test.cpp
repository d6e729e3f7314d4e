// docs/model.md's code, compiled and run on the embedded engine. ModelPage.PageShowsOnlyCodeFromHere
// checks that every C++ block of the page appears below, so a snippet cannot change in the
// page without this file changing too.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "docs/snippets.hpp"

// The page's opening block.
#include <dynamo/dynamo.hpp>

// "Declaring a model"
struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;                              // member initializers are defaults
  std::set<std::string> tags{};                        // string set; empty = no attribute
  std::optional<dynamo::utc_time> last_post_datetime{};  // nullable: no attribute when empty
  std::optional<std::string> thread_name{};
};

template <>
struct dynamo::model<Thread> {
  static auto schema() {
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("views", &Thread::views)
        .attribute("tags", &Thread::tags)
        .attribute("last_post_datetime", &Thread::last_post_datetime)
        .attribute("tn", &Thread::thread_name)          // PynamoDB's attr_name
        .settings({.region = "us-west-1", .read_capacity_units = 10, .write_capacity_units = 10});
  }
};

// "Attributes shared through a base struct"
struct Audited {
  std::string owner{};
  std::int64_t revision = 0;
  std::int64_t created = 0;
};
struct Invoice : Audited {
  std::string id{};
  double amount = 0;
};

template <class Schema>
auto with_audit(Schema schema) {
  using T = typename Schema::object_type;
  return std::move(schema)
      .attribute("owner", &T::owner)
      .attribute("created", &T::created, dynamo::default_to(std::int64_t{1000}))
      .version("revision", &T::revision);
}

template <>
struct dynamo::model<Invoice> {
  static auto schema() {
    return with_audit(dynamo::table<Invoice>("Invoices").hash_key("id", &Invoice::id).attribute("amount", &Invoice::amount));
  }
};

// "A model in one declaration"
struct Reply {
  std::string thread_id{};
  std::string posted{};
  std::string text{};
  std::int64_t votes = 0;
  std::set<std::string> tags{};
};

template <>
struct dynamo::model<Reply> {
  static auto schema() {
    return dynamo::reflect_table<Reply>("Reply").hash_key(&Reply::thread_id).range_key(&Reply::posted);
  }
};

struct Author {
  std::string name{};
  std::optional<std::string> email{};
};

template <>
struct dynamo::model<Author> {
  static auto schema() { return dynamo::reflect_map<Author>(); }  // a struct stored as a map
};

struct Post {
  std::string forum{};
  std::string id{};
  std::string title{};
  std::int64_t views = 0;
  std::string status{};
  Author author{};
  std::int64_t revision = 0;
  dynamo::AttributeMap extra{};
  std::shared_ptr<std::string> rendered{};  // a cache: not stored
};

template <>
struct dynamo::model<Post> {
  static auto by_status() { return dynamo::global_index<Post>("by-status").hash_key(&Post::status); }
  static auto schema() {
    return dynamo::reflect_table<Post>("Post")
        .hash_key(&Post::forum)
        .range_key("post_id", &Post::id)                          // stored as "post_id"
        .attribute(&Post::views, dynamo::at_least(0))             // options on one member
        .attribute(&Post::status, dynamo::default_to("draft"), dynamo::one_of({"draft", "published"}))
        .version(&Post::revision)
        .unknown_attributes(&Post::extra)                         // the sink is not an attribute
        .exclude<&Post::rendered>()                               // nor is an excluded member
        .index(by_status());
  }
};

// "Defaults"
struct Article {
  std::string id{};
  std::string title{};
  dynamo::utc_time created{};
  std::optional<std::string> note{};
};
template <> struct dynamo::model<Article> {
  static auto schema() {
    return dynamo::table<Article>("Article")
        .hash_key("id", &Article::id)
        .attribute("title", &Article::title, dynamo::default_to("untitled"))
        .attribute("created", &Article::created, dynamo::default_to(dynamo::utc_now))
        .attribute("note", &Article::note, dynamo::default_for_new("draft"));
  }
};

// "Attribute types": a map struct.
struct CarInfo { std::string make{}; std::optional<std::string> model{}; };
template <> struct dynamo::model<CarInfo> {
  static auto schema() {
    return dynamo::map_schema<CarInfo>().attribute("make", &CarInfo::make).attribute("model", &CarInfo::model);
  }
};

// Not on the page: a model holding a CarInfo.
struct Car {
  std::string id{};
  CarInfo info{};
};
template <> struct dynamo::model<Car> {
  static auto schema() { return dynamo::table<Car>("Car").hash_key("id", &Car::id).attribute("info", &Car::info); }
};

// "Attribute types": a user type through a converter. Color, encode and decode stand for
// the application's own type and its byte format.
struct Color {
  std::uint8_t red = 0, green = 0, blue = 0;
};
std::string encode(const Color& c) {
  return {static_cast<char>(c.red), static_cast<char>(c.green), static_cast<char>(c.blue)};
}
Color decode(const dynamo::Binary& b) {
  const std::string& bytes = b.bytes();
  return {static_cast<std::uint8_t>(bytes.at(0)), static_cast<std::uint8_t>(bytes.at(1)), static_cast<std::uint8_t>(bytes.at(2))};
}

template <> struct dynamo::attribute_traits<Color> {
  static constexpr dynamo::StoredAs stored_as = dynamo::StoredAs::binary;
  static dynamo::AttributeValue to_attribute(const Color& c) { return dynamo::Binary(encode(c)); }
  static Color from_attribute(const dynamo::AttributeValue& v) { return decode(v.as_binary()); }
  // optional: static bool is_empty(const Color&) — true stores no attribute
};

struct Paint {
  std::string id{};
  Color color{};
};
template <> struct dynamo::model<Paint> {
  static auto schema() { return dynamo::table<Paint>("Paint").hash_key("id", &Paint::id).attribute("color", &Paint::color); }
};

// "Indexes"
struct TestModel {
  std::string forum{};
  std::string thread{};
  std::int64_t view = 0;
  std::string author{};
};

template <> struct dynamo::model<TestModel> {
  static auto view_index() {
    return dynamo::global_index<TestModel>("foo-index").hash_key(&TestModel::view)
        .projection(dynamo::IndexProjection::all()).capacity(2, 1);
  }
  static auto forum_views() {   // local: the table's hash key, another range key
    return dynamo::local_index<TestModel>("forum-views").hash_key(&TestModel::forum)
        .range_key(&TestModel::view).projection(dynamo::IndexProjection::include({"author"}));
  }
  static auto schema() {
    return dynamo::table<TestModel>("TestModel").hash_key("forum", &TestModel::forum)
        .range_key("thread", &TestModel::thread).attribute("view", &TestModel::view)
        .attribute("author", &TestModel::author).index(view_index()).index(forum_views());
  }
};

// "Optimistic locking": the page's Office.
struct Office {
  std::string office_id{};
  std::string name{};
  std::int64_t version = 0;
};
template <> struct dynamo::model<Office> {
  static auto schema() {
    return dynamo::table<Office>("Office")
        .hash_key("office_id", &Office::office_id)
        .attribute("name", &Office::name)
        .version("version", &Office::version);
  }
};

// "Transactions": the page's BankStatement.
struct BankStatement {
  std::string user_id{};
  std::int64_t account_balance = 0;
  bool is_active = false;
};
template <> struct dynamo::model<BankStatement> {
  static auto schema() {
    return dynamo::table<BankStatement>("BankStatement")
        .hash_key("user_id", &BankStatement::user_id)
        .attribute("account_balance", &BankStatement::account_balance)
        .attribute("is_active", &BankStatement::is_active);
  }
};

// "Polymorphism": Foo is declared like Bar, with its own value.
struct Foo {
  std::string id{};
  std::string foo{};
};
struct Bar {
  std::string id{};
  std::string bar{};
};
template <> struct dynamo::model<Foo> {
  static auto schema() {
    return dynamo::table<Foo>("polymorphic_table").hash_key("id", &Foo::id).discriminator("cls", "Foo").attribute("foo", &Foo::foo);
  }
};

template <> struct dynamo::model<Bar> {
  static auto schema() {
    return dynamo::table<Bar>("polymorphic_table")
        .hash_key("id", &Bar::id)
        .discriminator("cls", "Bar")          // every Bar item carries cls = "Bar"
        .attribute("bar", &Bar::bar);
  }
};

namespace model_page {

// "Query, scan and count": prints what the loops see; the last call throws.
void query_scan_and_count(const dynamo::ModelTable<Thread>& threads) {
  using dynamo::field;
  for (const Thread& t : threads.query("C++", field(&Thread::subject).begins_with("M"))) std::cout << t.subject << '\n';
  auto page = threads.query("C++", /*range key condition*/ {}, /*filter*/ field(&Thread::views) > 0,
                            {.limit = 10, .page_size = 5, .consistent_read = true, .scan_index_forward = false,
                             .attributes_to_get = {"subject"}, .rate_limit = 5.0});
  for (const Thread& t : page) std::cout << t.subject << '\n';
  std::optional<dynamo::Item> resume = page.last_evaluated_key();   // pass as .last_evaluated_key

  std::vector<Thread> quarter = threads.scan(field(&Thread::views) > 10, {.segment = 0, .total_segments = 4}).to_vector();
  std::int64_t in_forum = threads.count("C++");            // Select=COUNT query
  std::int64_t popular = threads.count("C++", field(&Thread::subject) < "N", field(&Thread::views) > 0, {.limit = 100});
  std::int64_t all_items = threads.count();                // the whole table (Select=COUNT scan)
  std::int64_t refused = threads.count(std::nullopt, {}, field(&Thread::views) > 0);  // ModelUsageError: filters need a hash key

  (void)in_forum, (void)popular, (void)all_items, (void)refused;
}

// "A page at a time": prints each page's items and numbers.
void pages(const dynamo::ModelTable<Thread>& threads) {
  using dynamo::field;
  auto results = threads.query("C++", {}, field(&Thread::views) > 0, {.page_size = 25, .rate_limit = 50.0});
  for (const dynamo::ResultPage<Thread>& page : results.pages()) {
    for (const Thread& t : page) std::cout << t.subject << '\n';            // or page.items(), a std::vector<Thread>
    std::cout << page.count() << " of " << page.scanned_count() << " passed the filter\n";
    if (page.consumed_capacity()) std::cout << *page.consumed_capacity() << " read units\n";
    std::optional<dynamo::Item> checkpoint = page.last_evaluated_key();      // nullopt after the last page
  }
}

// "Polymorphism": prints the Bar items; the last call throws.
void polymorphism(const dynamo::Connection& db) {
  dynamo::Item bar = dynamo::serialize(Bar{.id = "Hello", .bar = "World!"});  // {id: "Hello", cls: "Bar", bar: "World!"}

  dynamo::PolymorphicTable<Foo, Bar> all(db);                    // the parent class
  for (const std::variant<Foo, Bar>& item : all.scan()) {        // each item as its model
    if (const Bar* b = std::get_if<Bar>(&item)) std::cout << b->bar << '\n';
  }
  std::vector<Foo> foos = db.table<Foo>().scan().to_vector();   // only Foo items
  Foo hello = db.table<Foo>().get("Hello");                      // WrongModel: it is a Bar
}

}  // namespace model_page

namespace {

TEST(ModelPage, DeclaringAModel) {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});
  // create_table() takes the capacity of the settings.
  EXPECT_EQ(threads.describe_table().provisioned_throughput->read_capacity_units, 10);
  threads.save(Thread{.forum_name = "C++", .subject = "Modules", .thread_name = "modules"});
  const dynamo::Item stored = *db.table("Thread").get({{"forum_name", "C++"}, {"subject", "Modules"}});
  EXPECT_EQ(stored.at("tn").as_string(), "modules");
  EXPECT_EQ(stored.find("tags"), nullptr);                // an empty set is no attribute
  EXPECT_EQ(stored.find("last_post_datetime"), nullptr);  // nor is an empty optional
  EXPECT_EQ(stored.at("views").as_number(), dynamo::Number(0));
}

TEST(ModelPage, SharedBaseStruct) {
  auto db = dynamo::Connection::embedded();
  auto invoices = db.table<Invoice>();
  invoices.create_table({.wait = true});
  Invoice invoice;
  invoice.id = "i1";
  invoice.owner = "ada";
  invoice.amount = 12.5;
  invoices.save(invoice);
  EXPECT_EQ(invoice.revision, 1);
  EXPECT_EQ(invoice.created, 1000);
  EXPECT_EQ(invoices.count("i1", {}, dynamo::field<Invoice>(&Invoice::owner) == "ada"), 1);
  Invoice stale = invoices.get("i1");
  invoices.save(invoice);
  EXPECT_THROW(invoices.save(stale), dynamo::PutError);
}

TEST(ModelPage, OneDeclaration) {
  auto db = dynamo::Connection::embedded();
  db.table<Reply>().create_table({.wait = true});
  db.table<Reply>().save(Reply{.thread_id = "t1", .posted = "2024-01-01", .text = "hi", .votes = 2, .tags = {"a"}});
  const dynamo::Item reply = *db.table("Reply").get({{"thread_id", "t1"}, {"posted", "2024-01-01"}});
  EXPECT_EQ(reply.at("votes").as_number(), dynamo::Number(2));
  auto posts = db.table<Post>();
  posts.create_table({.wait = true});
  posts.save(Post{.forum = "C++", .id = "p1", .title = "Modules", .author = {.name = "ada", .email = {}}});
  posts.update({"C++", "p1"}, {dynamo::field(&Post::views).set(dynamo::field(&Post::views) + 1)},
               dynamo::field(&Post::author).field(&Author::name) == "ada");
  for (const Post& p : posts.index(dynamo::model<Post>::by_status()).query("draft")) std::cout << p.title << '\n';
  int seen = 0;
  for (const Post& p : posts.index(dynamo::model<Post>::by_status()).query("draft")) {
    EXPECT_EQ(p.views, 1);
    EXPECT_EQ(p.revision, 2);
    ++seen;
  }
  EXPECT_EQ(seen, 1);
  const dynamo::Item stored = *db.table("Post").get({{"forum", "C++"}, {"post_id", "p1"}});
  EXPECT_EQ(stored.at("status").as_string(), "draft");
  EXPECT_EQ(stored.at("author").as_map().at("name").as_string(), "ada");
  EXPECT_EQ(stored.find("rendered"), nullptr);
}

TEST(ModelPage, Defaults) {
  auto db = dynamo::Connection::embedded();
  db.table<Article>().create_table({.wait = true});

  auto articles = db.table<Article>();
  Article a{.id = "a"};
  articles.save(a);          // writes title "untitled" and created = now; `a` holds both too
  articles.save(a);          // the same item again: created is not generated a second time
  Article b = dynamo::new_item<Article>({.id = "b"});       // title, created and note filled
  dynamo::Item c = dynamo::serialize(Article{.id = "c"});   // title and created filled, no note

  EXPECT_EQ(a.title, "untitled");
  EXPECT_NE(a.created, dynamo::utc_time{});
  EXPECT_EQ(articles.get("a").created, a.created);
  const dynamo::utc_time first_created = a.created;
  articles.save(a);
  EXPECT_EQ(a.created, first_created);
  EXPECT_EQ(articles.get("a").created, first_created);
  EXPECT_FALSE(articles.get("a").note.has_value());
  EXPECT_EQ(b.title, "untitled");
  EXPECT_NE(b.created, dynamo::utc_time{});
  EXPECT_EQ(b.note, "draft");
  EXPECT_EQ(c.at("title").as_string(), "untitled");
  EXPECT_NE(c.find("created"), nullptr);
  EXPECT_EQ(c.find("note"), nullptr);
}

TEST(ModelPage, MapsAndConverters) {
  auto db = dynamo::Connection::embedded();
  auto cars = db.table<Car>();
  cars.create_table({.wait = true});
  cars.save(Car{.id = "c1", .info = {.make = "Volvo"}});
  const dynamo::Item stored = *db.table("Car").get({{"id", "c1"}});
  EXPECT_EQ(stored.at("info"), dynamo::AttributeValue(dynamo::AttributeMap{{"make", "Volvo"}}));
  using dynamo::field;
  EXPECT_EQ(cars.count("c1", {}, field(&Car::info).field(&CarInfo::make) == "Volvo"), 1);

  auto paints = db.table<Paint>();
  paints.create_table({.wait = true});
  paints.save(Paint{.id = "red", .color = {.red = 255}});
  EXPECT_EQ(db.table("Paint").get({{"id", "red"}})->at("color").type(), dynamo::Type::binary);
  EXPECT_EQ(paints.get("red").color.red, 255);
  EXPECT_EQ(paints.count("red", {}, field(&Paint::color) == Color{.red = 255}), 1);
}

TEST(ModelPage, TheTable) {
  auto db = dynamo::Connection::embedded();     // or Connection::connect({.endpoint = ...})
  auto threads = db.table<Thread>();  // a dynamo::ModelTable<Thread>; also dynamo::table_of<Thread>(db)
  if (!threads.exists()) threads.create_table({.wait = true, .read_capacity_units = 1, .write_capacity_units = 1});
  dynamo::api::TableDescription description = threads.describe_table();
  threads.delete_table({.wait = true});

  EXPECT_EQ(description.table_name, "Thread");
  EXPECT_EQ(description.provisioned_throughput->read_capacity_units, 1);
  EXPECT_FALSE(threads.exists());
}

TEST(ModelPage, Items) {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});

  using dynamo::field;
  Thread t{.forum_name = "C++", .subject = "Modules"};
  threads.save(t, field(&Thread::forum_name).does_not_exist()); // conditional: PutError when it exists
  threads.save(t);                                             // PutItem
  Thread got = threads.get("C++", "Modules");                  // DoesNotExist when absent
  Thread got2 = threads.get({"C++", "Modules"}, {.consistent_read = true, .attributes_to_get = {"views"}});
  std::optional<Thread> maybe = threads.find({"C++", "Nope"});  // nullopt instead of throwing
  threads.refresh(t);                                          // reload
  threads.update(t, {field(&Thread::views).set(field(&Thread::views) + 1)},
                 field(&Thread::views) < 100);                 // t becomes the stored item (ALL_NEW)
  Thread after = threads.update({"C++", "Modules"}, {field(&Thread::views).add(1)});
  threads.remove(t, field(&Thread::views) > 0);                // DeleteItem, optional condition
  threads.remove_key({"C++", "Modules"});

  dynamo::Item item = dynamo::serialize(t);       Thread back = dynamo::deserialize<Thread>(item);
  std::string json = dynamo::to_json(t);          Thread again = dynamo::from_json<Thread>(json);

  EXPECT_EQ(got.subject, "Modules");
  EXPECT_EQ(got2.views, 0);
  EXPECT_FALSE(maybe.has_value());
  EXPECT_EQ(t.views, 1);
  EXPECT_EQ(after.views, 2);
  EXPECT_FALSE(threads.find({"C++", "Modules"}).has_value());
  EXPECT_EQ(back.views, 1);
  EXPECT_EQ(again.subject, "Modules");
  EXPECT_THROW((void)threads.get("C++", "Modules"), dynamo::DoesNotExist);

  // The conditional save fails once the item exists; calls on a missing table.
  threads.save(t);
  try {
    threads.save(t, field(&Thread::forum_name).does_not_exist());
    ADD_FAILURE() << "the conditional save succeeded";
  } catch (const dynamo::PutError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
  }
  EXPECT_THROW((void)db.table<Article>().find("x"), dynamo::TableDoesNotExist);
  EXPECT_THROW((void)db.table<Article>().find("x"), dynamo::GetError);
}

// "Plain JSON and printing"
TEST(ModelPage, PlainJsonAndPrinting) {
  std::ostringstream printed;
  std::streambuf* const console = std::cout.rdbuf(printed.rdbuf());

  Thread post{.forum_name = "C++", .subject = "Modules", .views = 3, .tags = {"hot", "new"}};
  std::string text = dynamo::to_plain_json(post);
  // {"forum_name":"C++","subject":"Modules","tags":["hot","new"],"views":3}
  Thread read = dynamo::from_plain_json<Thread>(R"({"forum_name": "C++", "subject": "Modules",
                                                   "views": 3, "tags": ["hot", "new"], "tn": null})");

  using dynamo::operator<<;
  std::cout << post << '\n';  // Thread{"forum_name":"C++","subject":"Modules","tags":["hot","new"],"views":3}

  std::cout.rdbuf(console);
  EXPECT_EQ(text, R"({"forum_name":"C++","subject":"Modules","tags":["hot","new"],"views":3})");
  EXPECT_EQ(dynamo::serialize(read), dynamo::serialize(post));
  EXPECT_EQ(printed.str(), "Thread" + text + "\n");

  std::ostringstream reported;
  std::streambuf* const errors = std::cerr.rdbuf(reported.rdbuf());
  try {
    (void)dynamo::from_plain_json<Thread>(R"({"forum_name": "C++", "subject": 7, "views": "many"})");
  } catch (const dynamo::ValidationError& e) {
    // invalid Thread item: subject: expected a string, found a number; views: expected a number, found a string
    for (const dynamo::Violation& v : e.violations()) std::cerr << v.field << ": " << v.message << '\n';
  }
  std::cerr.rdbuf(errors);
  std::string message;
  try {
    (void)dynamo::from_plain_json<Thread>(R"({"forum_name": "C++", "subject": 7, "views": "many"})");
  } catch (const dynamo::ValidationError& e) {
    message = e.what();
  }
  EXPECT_EQ(message,
            "invalid Thread item: subject: expected a string, found a number; views: expected a number, found a string");
  EXPECT_EQ(reported.str(), "subject: expected a string, found a number\nviews: expected a number, found a string\n");

  dynamo::Item raw = dynamo::item_from_plain_json(R"({"id": 7, "tags": ["a"]})");  // id N, tags L
  std::string plain = dynamo::to_plain_json(raw);                                   // {"id":7,"tags":["a"]}
  EXPECT_EQ(raw.at("tags"), dynamo::AttributeValue(dynamo::List{"a"}));
  EXPECT_EQ(plain, R"({"id":7,"tags":["a"]})");
}

TEST(ModelPage, QueryScanAndCount) {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});
  threads.save(Thread{.forum_name = "C++", .subject = "Modules", .views = 3});
  threads.save(Thread{.forum_name = "C++", .subject = "Macros", .views = 20});
  threads.save(Thread{.forum_name = "C++", .subject = "Ranges"});

  testing::internal::CaptureStdout();
  EXPECT_THROW(model_page::query_scan_and_count(threads), dynamo::ModelUsageError);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "Macros\nModules\nModules\nMacros\n");

  using dynamo::field;
  EXPECT_EQ(threads.count("C++"), 3);
  EXPECT_EQ(threads.count("C++", field(&Thread::subject) < "N", field(&Thread::views) > 0, {.limit = 100}), 2);
  EXPECT_EQ(threads.count(), 3);
  std::size_t in_segments = 0;
  for (int segment = 0; segment < 4; ++segment) {
    in_segments += threads.scan(field(&Thread::views) > 10, {.segment = segment, .total_segments = 4}).to_vector().size();
  }
  EXPECT_EQ(in_segments, 1U);

  // A loop that stops early: last_evaluated_key() is the last item it saw, and looping
  // again continues after it.
  auto results = threads.query("C++");
  for (const Thread& t : results) {
    EXPECT_EQ(t.subject, "Macros");
    break;
  }
  ASSERT_TRUE(results.last_evaluated_key().has_value());
  EXPECT_EQ(results.last_evaluated_key()->at("subject").as_string(), "Macros");
  std::vector<std::string> rest;
  for (const Thread& t : results) rest.push_back(t.subject);
  EXPECT_EQ(rest, (std::vector<std::string>{"Modules", "Ranges"}));
  EXPECT_FALSE(results.last_evaluated_key().has_value());
}

TEST(ModelPage, RetryingAQuery) {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});
  threads.save(Thread{.forum_name = "C++", .subject = "Modules"});

  auto results = threads.query("C++");
  std::vector<Thread> all;
  for (int attempt = 0;; ++attempt) {
    try {
      for (const Thread& t : results) all.push_back(t);   // continues after the items already taken
      break;
    } catch (const dynamo::QueryError& e) {
      if (e.code() != "ThrottlingException" || attempt == 5) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
    }
  }

  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0].subject, "Modules");
}

TEST(ModelPage, PagesOfResults) {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});
  threads.save(Thread{.forum_name = "C++", .subject = "Modules", .views = 3});
  threads.save(Thread{.forum_name = "C++", .subject = "Macros", .views = 20});
  threads.save(Thread{.forum_name = "C++", .subject = "Ranges"});

  testing::internal::CaptureStdout();
  model_page::pages(threads);
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_EQ(printed.substr(0, printed.find(" read units")), "Macros\nModules\n2 of 3 passed the filter\n0.5") << printed;

  // page_size splits the same items over more pages; an item loop continues after them.
  auto results = threads.query("C++", {}, {}, {.page_size = 2});
  std::vector<std::size_t> sizes;
  for (const auto& page : results.pages()) sizes.push_back(page.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 1}));
  EXPECT_TRUE(results.to_vector().empty());
}

TEST(ModelPage, Indexes) {
  auto db = dynamo::Connection::embedded();
  db.table<TestModel>().create_table({.wait = true, .read_capacity_units = 1, .write_capacity_units = 1});
  db.table<TestModel>().save(TestModel{.forum = "C++", .thread = "Modules", .view = 1, .author = "ada"});
  db.table<TestModel>().save(TestModel{.forum = "C++", .thread = "Ranges", .view = 2, .author = "bob"});
  testing::internal::CaptureStdout();

  auto tests = db.table<TestModel>();
  auto by_view = tests.index(dynamo::model<TestModel>::view_index());
  for (const TestModel& t : by_view.query(1)) std::cout << t.thread << '\n';
  std::int64_t viewed_once = by_view.count(1);
  std::vector<TestModel> in_index = by_view.scan().to_vector();

  EXPECT_EQ(testing::internal::GetCapturedStdout(), "Modules\n");
  EXPECT_EQ(viewed_once, 1);
  EXPECT_EQ(in_index.size(), 2U);
  using dynamo::field;
  auto forum_views = tests.index(dynamo::model<TestModel>::forum_views());
  EXPECT_EQ(forum_views.query("C++", field(&TestModel::view) >= 2).to_vector().at(0).author, "bob");
  const auto description = tests.describe_table();
  ASSERT_TRUE(description.global_secondary_indexes.has_value());
  EXPECT_EQ(description.global_secondary_indexes->at(0).provisioned_throughput->read_capacity_units, 2);
}

TEST(ModelPage, OptimisticLocking) {
  auto db = dynamo::Connection::embedded();
  auto offices = db.table<Office>();
  offices.create_table({.wait = true});
  db.table("Office").put({{"office_id", "old"}, {"name", "before versions"}});
  using dynamo::field;

  Office office{.office_id = "hq"};
  offices.update(office, {field(&Office::name).set("Head office")});   // creates it, version 1
  Office legacy = offices.get("old");       // written before the version existed: version 0
  offices.remove(legacy);                   // DeleteItem with attribute_not_exists(version)

  EXPECT_EQ(office.version, 1);
  EXPECT_EQ(office.name, "Head office");
  EXPECT_EQ(legacy.version, 0);
  EXPECT_FALSE(offices.find("old").has_value());
  // An object that believes the item is new fails once someone has written it.
  Office newcomer{.office_id = "hq"};
  EXPECT_THROW(offices.save(newcomer), dynamo::PutError);
  // Without the check the stored version still goes up.
  offices.update(newcomer, {field(&Office::name).set("HQ")}, {}, {.add_version_condition = false});
  EXPECT_EQ(newcomer.version, 2);
}

TEST(ModelPage, Batches) {
  auto db = dynamo::Connection::embedded();
  auto threads = db.table<Thread>();
  threads.create_table({.wait = true});
  threads.save(Thread{.forum_name = "C++", .subject = "Old"});
  std::vector<Thread> drafts;
  for (int i = 0; i < 30; ++i) drafts.push_back(Thread{.forum_name = "C++", .subject = "Draft " + std::to_string(i)});
  drafts.push_back(Thread{.forum_name = "C++", .subject = "Modules"});
  drafts.push_back(Thread{.forum_name = "C++", .subject = "Ranges"});

  threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
    for (const Thread& t : drafts) batch.save(t);
    batch.remove_key({"C++", "Old"});           // or batch.remove(thread)
  });
  std::vector<Thread> found = threads.batch_get({{"C++", "Modules"}, {"C++", "Ranges"}});

  EXPECT_EQ(found.size(), 2U);
  {
    testing::internal::CaptureStdout();
    std::vector<dynamo::ModelTable<Thread>::Key> keys;
    for (int i = 0; i < 250; ++i) keys.emplace_back("C++", "Draft " + std::to_string(i));
    auto lazy = threads.batch_get_lazy(keys, {.consistent_read = true});   // nothing sent yet
    for (const Thread& t : lazy) {   // one request of 100 keys now, the next when these run out
      if (t.views > 100) break;      // the keys not sent yet are never read
    }
    std::size_t unread = lazy.keys_left();
    int requests = lazy.requests_sent();

    std::vector<dynamo::Item> raw_keys = {dynamo::Item{{"forum_name", "C++"}, {"subject", "Modules"}}};
    for (const dynamo::Item& item : dynamo::batch_get_lazy(db.table("Thread"), raw_keys)) std::cout << item.at("subject").as_string() << '\n';
    std::vector<dynamo::Item> raw_items = dynamo::batch_get(db.table("Thread"), raw_keys);

    EXPECT_EQ(unread, 0U);      // no draft has more than 100 views: every key was read
    EXPECT_EQ(requests, 3);
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "Modules\n");
    ASSERT_EQ(raw_items.size(), 1U);
    EXPECT_EQ(raw_items[0].at("subject").as_string(), "Modules");
  }
  EXPECT_EQ(threads.count("C++"), 32);
  EXPECT_FALSE(threads.find({"C++", "Old"}).has_value());

  threads.batch_write([](dynamo::BatchWriter<Thread>& batch) { batch.remove_key({"C++", "Modules"}); });
  drafts.push_back(Thread{.forum_name = "Rust", .subject = "Traits"});
  threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
    for (const Thread& t : drafts) batch.save(t);   // nothing sent yet
    batch.commit();                                  // all of them, 25 per request
  }, {.auto_commit = false});
  EXPECT_EQ(threads.count("C++"), 32);
  EXPECT_EQ(threads.count("Rust"), 1);

  // Without auto_commit, nothing is sent before commit() (or the end of the body).
  std::size_t pending = 0;
  std::size_t written = 0;
  threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
    for (int i = 0; i < 30; ++i) batch.save(Thread{.forum_name = "Go", .subject = std::to_string(i)});
    pending = batch.pending();
    written = batch.written();
  }, {.auto_commit = false});
  EXPECT_EQ(pending, 30U);
  EXPECT_EQ(written, 0U);
  EXPECT_EQ(threads.count("Go"), 30);
}

TEST(ModelPage, Transactions) {
  auto db = dynamo::Connection::embedded();
  auto statements = db.table<BankStatement>();
  statements.create_table({.wait = true});
  statements.save(BankStatement{.user_id = "user1", .account_balance = 2000, .is_active = true});
  statements.save(BankStatement{.user_id = "user2", .account_balance = 0, .is_active = true});
  statements.save(BankStatement{.user_id = "user3", .account_balance = 0, .is_active = false});
  statements.save(BankStatement{.user_id = "bank", .is_active = true});

  using dynamo::field;
  const auto balance = field(&BankStatement::account_balance);
  dynamo::transact_write(db, [&](dynamo::TransactWrite& transfer) {
    transfer.update<BankStatement>("user1", {balance.add(-1000)}, balance >= 1000);
    transfer.update<BankStatement>("user2", {balance.add(1000)});
    transfer.condition_check<BankStatement>("bank", field(&BankStatement::is_active) == true);
  }, {.client_request_token = "transfer-17"});
  // When cancelled: TransactWriteError, whose cancellation_reasons()[i].code names why action i
  // failed ("ConditionalCheckFailed", ...) and is empty for the actions that did not fail.

  dynamo::TransactWrite later(db);   // the same without a scope: commit() yourself
  later.remove_key<BankStatement>("user3");
  later.commit();

  dynamo::TransactGet reads(db);
  auto first = reads.get<BankStatement>("user1");
  auto second = reads.get<BankStatement>("user2");
  reads.commit();       // one consistent snapshot
  std::int64_t total = first.get().account_balance + second.get().account_balance;

  EXPECT_EQ(total, 2000);
  EXPECT_EQ(statements.get("user2").account_balance, 1000);
  EXPECT_FALSE(statements.find("user3").has_value());

  std::vector<dynamo::api::CancellationReason> reasons;
  try {
    dynamo::transact_write(db, [&](dynamo::TransactWrite& transfer) {
      transfer.update<BankStatement>("user1", {balance.add(-5000)}, balance >= 5000);
      transfer.update<BankStatement>("user2", {balance.add(5000)});
    });
  } catch (const dynamo::TransactWriteError& e) {
    reasons = e.cancellation_reasons();
  }
  ASSERT_EQ(reasons.size(), 2U);
  EXPECT_EQ(reasons[0].code, "ConditionalCheckFailed");
  EXPECT_FALSE(reasons[1].code.has_value());
}

TEST(ModelPage, Polymorphism) {
  auto db = dynamo::Connection::embedded();
  dynamo::PolymorphicTable<Foo, Bar> parent(db);
  parent.create_table({.wait = true});
  db.table<Bar>().save(Bar{.id = "Hello", .bar = "World!"});
  db.table<Foo>().save(Foo{.id = "Hi", .foo = "there"});

  testing::internal::CaptureStdout();
  EXPECT_THROW(model_page::polymorphism(db), dynamo::WrongModel);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "World!\n");

  EXPECT_EQ(dynamo::serialize(Bar{.id = "Hello", .bar = "World!"}),
            (dynamo::Item{{"id", "Hello"}, {"cls", "Bar"}, {"bar", "World!"}}));
  EXPECT_EQ(db.table<Foo>().scan().to_vector().size(), 1U);
}

// Every ```cpp block of docs/model.md is in this file.
TEST(ModelPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/model.md", DYNAMO_SOURCE_DIR "/tests/docs/model_test.cpp"), "");
}

}  // namespace
