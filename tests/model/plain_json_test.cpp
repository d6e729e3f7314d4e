// Plain JSON: the codec's schema-less writer and reader (dynamo/codec/plain_json.hpp), a
// model to and from plain JSON through its schema, and a model printed
// (dynamo/model/serialize.hpp). No backend needed.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <variant>

#include "model/models.hpp"

// A model in its own namespace whose using-declaration lets argument-dependent lookup find
// dynamo's operator<< (GoogleTest's printer finds nothing else).
namespace shop {
struct Order {
  std::string id{};
  std::int64_t count = 0;
};
using dynamo::operator<<;
}  // namespace shop

template <>
struct dynamo::model<shop::Order> {
  static auto schema() {
    return dynamo::table<shop::Order>("Orders").hash_key("id", &shop::Order::id).attribute("count", &shop::Order::count);
  }
};

namespace {

using namespace model_test;
using dynamo::AttributeValue;
using dynamo::Item;
using dynamo::operator<<;

// ---- the codec: items without a schema ----

// Every DynamoDB type has one plain JSON form; numbers keep their digits.
TEST(PlainJsonCodec, WritesEveryType) {
  const Item item{{"s", "q\"\n"},
                  {"n", dynamo::Number::parse("-12345678901234567890.123456789012345678")},
                  {"b", dynamo::Binary{0, 1, 2}},
                  {"t", true},
                  {"z", AttributeValue::null()},
                  {"m", dynamo::AttributeMap{{"k", 1}, {"e", dynamo::AttributeMap{}}}},
                  {"l", dynamo::List{"a", dynamo::Number::parse("1.5"), dynamo::List{}}},
                  {"ss", dynamo::StringSet{"y", "x"}},
                  {"ns", dynamo::NumberSet{10, 2}},
                  {"bs", dynamo::BinarySet{dynamo::Binary{0xff}}}};
  EXPECT_EQ(dynamo::to_plain_json(item),
            R"({"b":"AAEC","bs":["/w=="],"l":["a",1.5,[]],"m":{"e":{},"k":1},)"
            R"("n":-12345678901234567890.123456789012345678,"ns":[2,10],"s":"q\"\n","ss":["x","y"],"t":true,"z":null})");
  EXPECT_EQ(dynamo::to_plain_json(AttributeValue(dynamo::Number::parse("1E+125"))), "1" + std::string(125, '0'));
  EXPECT_EQ(dynamo::to_plain_json(AttributeValue(dynamo::Number::parse("1E-130"))), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(dynamo::to_plain_json(AttributeValue("x")), R"("x")");
  EXPECT_EQ(dynamo::to_plain_json(Item{}), "{}");
  std::string out = "[";
  dynamo::append_plain_json(out, AttributeValue(7));
  EXPECT_EQ(out, "[7");
}

// Without a schema, JSON's own types decide: arrays are lists, strings are strings.
TEST(PlainJsonCodec, ReadsJsonTypes) {
  const Item item = dynamo::item_from_plain_json(
      R"({"n": 12345678901234567890.123456789, "s": "x", "b": false, "z": null, "l": [1, "a", []], "m": {"k": -0.5e-3}})");
  EXPECT_EQ(item.at("n").as_number().to_string(), "12345678901234567890.123456789");
  EXPECT_EQ(item.at("s"), AttributeValue("x"));
  EXPECT_EQ(item.at("b"), AttributeValue(false));
  EXPECT_EQ(item.at("z"), AttributeValue::null());
  EXPECT_EQ(item.at("l"), AttributeValue(dynamo::List{1, "a", dynamo::List{}}));
  EXPECT_EQ(item.at("m").as_map().at("k").as_number().to_string(), "-0.0005");
  // Whatever it wrote, it reads back, when no binaries or sets are involved.
  EXPECT_EQ(dynamo::item_from_plain_json(dynamo::to_plain_json(item)), item);
}

std::string error_of(auto&& call) {
  try {
    call();
  } catch (const dynamo::JsonError& error) {
    return error.code() + " " + error.what();
  }
  return "no error";
}

TEST(PlainJsonCodec, NamesWhatIsWrong) {
  using dynamo::item_from_plain_json;
  EXPECT_EQ(error_of([] { (void)item_from_plain_json(R"({"a": {"b": [1, 1e999]}})"); }),
            "ValidationException Item.a.b[1]: \"1e999\" is not a DynamoDB number (" +
                std::string(dynamo::Number::describe(dynamo::Number::Problem::overflow)) + ")");
  EXPECT_EQ(error_of([] { (void)item_from_plain_json(R"({"a": 1, "a": 2})"); }),
            "ValidationException Item: attribute \"a\" appears twice");
  EXPECT_EQ(error_of([] { (void)item_from_plain_json("[1]"); }), "SerializationException Item: expected a JSON object");
  EXPECT_EQ(error_of([] { (void)item_from_plain_json(R"({"a": [1, )"); }),
            "SerializationException Item: invalid or truncated JSON");
  EXPECT_EQ(error_of([] { (void)item_from_plain_json(R"({"a": 1} x)"); }).substr(0, 22), "SerializationException");
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_NE(error_of([&] { (void)item_from_plain_json("{\"a\": " + deep + "}"); }).find("nested deeper than 32"),
            std::string::npos);
  // The root names the item in paths; an empty root leaves only the attribute's path.
  try {
    (void)item_from_plain_json(R"({"a": {"b": 1e999}})", "");
    ADD_FAILURE();
  } catch (const dynamo::JsonError& error) {
    EXPECT_EQ(error.path(), "a.b");
  }
  try {
    (void)item_from_plain_json("7", "");
    ADD_FAILURE();
  } catch (const dynamo::JsonError& error) {
    EXPECT_EQ(error.path(), "");
    EXPECT_EQ(error.reason(), "expected a JSON object");
  }
}

// The writer refuses what would not be JSON, as json::encode does.
TEST(PlainJsonCodec, RefusesTextThatIsNotUtf8) {
  EXPECT_EQ(error_of([] { (void)dynamo::to_plain_json(Item{{"l", dynamo::List{"ok", std::string("\xff")}}}); }),
            "ValidationException Item.l[1]: string is not valid UTF-8");
  EXPECT_EQ(error_of([] { (void)dynamo::to_plain_json(Item{{std::string("\xc0"), 1}}); }),
            "ValidationException Item.\xc0: attribute name is not valid UTF-8");
}

// ---- a model through its schema ----

Everything sample() {
  Everything e;
  e.id = "e1";
  e.i8 = -8;
  e.u16 = 65535;
  e.i32 = -123456;
  e.u64 = 18446744073709551615ULL;
  e.f = 0.1f;
  e.d = -2.5e-7;
  e.exact = dynamo::Number::parse("-1234567890123456789012345678.9012345678");
  e.bytes = dynamo::Binary{0x00, 0xff, 0x10};
  e.flag = true;
  e.strings = {"a", "b"};
  e.numbers = {3, -1, 2};
  e.binaries = {dynamo::Binary{0x01}, dynamo::Binary{0xfe, 0x00}};
  e.raw_strings = dynamo::StringSet{"x"};
  e.typed_list = {1, 2, 3};
  e.cars = {CarInfo{.make = "A", .model = std::nullopt}, CarInfo{.make = "B", .model = "b"}};
  e.untyped_list = dynamo::List{"bread", 1, dynamo::List{true, AttributeValue::null()}};
  e.raw_map = dynamo::AttributeMap{{"k", "v"}, {"n", dynamo::AttributeMap{{"deep", 1}}}};
  e.scores = {{"x", 1.5}, {"y", -0.25}};
  e.car = CarInfo{.make = "Make-A", .model = "Model-A"};
  e.dynamic_car = DynamicCarInfo{.make = "M", .model = std::nullopt, .rest = {{"year", 1975}}};
  e.json = dynamo::JsonText{R"({"a":[1,2]})"};
  e.when = dynamo::parse_utc_time("2024-05-01T12:34:56.789012+0000");
  e.expires = dynamo::Ttl(dynamo::Ttl::time_point(std::chrono::seconds(1700000000)));
  e.color = Color{"red"};
  e.maybe = "set";
  e.anything = AttributeValue("free");
  return e;
}

// Every attribute type comes back as it was: sets from arrays, binaries from base64 text,
// nested structs from objects, numbers digit for digit.
TEST(ModelPlainJson, EveryTypeRoundTrips) {
  const Everything original = sample();
  const std::string text = dynamo::to_plain_json(original);
  const Everything back = dynamo::from_plain_json<Everything>(text);
  EXPECT_EQ(dynamo::serialize(back), dynamo::serialize(original));
  EXPECT_EQ(back.u64, 18446744073709551615ULL);
  EXPECT_EQ(back.exact.to_string(), "-1234567890123456789012345678.9012345678");
  EXPECT_EQ(back.d, -2.5e-7);
  EXPECT_EQ(back.bytes, (dynamo::Binary{0x00, 0xff, 0x10}));
  EXPECT_EQ(back.binaries.size(), 2U);
  EXPECT_EQ(back.numbers, (std::set<std::int64_t>{-1, 2, 3}));
  EXPECT_EQ(back.cars[1].model, "b");
  EXPECT_FALSE(back.cars[0].model.has_value());
  EXPECT_EQ(back.dynamic_car->rest, (dynamo::AttributeMap{{"year", 1975}}));
  EXPECT_EQ(back.color, Color{"red"});
  EXPECT_EQ(back.when, original.when);
  EXPECT_EQ(text, dynamo::to_plain_json(back));
}

// The text is the item as save() would write it, as ordinary JSON.
TEST(ModelPlainJson, WritesTheSavedItemAsPlainJson) {
  Thread thread{.forum_name = "C++", .subject = "Modules", .views = 3, .tags = {"new", "hot"}};
  // An empty list is stored (as an empty L); an empty set and an empty optional are not.
  EXPECT_EQ(dynamo::to_plain_json(thread),
            R"({"forum_name":"C++","notes":[],"replies":0,"subject":"Modules","tags":["hot","new"],"views":3})");
  thread.thread_name = "t";
  thread.notes = {"a"};
  EXPECT_EQ(dynamo::to_plain_json(thread),
            R"({"forum_name":"C++","notes":["a"],"replies":0,"subject":"Modules","tags":["hot","new"],"tn":"t","views":3})");
  // Its attribute values are those of to_json(), untagged.
  EXPECT_EQ(dynamo::item_from_plain_json(dynamo::to_plain_json(thread)).at("views"),
            dynamo::json::decode_item(dynamo::to_json(thread)).at("views"));
  // A variant of models is written as the model it holds.
  const std::variant<CarInfo, Thread> either = CarInfo{.make = "A"};
  EXPECT_EQ(dynamo::to_plain_json(either), R"({"make":"A"})");
}

TEST(ModelPlainJson, ReadsNullsAndLeftOutMembers) {
  const Thread thread = dynamo::from_plain_json<Thread>(
      R"({"forum_name": "C++", "subject": "S", "tn": null, "last_post_datetime": null, "tags": []})");
  EXPECT_EQ(thread.forum_name, "C++");
  EXPECT_FALSE(thread.thread_name.has_value());
  EXPECT_FALSE(thread.last_post_datetime.has_value());
  EXPECT_TRUE(thread.tags.empty());
  EXPECT_EQ(thread.views, 0);
  // Members left out get their defaults, as a new item does.
  EXPECT_EQ(dynamo::from_plain_json<Everything>(R"({"id": "x"})").maybe, "new");
}

// Where the schema does not say (an AttributeValue, List or AttributeMap member), plain
// JSON cannot tell a binary from a string or a set from a list.
TEST(ModelPlainJson, UntypedMembersReadJsonTypes) {
  Everything e;
  e.id = "x";
  e.maybe = "m";
  e.anything = AttributeValue(dynamo::Binary{1, 2});
  e.untyped_list = dynamo::List{dynamo::StringSet{"a"}};
  const Everything back = dynamo::from_plain_json<Everything>(dynamo::to_plain_json(e));
  EXPECT_EQ(back.anything, AttributeValue("AQI="));
  EXPECT_EQ(back.untyped_list, (dynamo::List{dynamo::List{"a"}}));
}

std::vector<dynamo::Violation> violations_of(std::string_view text) {
  try {
    (void)dynamo::from_plain_json<Thread>(text);
  } catch (const dynamo::ValidationError& error) {
    return error.violations();
  }
  return {};
}

// Every problem is reported, each naming its attribute.
TEST(ModelPlainJson, NamesEveryWrongAttribute) {
  using V = dynamo::Violation;
  EXPECT_EQ(violations_of(R"({"forum_name": "C++", "subject": "S", "views": "three", "tags": ["a", 1],
                              "notes": {"a": 1}, "unknown": 1})"),
            (std::vector<V>{{"notes", "expected an array, found an object"},
                            {"tags[1]", "expected a string, found a number"},
                            {"unknown", "is not declared in the schema"},
                            {"views", "expected a number, found a string"}}));
  EXPECT_EQ(violations_of(R"({"forum_name": "C++"})"), (std::vector<V>{{"subject", "is required (a key attribute)"}}));
  EXPECT_EQ(violations_of(R"({"forum_name": "C++", "subject": "S", "views": 1.5})").size(), 1U);
  EXPECT_EQ(violations_of(R"({"forum_name": "C++", "subject": "S", "views": 1e99})").at(0).field, "views");
  const auto malformed = violations_of(R"({"forum_name": )");
  ASSERT_EQ(malformed.size(), 1U);
  EXPECT_NE(malformed[0].message.find("not valid JSON"), std::string::npos);
  try {
    (void)dynamo::from_plain_json<Thread>(R"({"forum_name": 1, "subject": "S"})");
    ADD_FAILURE();
  } catch (const dynamo::ValidationError& error) {
    EXPECT_EQ(std::string(error.what()), "invalid Thread item: forum_name: expected a string, found a number");
  }
  // Binaries must be base64 text, and a set's elements of its type.
  try {
    (void)dynamo::from_plain_json<Everything>(R"({"id": "x", "bytes": "not base64!", "numbers": [1, "2"]})");
    ADD_FAILURE();
  } catch (const dynamo::ValidationError& error) {
    ASSERT_EQ(error.violations().size(), 2U);
    EXPECT_EQ(error.violations()[0].field, "bytes");
    EXPECT_EQ(error.violations()[1].field, "numbers[1]");
  }
}

