// AttributeValue, sets and maps: types, equality, set semantics, invariants.
#include "dynamo/value/attribute_value.hpp"

#include <gtest/gtest.h>

#include "dynamo/codec/json.hpp"

namespace dynamo {
namespace {

// Each constructor produces the DynamoDB type a reader would expect.
TEST(AttributeValue, ConstructorsPickTheRightType) {
  EXPECT_EQ(AttributeValue("text").type(), Type::string);
  EXPECT_EQ(AttributeValue(std::string("text")).type(), Type::string);
  EXPECT_EQ(AttributeValue(std::string_view("text")).type(), Type::string);
  EXPECT_EQ(AttributeValue(42).type(), Type::number);
  EXPECT_EQ(AttributeValue(std::uint64_t{42}).type(), Type::number);
  EXPECT_EQ(AttributeValue(Number::parse("4.2")).type(), Type::number);
  EXPECT_EQ(AttributeValue(Binary{1, 2, 3}).type(), Type::binary);
  EXPECT_EQ(AttributeValue(true).type(), Type::boolean);
  EXPECT_EQ(AttributeValue(Null{}).type(), Type::null);
  EXPECT_EQ(AttributeValue().type(), Type::null);
  EXPECT_EQ(AttributeValue(AttributeMap{{"a", 1}}).type(), Type::map);
  EXPECT_EQ(AttributeValue(List{1, "x"}).type(), Type::list);
  EXPECT_EQ(AttributeValue(StringSet{"a"}).type(), Type::string_set);
  EXPECT_EQ(AttributeValue(NumberSet{1}).type(), Type::number_set);
  EXPECT_EQ(AttributeValue(BinarySet{Binary{1}}).type(), Type::binary_set);
}

// Tags map both ways and unknown tags are refused.
TEST(AttributeValue, TypeTags) {
  for (int i = 0; i < 10; ++i) {
    const auto type = static_cast<Type>(i);
    EXPECT_EQ(type_from_tag(type_tag(type)), type);
  }
  EXPECT_EQ(type_tag(Type::boolean), "BOOL");
  EXPECT_EQ(type_tag(Type::number_set), "NS");
  EXPECT_FALSE(type_from_tag("s"));
  EXPECT_FALSE(type_from_tag(""));
  EXPECT_FALSE(type_from_tag("SSS"));
}

// Typed accessors return the content, or throw an error naming both types.
TEST(AttributeValue, TypedAccessors) {
  const AttributeValue n = 7;
  EXPECT_EQ(n.as_number(), Number(7));
  EXPECT_NE(n.get_if<Number>(), nullptr);
  EXPECT_EQ(n.get_if<std::string>(), nullptr);
  try {
    (void)n.as_string();
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(std::string(e.what()), "expected an S value, found N");
  }
  AttributeValue list = List{1};
  list.as_list().push_back("two");
  EXPECT_EQ(list.as_list().size(), 2u);
}

// Equality needs the same type and the same content; numbers compare numerically.
TEST(AttributeValue, Equality) {
  EXPECT_EQ(AttributeValue(Number::parse("1.0")), AttributeValue(1));
  EXPECT_NE(AttributeValue("1"), AttributeValue(1));
  EXPECT_NE(AttributeValue(Binary(std::string("a"))), AttributeValue("a"));
  EXPECT_NE(AttributeValue(StringSet{"a"}), AttributeValue(List{"a"}));
  EXPECT_EQ(AttributeValue(NumberSet{Number::parse("1"), Number::parse("2.0")}),
            AttributeValue(NumberSet{Number::parse("2"), Number::parse("1.00")}));
  EXPECT_EQ(AttributeValue(AttributeMap{{"a", 1}, {"b", 2}}), AttributeValue(AttributeMap{{"b", 2}, {"a", 1}}));
  EXPECT_NE(AttributeValue(List{1, 2}), AttributeValue(List{2, 1}));
  EXPECT_EQ(AttributeValue(Null{}), AttributeValue::null());
  EXPECT_NE(AttributeValue(false), AttributeValue(Null{}));
}

// Sets hold each element once (numbers numerically), sorted as DynamoDB sorts keys.
TEST(Set, SemanticsAndOrder) {
  NumberSet numbers{Number::parse("1"), Number::parse("1.0"), Number::parse("1e0"), Number(2)};
  EXPECT_EQ(numbers.size(), 2u);
  EXPECT_TRUE(numbers.contains(Number::parse("2.000")));
  EXPECT_FALSE(numbers.insert(Number::parse("10e-1")));
  EXPECT_TRUE(numbers.insert(Number(-1)));
  EXPECT_EQ(numbers.elements().front(), Number(-1));
  EXPECT_TRUE(numbers.erase(Number(1)));
  EXPECT_FALSE(numbers.erase(Number(1)));

  StringSet strings{"b", "a", "\xc3\xa9", "B"};
  std::vector<std::string> order(strings.begin(), strings.end());
  // UTF-8 byte order: uppercase < lowercase < non-ASCII.
  EXPECT_EQ(order, (std::vector<std::string>{"B", "a", "b", "\xc3\xa9"}));

  BinarySet bytes{Binary{0xff}, Binary{0x01}, Binary{0x80}};
  EXPECT_EQ(bytes.elements().front(), (Binary{0x01}));
  EXPECT_EQ(bytes.elements().back(), (Binary{0xff}));  // unsigned: 0xff sorts last
}

// DynamoDB has no empty sets, so an empty set cannot become a value.
TEST(Set, EmptySetIsInvalid) {
  EXPECT_THROW(AttributeValue(StringSet{}), Error);
  EXPECT_THROW(AttributeValue(NumberSet{}), Error);
  EXPECT_THROW(AttributeValue(BinarySet{}), Error);
  try {
    AttributeValue v(NumberSet{});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_NE(std::string(e.what()).find("NS set may not be empty"), std::string::npos);
  }
}

// Maps find by name, keep names sorted and unique, and refuse duplicate literals.
TEST(AttributeMap, LookupInsertErase) {
  Item item{{"b", 2}, {"a", "x"}};
  EXPECT_EQ(item.begin()->first, "a");
  ASSERT_NE(item.find("b"), nullptr);
  EXPECT_EQ(item.find("b")->as_number(), Number(2));
  EXPECT_EQ(item.find("c"), nullptr);
  item.insert_or_assign("c", true);
  item.insert_or_assign("a", "y");
  EXPECT_EQ(item.size(), 3u);
  EXPECT_EQ(item.at("a").as_string(), "y");
  EXPECT_TRUE(item.erase("b"));
  EXPECT_FALSE(item.erase("b"));
  EXPECT_THROW((void)item.at("b"), Error);
  EXPECT_THROW((Item{{"a", 1}, {"a", 2}}), Error);
  std::vector<AttributeMap::value_type> entries;
  entries.emplace_back("z", 1);
  entries.emplace_back("z", 2);
  Item other;
  EXPECT_EQ(other.assign_entries(std::move(entries)), "z");
  EXPECT_TRUE(other.empty());
}

// assign_entries sorts what is out of order and finds duplicates wherever they are, names
// that share a first byte and names with bytes above 0x7f included.
TEST(AttributeMap, AssignEntriesSortsAndFindsDuplicates) {
  auto entries_of = [](std::initializer_list<std::string> names) {
    std::vector<AttributeMap::value_type> entries;
    for (const std::string& name : names) entries.emplace_back(name, 1);
    return entries;
  };
  auto names_of = [](const Item& item) {
    std::vector<std::string> names;
    for (const auto& [name, value] : item) names.push_back(name);
    return names;
  };
  Item sorted;
  EXPECT_EQ(sorted.assign_entries(entries_of({"", "a", "ab", "b", "z", "\xc3\xa9"})), std::nullopt);
  EXPECT_EQ(names_of(sorted), (std::vector<std::string>{"", "a", "ab", "b", "z", "\xc3\xa9"}));
  Item shuffled;
  EXPECT_EQ(shuffled.assign_entries(entries_of({"\xc3\xa9", "ab", "z", "a", ""})), std::nullopt);
  EXPECT_EQ(names_of(shuffled), (std::vector<std::string>{"", "a", "ab", "z", "\xc3\xa9"}));
  Item late_duplicate;
  EXPECT_EQ(late_duplicate.assign_entries(entries_of({"a", "b", "c", "a"})), "a");
  EXPECT_TRUE(late_duplicate.empty());
  Item adjacent_duplicate;
  EXPECT_EQ(adjacent_duplicate.assign_entries(entries_of({"a", "bc", "bc", "d"})), "bc");
}

// Moving a value leaves the source cheap to destroy and keeps the content.
TEST(AttributeValue, MovesKeepContent) {
  AttributeValue big = List(1000, AttributeValue("some text that is longer than the small buffer"));
  const auto* data = big.as_list().data();
  AttributeValue moved = std::move(big);
  EXPECT_EQ(moved.as_list().data(), data);  // no element was copied
  EXPECT_EQ(moved.as_list().size(), 1000u);
}

// Nesting depth counts map and list levels.
TEST(AttributeValue, NestingDepth) {
  EXPECT_EQ(nesting_depth(AttributeValue(1)), 0);
  EXPECT_EQ(nesting_depth(AttributeValue(List{1})), 1);
  EXPECT_EQ(nesting_depth(AttributeValue(List{AttributeMap{{"a", List{}}}})), 3);
}

}  // namespace
}  // namespace dynamo
