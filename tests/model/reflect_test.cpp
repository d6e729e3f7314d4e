// Reflected schemas (dynamo/model/reflect.hpp): the attributes read from an aggregate struct
// (names, order, types), what the builder changes (keys, renames, options, exclusions,
// indexes, nested maps, unknown attributes, versions), every operation on them, and their
// equivalence with the explicit schema declaring the same thing (items, CreateTable).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <dynamo/dynamo.hpp>

#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"

namespace reflect_test {

// The README's model.
struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;
  std::set<std::string> tags{};
  std::optional<dynamo::utc_time> last_post_datetime{};
};

// A struct stored as a map, reflected the same way.
struct Address {
  std::string street{};
  std::string city{};
  std::optional<std::string> zip{};
};

// A type without attribute_traits: a reflected struct may hold it only when excluded.
struct Opaque {
  int secret = 0;
};

// Every kind of declaration a reflected schema has.
struct Order {
  std::string customer{};
  std::string order_id{};
  std::int64_t total = 0;
  std::string status{};
  std::optional<dynamo::utc_time> placed{};
  Address ship_to{};
  std::vector<std::string> notes{};
  std::int64_t revision = 0;
  dynamo::AttributeMap extra{};
  Opaque cache{};
};

// Order's twin, declared explicitly: the same attributes, stored the same way.
struct DeclaredAddress {
  std::string street{};
  std::string city{};
  std::optional<std::string> zip{};
};
struct DeclaredOrder {
  std::string customer{};
  std::string order_id{};
  std::int64_t total = 0;
  std::string status{};
  std::optional<dynamo::utc_time> placed{};
  DeclaredAddress ship_to{};
  std::vector<std::string> notes{};
  std::int64_t revision = 0;
  dynamo::AttributeMap extra{};
  Opaque cache{};
};

}  // namespace reflect_test

template <>
struct dynamo::model<reflect_test::Thread> {
  using Thread = reflect_test::Thread;
  static auto schema() {
    return dynamo::reflect_table<Thread>("ReflectThread").hash_key(&Thread::forum_name).range_key(&Thread::subject);
  }
};

template <>
struct dynamo::model<reflect_test::Address> {
  static auto schema() { return dynamo::reflect_map<reflect_test::Address>(); }
};

template <>
struct dynamo::model<reflect_test::Order> {
  using Order = reflect_test::Order;
  static auto by_status() {
    return dynamo::global_index<Order>("by-status").hash_key(&Order::status).range_key(&Order::total);
  }
  static auto by_total() {
    return dynamo::local_index<Order>("by-total").hash_key(&Order::customer).range_key(&Order::total);
  }
  static auto schema() {
    return dynamo::reflect_table<Order>("ReflectOrders")
        .hash_key(&Order::customer)
        .range_key("id", &Order::order_id, dynamo::max_length(20))
        .attribute("st", &Order::status, dynamo::default_to(std::string("new")), dynamo::one_of({"new", "paid"}))
        .attribute(&Order::total, dynamo::at_least(0))
        .version(&Order::revision)
        .unknown_attributes(&Order::extra)
        .exclude<&Order::cache>()
        .index(by_status())
        .index(by_total());
  }
};

template <>
struct dynamo::model<reflect_test::DeclaredAddress> {
  using DeclaredAddress = reflect_test::DeclaredAddress;
  static auto schema() {
    return dynamo::map_schema<DeclaredAddress>()
        .attribute("street", &DeclaredAddress::street)
        .attribute("city", &DeclaredAddress::city)
        .attribute("zip", &DeclaredAddress::zip);
  }
};

template <>
struct dynamo::model<reflect_test::DeclaredOrder> {
  using Order = reflect_test::DeclaredOrder;
  static auto schema() {
    return dynamo::table<Order>("ReflectOrders")
        .hash_key("customer", &Order::customer)
        .range_key("id", &Order::order_id, dynamo::max_length(20))
        .attribute("total", &Order::total, dynamo::at_least(0))
        .attribute("st", &Order::status, dynamo::default_to(std::string("new")), dynamo::one_of({"new", "paid"}))
        .attribute("placed", &Order::placed)
        .attribute("ship_to", &Order::ship_to)
        .attribute("notes", &Order::notes)
        .version("revision", &Order::revision)
        .unknown_attributes(&Order::extra)
        .index(dynamo::global_index<Order>("by-status").hash_key(&Order::status).range_key(&Order::total))
        .index(dynamo::local_index<Order>("by-total").hash_key(&Order::customer).range_key(&Order::total));
  }
};

