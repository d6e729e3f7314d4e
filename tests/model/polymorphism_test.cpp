// Polymorphism (PynamoDB's discriminators): models sharing a table, read back as their own
// model through PolymorphicTable or std::variant, and polymorphic map attributes. The table
// tests run on every backend (embedded, dynalite, dynamo-server).
#include <dynamo/dynamo.hpp>
#include <gtest/gtest.h>

#include "model/backend_fixture.hpp"

namespace poly {

// The manual's ParentModel / FooModel / BarModel.
struct Foo {
  std::string id{};
  std::string foo{};
};
struct Bar {
  std::string id{};
  std::string bar{};
  std::int64_t size = 0;
};
// A model without a discriminator, on the same table: not allowed in a PolymorphicTable.
struct Plain {
  std::string id{};
};
// Reads items written as "Foo" too (a renamed class kept readable).
struct RenamedFoo {
  std::string id{};
  std::string foo{};
};

// Polymorphic map attributes: shapes inside a drawing.
struct Circle {
  double radius = 0;
};
struct Square {
  double side = 0;
};
struct Drawing {
  std::string id{};
  std::variant<Circle, Square> main{};
  std::vector<std::variant<Circle, Square>> shapes{};
  std::optional<std::variant<Circle, Square>> spare{};
};

// A discriminator that is also a declared attribute: refused.
struct Clash {
  std::string id{};
  std::string cls{};
};

// A zoo: two models on one table with a global index on "keeper" (declared by both), a
// version attribute on Lion and a validation rule on Parrot.
struct Lion {
  std::string id{};
  std::string keeper{};
  std::int64_t meals = 0;
  std::int64_t version = 0;
};
struct Parrot {
  std::string id{};
  std::string keeper{};
  std::string word{};
};

}  // namespace poly

template <>
struct dynamo::model<poly::Lion> {
  static auto by_keeper() {
    return dynamo::global_index<poly::Lion>("keeper-index").hash_key(&poly::Lion::keeper).projection(dynamo::IndexProjection::all());
  }
  static auto schema() {
    return dynamo::table<poly::Lion>("zoo")
        .hash_key("id", &poly::Lion::id)
        .discriminator("kind", "lion")
        .attribute("keeper", &poly::Lion::keeper)
        .attribute("meals", &poly::Lion::meals)
        .version("version", &poly::Lion::version)
        .index(by_keeper());
  }
};
template <>
struct dynamo::model<poly::Parrot> {
  static auto by_keeper() {
    return dynamo::global_index<poly::Parrot>("keeper-index").hash_key(&poly::Parrot::keeper).projection(dynamo::IndexProjection::all());
  }
  static auto schema() {
    return dynamo::table<poly::Parrot>("zoo")
        .hash_key("id", &poly::Parrot::id)
        .discriminator("kind", "parrot")
        .attribute("keeper", &poly::Parrot::keeper)
        .attribute("word", &poly::Parrot::word, dynamo::max_length(8))
        .index(by_keeper());
  }
};

template <>
struct dynamo::model<poly::Foo> {
  static auto schema() {
    return dynamo::table<poly::Foo>("polymorphic_table")
        .hash_key("id", &poly::Foo::id)
        .discriminator("cls", "Foo")
        .attribute("foo", &poly::Foo::foo);
  }
};
template <>
struct dynamo::model<poly::Bar> {
  static auto schema() {
    return dynamo::table<poly::Bar>("polymorphic_table")
        .hash_key("id", &poly::Bar::id)
        .discriminator("cls", "Bar")
        .attribute("bar", &poly::Bar::bar)
        .attribute("size", &poly::Bar::size);
  }
};
template <>
struct dynamo::model<poly::Plain> {
  static auto schema() { return dynamo::table<poly::Plain>("polymorphic_table").hash_key("id", &poly::Plain::id); }
};
template <>
struct dynamo::model<poly::RenamedFoo> {
  static auto schema() {
    return dynamo::table<poly::RenamedFoo>("polymorphic_table")
        .hash_key("id", &poly::RenamedFoo::id)
        .discriminator("cls", "FooV2", {"Foo"})
        .attribute("foo", &poly::RenamedFoo::foo);
  }
};
template <>
struct dynamo::model<poly::Circle> {
  static auto schema() {
    return dynamo::map_schema<poly::Circle>().discriminator("kind", "circle").attribute("radius", &poly::Circle::radius);
  }
};
template <>
struct dynamo::model<poly::Square> {
  static auto schema() {
    return dynamo::map_schema<poly::Square>().discriminator("kind", "square").attribute("side", &poly::Square::side);
  }
};
template <>
struct dynamo::model<poly::Drawing> {
  static auto schema() {
    return dynamo::table<poly::Drawing>("drawings")
        .hash_key("id", &poly::Drawing::id)
        .attribute("main", &poly::Drawing::main)
        .attribute("shapes", &poly::Drawing::shapes)
        .attribute("spare", &poly::Drawing::spare);
  }
};
template <>
struct dynamo::model<poly::Clash> {
  static auto schema() {
    return dynamo::table<poly::Clash>("clash")
        .hash_key("id", &poly::Clash::id)
        .attribute("cls", &poly::Clash::cls)
        .discriminator("cls", "Clash");
  }
};