// ---- printing ----

TEST(ModelPrinting, PrintsTableNameAndPlainJson) {
  std::ostringstream out;
  out << Thread{.forum_name = "C++", .subject = "Modules", .views = 3};
  EXPECT_EQ(out.str(), R"(Thread{"forum_name":"C++","notes":[],"replies":0,"subject":"Modules","views":3})");
  // A struct stored as a map has no table: the object alone.
  std::ostringstream map;
  map << CarInfo{.make = "A", .model = "B"};
  EXPECT_EQ(map.str(), R"({"make":"A","model":"B"})");
  // What cannot be written is shown, not thrown.
  std::ostringstream bad;
  bad << Thread{.forum_name = "\xff", .subject = "S"};
  EXPECT_EQ(bad.str(), "Thread<unprintable: Item.forum_name: string is not valid UTF-8>");
}

// Types without a schema keep their own printing, or stay unprintable.
struct Plain {
  int x = 0;
  friend std::ostream& operator<<(std::ostream& out, const Plain& plain) { return out << "Plain " << plain.x; }
};
struct Unprintable {};
template <class T>
concept printable = requires(std::ostream& out, const T& value) { out << value; };
static_assert(printable<Thread>);
static_assert(printable<CarInfo>);
static_assert(!printable<Unprintable>);
static_assert(!printable<std::variant<Thread, CarInfo>>);

TEST(ModelPrinting, FoundByArgumentDependentLookupThroughAUsingDeclaration) {
  EXPECT_EQ(testing::PrintToString(shop::Order{.id = "o1", .count = 2}), R"(Orders{"count":2,"id":"o1"})");
}

TEST(ModelPrinting, LeavesOtherTypesAlone) {
  std::ostringstream out;
  out << Plain{4} << ' ' << std::string("s") << ' ' << 5 << ' ' << AttributeValue(1);
  EXPECT_EQ(out.str(), R"(Plain 4 s 5 {"N":"1"})");
}

}  // namespace