namespace {

using dynamo::field;
using reflect_test::Address;
using reflect_test::DeclaredAddress;
using reflect_test::DeclaredOrder;
using reflect_test::Order;
using reflect_test::Thread;

std::vector<std::string> stored_names(const dynamo::detail::SchemaCore& schema) {
  std::vector<std::string> names;
  for (const auto& f : schema.fields()) names.push_back(f.name);
  return names;
}

// The members of a struct are counted and named at compile time, in the struct's order.
TEST(Reflection, CountsAndNamesMembers) {
  namespace reflection = dynamo::detail::reflection;
  static_assert(reflection::member_count<Thread> == 5);
  static_assert(reflection::member_count<Order> == 10);
  static_assert(reflection::member_name<Thread, 0> == "forum_name");
  static_assert(reflection::member_name<Thread, 4> == "last_post_datetime");
  static_assert(reflection::member_name<Order, 9> == "cache");
  static_assert(std::is_same_v<reflection::member_type<Thread, 3>, std::set<std::string>>);
  static_assert(reflection::is_member<Order, 1, &Order::order_id>());
  static_assert(!reflection::is_member<Order, 0, &Order::order_id>());
}

// Base classes are told apart from first members of any type, even ones that convert from
// many things.
struct OptionalFirst {
  std::optional<std::string> maybe{};
  int n = 0;
};
struct ValueFirst {
  dynamo::AttributeValue value{};
};
struct MapFirst {
  Address address{};
  std::string id{};
};
struct Derived : Address {
  std::string id{};
};
struct EmptyBase {};
struct DerivedFromEmpty : EmptyBase {
  std::string id{};
};

TEST(Reflection, FindsBaseClasses) {
  namespace reflection = dynamo::detail::reflection;
  static_assert(!reflection::has_base<Thread> && !reflection::has_base<OptionalFirst> &&
                !reflection::has_base<ValueFirst> && !reflection::has_base<MapFirst>);
  static_assert(reflection::has_base<Derived> && reflection::has_base<DerivedFromEmpty>);
  static_assert(reflection::reflectable<MapFirst>() && !reflection::reflectable<Derived>());
  static_assert(reflection::member_count<OptionalFirst> == 2 && reflection::member_count<MapFirst> == 2);
}

// A struct with members beyond a few dozen is read too (up to 64).
struct Wide {
  int a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0;
  int b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0, b8 = 0, b9 = 0;
  int c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0;
  int d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0, d8 = 0, d9 = 0;
  int e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, e5 = 0, e6 = 0, e7 = 0, e8 = 0, e9 = 0;
  int f0 = 0, f1 = 0, f2 = 0, f3 = 0, f4 = 0, f5 = 0, f6 = 0, f7 = 0, f8 = 0, f9 = 0;
  std::string g0{}, g1{}, g2{}, last{};
};

TEST(Reflection, SixtyFourMembers) {
  namespace reflection = dynamo::detail::reflection;
  static_assert(reflection::member_count<Wide> == 64);
  static_assert(reflection::member_name<Wide, 63> == "last");
  const auto schema = dynamo::reflect_map<Wide>().build();
  EXPECT_EQ(schema.core().fields().size(), 64u);
  Wide wide;
  wide.e5 = 5;
  wide.last = "x";
  dynamo::Item item;
  schema.core().serialize(&wide, item);
  EXPECT_EQ(item.at("e5"), dynamo::AttributeValue(5));
  EXPECT_EQ(item.at("last"), dynamo::AttributeValue("x"));
}

// Every member is an attribute under its own name, in order, except the excluded one and
// the unknown_attributes() sink; declared ones keep their stored names, roles and options.
TEST(Reflection, SchemaHasTheStructsMembers) {
  const auto& thread = dynamo::schema_of<Thread>().core();
  EXPECT_EQ(stored_names(thread), (std::vector<std::string>{"forum_name", "subject", "views", "tags", "last_post_datetime"}));
  EXPECT_EQ(thread.hash_field().name, "forum_name");
  EXPECT_EQ(thread.range_field().name, "subject");
  EXPECT_EQ(thread.table_name, "ReflectThread");
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(dynamo::schema_of<Thread>())>,
                               dynamo::Schema<Thread, std::string, std::string>>);