namespace {

using namespace poly;
using dynamo::AttributeValue;
using dynamo::Item;

// The discriminator is written with the model's attributes, as in the manual's example.
TEST(Polymorphism, SerializeWritesTheDiscriminator) {
  EXPECT_EQ(dynamo::serialize(Bar{.id = "Hello", .bar = "World!"}),
            (Item{{"id", "Hello"}, {"cls", "Bar"}, {"bar", "World!"}, {"size", 0}}));
  const std::variant<Foo, Bar> held = Foo{.id = "a", .foo = "x"};
  EXPECT_EQ(dynamo::serialize(held), (Item{{"id", "a"}, {"cls", "Foo"}, {"foo", "x"}}));
}

// Reading: a variant becomes whichever model the item names; a single model refuses
// another's item; an item without a discriminator reads as the model asked for.
TEST(Polymorphism, DeserializeByDiscriminator) {
  const auto read = dynamo::deserialize<std::variant<Foo, Bar>>(Item{{"id", "b"}, {"cls", "Bar"}, {"bar", "y"}});
  ASSERT_TRUE(std::holds_alternative<Bar>(read));
  EXPECT_EQ(std::get<Bar>(read).bar, "y");
  EXPECT_THROW((void)dynamo::deserialize<Foo>(Item{{"id", "b"}, {"cls", "Bar"}}), dynamo::WrongModel);
  EXPECT_EQ(dynamo::deserialize<Foo>(Item{{"id", "old"}, {"foo", "z"}}).foo, "z");
  try {
    (void)dynamo::deserialize<std::variant<Foo, Bar>>(Item{{"id", "c"}, {"cls", "Baz"}});
    ADD_FAILURE() << "an unknown discriminator was read";
  } catch (const dynamo::WrongModel& e) {
    EXPECT_EQ(e.code(), "WrongModel");
    EXPECT_NE(std::string(e.what()).find("names none of the models read (Foo, Bar)"), std::string::npos) << e.what();
  }
  using FooOrBar = std::variant<Foo, Bar>;
  EXPECT_THROW((void)dynamo::deserialize<FooOrBar>(Item{{"id", "d"}}), dynamo::WrongModel);
  // Older values stay readable; the first value is the one written.
  EXPECT_EQ(dynamo::deserialize<RenamedFoo>(Item{{"id", "e"}, {"cls", "Foo"}, {"foo", "kept"}}).foo, "kept");
  EXPECT_EQ(dynamo::serialize(RenamedFoo{.id = "e"}).at("cls"), AttributeValue("FooV2"));
}

// Polymorphic map attributes: each element is stored with its discriminator and read back
// as its model, in a member, a list and an optional.
TEST(Polymorphism, MapAttributes) {
  const Drawing drawing{.id = "d1",
                        .main = Square{.side = 2},
                        .shapes = {Circle{.radius = 1}, Square{.side = 3}},
                        .spare = Circle{.radius = 4}};
  const Item item = dynamo::serialize(drawing);
  EXPECT_EQ(item.at("main"), AttributeValue(dynamo::AttributeMap{{"kind", "square"}, {"side", 2}}));
  const Drawing back = dynamo::deserialize<Drawing>(item);
  EXPECT_EQ(std::get<Square>(back.main).side, 2);
  ASSERT_EQ(back.shapes.size(), 2u);
  EXPECT_EQ(std::get<Circle>(back.shapes[0]).radius, 1);
  EXPECT_EQ(std::get<Square>(back.shapes[1]).side, 3);
  EXPECT_EQ(std::get<Circle>(*back.spare).radius, 4);
  Item wrong = item;
  wrong.insert_or_assign("main", AttributeValue(dynamo::AttributeMap{{"kind", "triangle"}}));
  EXPECT_THROW((void)dynamo::deserialize<Drawing>(wrong), dynamo::WrongModel);
}

// Schema mistakes are refused with a message.
TEST(Polymorphism, DeclarationErrors) {
  EXPECT_THROW((void)dynamo::schema_of<Clash>(), dynamo::Error);
  const auto db = dynamo::Connection::embedded();
  using WithPlain = dynamo::PolymorphicTable<Foo, Plain>;
  using FooTwice = dynamo::PolymorphicTable<Foo, RenamedFoo>;
  using OtherTable = dynamo::PolymorphicTable<Foo, Drawing>;
  EXPECT_THROW(WithPlain{db}, dynamo::ModelUsageError);
  EXPECT_THROW(FooTwice{db}, dynamo::ModelUsageError);  // "Foo" is a value of both
  EXPECT_THROW(OtherTable{db}, dynamo::ModelUsageError);
}

class PolymorphicTableTest : public model_test::BackendTest {};

// One table, two models: the polymorphic table reads each item as its model; a model's
// own table reads (and counts) only its items, and refuses to get another's.
TEST_P(PolymorphicTableTest, ModelsShareATable) {
  dynamo::PolymorphicTable<Foo, Bar> all(*db_);
  if (all.exists()) all.delete_table({.wait = true});
  all.create_table({.wait = true});
  auto foos = db_->table<Foo>();
  auto bars = db_->table<Bar>();
  foos.save(Foo{.id = "f1", .foo = "one"});
  foos.save(Foo{.id = "f2", .foo = "two"});
  bars.save(Bar{.id = "b1", .bar = "World!", .size = 3});
  all.save(Bar{.id = "b2", .bar = "via variant"});

  int foo_count = 0;
  int bar_count = 0;
  for (const auto& item : all.scan({}, {.consistent_read = true})) {
    if (const Foo* foo = std::get_if<Foo>(&item)) {
      EXPECT_TRUE(foo->foo == "one" || foo->foo == "two");
      ++foo_count;
    } else {
      EXPECT_EQ(std::get<Bar>(item).id.front(), 'b');
      ++bar_count;
    }
  }
  EXPECT_EQ(foo_count, 2);
  EXPECT_EQ(bar_count, 2);

  EXPECT_EQ(foos.scan({}, {.consistent_read = true}).to_vector().size(), 2u);
  EXPECT_EQ(bars.count({.consistent_read = true}), 2);
  EXPECT_EQ(bars.count("b1", {}, {}, {.consistent_read = true}), 1);
  EXPECT_EQ(foos.count("b1", {}, {}, {.consistent_read = true}), 0);
  EXPECT_EQ(std::get<Bar>(all.get("b1", {.consistent_read = true})).size, 3);
  ASSERT_EQ(all.query("f1", {}, {}, {.consistent_read = true}).to_vector().size(), 1u);
  EXPECT_THROW((void)foos.get("b1", {.consistent_read = true}), dynamo::WrongModel);
  EXPECT_FALSE(all.find("nothing"));

  // An item of a model the program does not know is an error when read, not skipped.
  (void)db_->put_item({.table_name = "polymorphic_table", .item = {{"id", "z1"}, {"cls", "Baz"}}});
  EXPECT_THROW((void)all.scan({}, {.consistent_read = true}).to_vector(), dynamo::WrongModel);
  EXPECT_EQ(foos.scan({}, {.consistent_read = true}).to_vector().size(), 2u);  // filtered to Foo
  all.remove_key("z1");
  EXPECT_EQ(all.scan({}, {.consistent_read = true}).to_vector().size(), 4u);
}

// The polymorphic table does what a model's table does, each write through the model the
// variant holds: versions, validation, count, batches, update, refresh and indexes.
TEST_P(PolymorphicTableTest, EveryOperationOfAModelTable) {
  using Animal = std::variant<Lion, Parrot>;
  dynamo::PolymorphicTable<Lion, Parrot> zoo(*db_);
  if (zoo.exists()) zoo.delete_table({.wait = true});
  zoo.create_table({.wait = true});
  EXPECT_EQ(zoo.describe_table().table_name, "zoo");

  // save: the lvalue form sets the version; the version guards later writes.
  Animal leo = Lion{.id = "leo", .keeper = "ann"};
  zoo.save(leo);
  EXPECT_EQ(std::get<Lion>(leo).version, 1);
  Animal stale = Lion{.id = "leo", .keeper = "bob", .version = 0};
  EXPECT_THROW(zoo.save(stale), dynamo::PutError);
  // Validation of the model held: nothing is sent.
  Animal loud = Parrot{.id = "polly", .keeper = "ann", .word = "squawking"};
  EXPECT_THROW(zoo.save(loud), dynamo::ValidationError);
  EXPECT_FALSE(zoo.find("polly", {.consistent_read = true}));

  // Batches: a writer of either model, lazy and eager reads.
  zoo.batch_write([](dynamo::BatchWriter<Animal>& batch) {
    for (int i = 0; i < 30; ++i) {
      const std::string n = std::to_string(i);
      if (i % 2 == 0) batch.save(Parrot{.id = "p" + n, .keeper = i < 10 ? "ann" : "cy", .word = "hi"});
      else batch.save(Lion{.id = "l" + n, .keeper = "cy", .version = 1});
    }
    batch.remove_key("p28");
    batch.remove(Animal{Lion{.id = "l29"}});
  });
  EXPECT_EQ(zoo.count({.consistent_read = true}), 29);  // leo + 30 - 2
  EXPECT_EQ(zoo.count("p0", {}, {}, {.consistent_read = true}), 1);
  std::vector<decltype(zoo)::Key> keys = {"leo", "p0", "l1", "missing"};
  const std::vector<Animal> got = zoo.batch_get(keys, {.consistent_read = true});
  ASSERT_EQ(got.size(), 3u);
  int lions = 0;
  for (const Animal& a : got) lions += std::holds_alternative<Lion>(a) ? 1 : 0;
  EXPECT_EQ(lions, 2);
  std::vector<decltype(zoo)::Key> many;
  for (int i = 0; i < 28; ++i) many.emplace_back((i % 2 == 0 ? "p" : "l") + std::to_string(i));
  auto lazy = zoo.batch_get_lazy(many, {.consistent_read = true});
  std::size_t read = 0;
  for (const Animal& a : lazy) {
    EXPECT_TRUE(std::visit([](const auto& m) { return m.keeper == "ann" || m.keeper == "cy"; }, a));
    ++read;
  }
  EXPECT_EQ(read, 28u);
  EXPECT_EQ(lazy.requests_sent(), 1);

  // An index declared by the models: every model's items, each as its own.
  auto by_keeper = zoo.index(dynamo::model<Lion>::by_keeper());
  EXPECT_EQ(by_keeper.count("ann"), 6);  // leo and p0..p8
  int anns_lions = 0;
  for (const Animal& a : by_keeper.query("ann")) anns_lions += std::holds_alternative<Lion>(a) ? 1 : 0;
  EXPECT_EQ(anns_lions, 1);

  // update of an object: its model's version check, the object becomes what is stored.
  zoo.update(leo, {dynamo::field(&Lion::meals).add(2)});
  EXPECT_EQ(std::get<Lion>(leo).meals, 2);
  EXPECT_EQ(std::get<Lion>(leo).version, 2);
  EXPECT_THROW(zoo.update(stale, {dynamo::field(&Lion::meals).add(1)}), dynamo::UpdateError);
  // update by key: existing items only, any model's rules apply.
  const Animal fed = zoo.update("l1", {dynamo::field(&Lion::meals).add(5)});
  EXPECT_EQ(std::get<Lion>(fed).meals, 5);
  EXPECT_THROW((void)zoo.update("nobody", {dynamo::field(&Lion::meals).add(1)}), dynamo::UpdateError);
  EXPECT_FALSE(zoo.find("nobody", {.consistent_read = true}));
  EXPECT_THROW((void)zoo.update("p0", {dynamo::field(&Parrot::word).set("far too long")}), dynamo::ValidationError);

  // refresh becomes whatever is stored, remove checks the version.
  Animal copy = Lion{.id = "leo"};
  zoo.refresh(copy, {.consistent_read = true});
  EXPECT_EQ(std::get<Lion>(copy).meals, 2);
  EXPECT_THROW(zoo.remove(stale), dynamo::DeleteError);
  // Settings of its calls: the same table, other retries and headers (signed and accepted).
  const auto patient = zoo.with_settings({.max_retry_attempts = 6, .extra_headers = {{"X-Caller", "zoo-test"}}});
  EXPECT_EQ(patient.count({.consistent_read = true}), 29);
  EXPECT_EQ(db_->table<Lion>().with_settings({.read_timeout_seconds = 10}).get("leo", {.consistent_read = true}).meals, 2);
  EXPECT_THROW((void)zoo.with_settings({.max_retry_attempts = -1}), dynamo::Error);

  zoo.remove(leo);
  EXPECT_FALSE(zoo.find("leo", {.consistent_read = true}));
  zoo.delete_table({.wait = true});
}

INSTANTIATE_TEST_SUITE_P(Backends, PolymorphicTableTest, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