  const auto& order = dynamo::schema_of<Order>().core();
  EXPECT_EQ(stored_names(order),
            (std::vector<std::string>{"customer", "id", "total", "st", "placed", "ship_to", "notes", "revision"}));
  EXPECT_TRUE(order.keeps_unknown_attributes());
  ASSERT_NE(order.version_field(), nullptr);
  EXPECT_EQ(order.version_field()->name, "revision");
  EXPECT_EQ(order.index_named("by-status").hash_name, "st");
  EXPECT_EQ(dynamo::schema_of<Address>().core().fields().size(), 3u);
}

// field(&T::member) names the reflected attribute, renamed or not, nested or not.
TEST(Reflection, FieldsResolveToReflectedAttributes) {
  EXPECT_EQ(field(&Thread::views).path().to_string(), "views");
  EXPECT_EQ(field(&Order::status).path().to_string(), "st");
  EXPECT_EQ(field(&Order::order_id).path().to_string(), "id");
  EXPECT_EQ(field(&Order::ship_to).field(&Address::city).path().to_string(), "ship_to.city");
  // The excluded member and the sink are not attributes.
  EXPECT_THROW((void)field(&Order::extra), dynamo::Error);
}

// The reflected schema and the explicit one store the same item, read it back the same way
// and send the same CreateTable request.
class CreateTableRecorder : public model_test::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  dynamo::api::CreateTableResponse create_table(const dynamo::api::CreateTableRequest& request) override {
    requests.push_back(request);
    return inner_->create_table(request);
  }
  std::vector<dynamo::api::CreateTableRequest> requests;
};

TEST(Reflection, SameAsTheExplicitSchema) {
  Order order;
  order.customer = "ada";
  order.order_id = "o1";
  order.total = 12;
  order.placed = dynamo::utc_time(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
  order.ship_to = {.street = "1 Main St", .city = "Springfield", .zip = "12345"};
  order.notes = {"fragile"};
  order.extra.insert_or_assign("gift", dynamo::AttributeValue(true));
  order.cache.secret = 7;
  DeclaredOrder declared{.customer = order.customer,
                         .order_id = order.order_id,
                         .total = order.total,
                         .status = order.status,
                         .placed = order.placed,
                         .ship_to = {.street = "1 Main St", .city = "Springfield", .zip = "12345"},
                         .notes = order.notes,
                         .revision = 0,
                         .extra = order.extra,
                         .cache = {}};
  const dynamo::Item item = dynamo::serialize(order);
  EXPECT_EQ(item, dynamo::serialize(declared));
  EXPECT_EQ(item.at("st"), dynamo::AttributeValue("new"));  // the default
  EXPECT_EQ(item.at("gift"), dynamo::AttributeValue(true));
  EXPECT_FALSE(item.contains("cache"));

  const Order back = dynamo::deserialize<Order>(item);
  EXPECT_EQ(back.ship_to.city, "Springfield");
  EXPECT_EQ(back.ship_to.zip, "12345");
  EXPECT_EQ(back.placed, order.placed);
  EXPECT_EQ(back.extra, order.extra);
  EXPECT_EQ(back.cache.secret, 0);  // excluded: as in Order{}

  auto reflected = std::make_shared<CreateTableRecorder>(dynamo::Connection::embedded().shared_backend());
  auto explicit_ = std::make_shared<CreateTableRecorder>(dynamo::Connection::embedded().shared_backend());
  dynamo::table_of<Order>(dynamo::Connection(reflected)).create_table({.wait = true});
  dynamo::table_of<DeclaredOrder>(dynamo::Connection(explicit_)).create_table({.wait = true});
  ASSERT_EQ(reflected->requests.size(), 1u);
  ASSERT_EQ(explicit_->requests.size(), 1u);
  EXPECT_EQ(reflected->requests[0], explicit_->requests[0]);
  ASSERT_TRUE(reflected->requests[0].global_secondary_indexes.has_value());
  ASSERT_TRUE(reflected->requests[0].local_secondary_indexes.has_value());
}

// Options declared on a reflected member are checked on every write.
TEST(Reflection, OptionsApply) {
  Order order{.customer = "ada", .order_id = "o1"};
  EXPECT_TRUE(dynamo::validate(order).empty());
  order.status = "lost";
  order.total = -1;
  EXPECT_EQ(dynamo::validate(order).size(), 2u);
  order.status = "paid";
  order.total = 1;
  order.order_id = std::string(21, 'x');
  ASSERT_EQ(dynamo::validate(order).size(), 1u);
  EXPECT_EQ(dynamo::validate(order).front().field, "id");
}

// A member declared twice, or declared and excluded, is an error when the schema is built.
struct Pair {
  std::string id{};
  std::string other{};
};

TEST(Reflection, DeclarationErrors) {
  EXPECT_THROW((void)dynamo::reflect_table<Pair>("P").hash_key(&Pair::id).attribute("x", &Pair::id), dynamo::Error);
  EXPECT_THROW((void)dynamo::reflect_table<Pair>("P").hash_key(&Pair::id).attribute(&Pair::other).exclude<&Pair::other>().build(),
               dynamo::Error);
  EXPECT_THROW((void)dynamo::reflect_table<Pair>("P").hash_key(&Pair::id).attribute("id", &Pair::other).build(),
               dynamo::Error);  // two attributes stored as "id"
  const auto renamed = dynamo::reflect_table<Pair>("P").hash_key("pk", &Pair::id).build();
  EXPECT_EQ(stored_names(renamed.core()), (std::vector<std::string>{"pk", "other"}));
}

// Every operation, on each backend.
class ReflectedModel : public model_test::BackendTest {};

TEST_P(ReflectedModel, SaveGetQueryUpdateRemove) {
  auto threads = fresh<Thread>();
  threads.save(Thread{.forum_name = "C++", .subject = "Modules", .views = 1, .tags = {"new"}});
  threads.save(Thread{.forum_name = "C++", .subject = "Ranges"});
  threads.save(Thread{.forum_name = "Go", .subject = "Generics"});

  const Thread got = threads.get({"C++", "Modules"}, {.consistent_read = true});
  EXPECT_EQ(got.views, 1);
  EXPECT_EQ(got.tags, (std::set<std::string>{"new"}));
  const auto stored = *db_->get_item({.table_name = "ReflectThread", .key = {{"forum_name", "C++"}, {"subject", "Modules"}},
                                      .consistent_read = true})
                           .item;
  EXPECT_EQ(stored.at("views"), dynamo::AttributeValue(1));

  threads.update({"C++", "Modules"}, {field(&Thread::views).set(field(&Thread::views) + 1), field(&Thread::tags).add({"hot"})},
                 field(&Thread::views) < 100);
  EXPECT_THROW(threads.update({"C++", "Modules"}, {field(&Thread::views).set(0)}, field(&Thread::views) > 100),
               dynamo::UpdateError);

  std::vector<std::string> subjects;
  for (const Thread& t : threads.query("C++", field(&Thread::subject).begins_with("M"), {}, {.consistent_read = true})) {
    subjects.push_back(t.subject);
    EXPECT_EQ(t.views, 2);
    EXPECT_EQ(t.tags, (std::set<std::string>{"hot", "new"}));
  }
  EXPECT_EQ(subjects, (std::vector<std::string>{"Modules"}));
  EXPECT_EQ(threads.count("C++", {}, field(&Thread::views) >= 0), 2);

  EXPECT_THROW(threads.remove(got, field(&Thread::views) == 1), dynamo::DeleteError);
  threads.remove(got, field(&Thread::views) == 2);
  EXPECT_FALSE(threads.find({"C++", "Modules"}, {.consistent_read = true}).has_value());
}

TEST_P(ReflectedModel, RenamesIndexesMapsVersionsAndUnknownAttributes) {
  auto orders = fresh<Order>();
  Order first{.customer = "ada", .order_id = "o1", .total = 30, .ship_to = {.street = "", .city = "Paris", .zip = {}}};
  first.extra.insert_or_assign("gift", dynamo::AttributeValue(true));
  orders.save(first);
  EXPECT_EQ(first.revision, 1);
  EXPECT_EQ(first.status, "new");
  orders.save(Order{.customer = "ada", .order_id = "o2", .total = 10, .status = "paid"});
  orders.save(Order{.customer = "bob", .order_id = "o3", .total = 20, .status = "paid"});

  const auto stored =
      *db_->get_item({.table_name = "ReflectOrders", .key = {{"customer", "ada"}, {"id", "o1"}}, .consistent_read = true}).item;
  EXPECT_EQ(stored.at("st"), dynamo::AttributeValue("new"));
  EXPECT_EQ(stored.at("gift"), dynamo::AttributeValue(true));
  EXPECT_EQ(stored.at("ship_to").as_map().at("city"), dynamo::AttributeValue("Paris"));
  EXPECT_FALSE(stored.contains("cache"));

  Order read = orders.get({"ada", "o1"}, {.consistent_read = true});
  EXPECT_EQ(read.ship_to.city, "Paris");
  EXPECT_EQ(read.extra.at("gift"), dynamo::AttributeValue(true));

  // A condition on a nested member, an update of a renamed one; the version moves on.
  orders.update(read, {field(&Order::status).set("paid")}, field(&Order::ship_to).field(&Address::city) == "Paris");
  EXPECT_EQ(read.status, "paid");
  EXPECT_EQ(read.revision, 2);
  Order stale = first;
  EXPECT_THROW(orders.save(stale), dynamo::PutError);

  std::vector<std::string> paid;
  for (const Order& o : orders.index(dynamo::model<Order>::by_status()).query("paid", field(&Order::total) >= 15))
    paid.push_back(o.order_id);
  std::sort(paid.begin(), paid.end());
  EXPECT_EQ(paid, (std::vector<std::string>{"o1", "o3"}));

  std::vector<std::string> by_total;
  for (const Order& o : orders.index(dynamo::model<Order>::by_total()).query("ada", {}, {}, {.consistent_read = true}))
    by_total.push_back(o.order_id);
  EXPECT_EQ(by_total, (std::vector<std::string>{"o2", "o1"}));

  // Validation of a reflected member's rules refuses the write.
  EXPECT_THROW(orders.save(Order{.customer = "ada", .order_id = "o9", .status = "lost"}), dynamo::ValidationError);
}

// Batches and transactions read and write reflected models like declared ones.
TEST_P(ReflectedModel, BatchesAndTransactions) {
  auto threads = fresh<Thread>();
  threads.batch_write([](dynamo::BatchWriter<Thread>& batch) {
    for (int i = 0; i < 30; ++i) batch.save(Thread{.forum_name = "F", .subject = "s" + std::to_string(i), .views = i});
  });
  const std::vector<Thread> got = threads.batch_get({{"F", "s3"}, {"F", "s29"}}, {.consistent_read = true});
  ASSERT_EQ(got.size(), 2u);

  dynamo::TransactWrite tx(*db_);
  tx.save(Thread{.forum_name = "F", .subject = "new", .views = 7});
  Thread counter{.forum_name = "F", .subject = "s1"};
  tx.update(counter, {field(&Thread::views).set(field(&Thread::views) + 1)}, field(&Thread::views) == 1);
  tx.remove_key<Thread>({"F", "s2"});
  tx.commit();
  EXPECT_EQ(threads.get("F", "new", {.consistent_read = true}).views, 7);
  EXPECT_EQ(threads.get("F", "s1", {.consistent_read = true}).views, 2);
  EXPECT_FALSE(threads.find({"F", "s2"}, {.consistent_read = true}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReflectedModel, ::testing::Values("embedded", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
