// Item size: the Developer Guide's rules for names, strings, numbers, binaries, containers.
#include "dynamo/value/item_size.hpp"

#include <gtest/gtest.h>

namespace dynamo {
namespace {

// Strings count UTF-8 bytes, binaries raw bytes, BOOL/NULL one byte.
TEST(ItemSize, Scalars) {
  EXPECT_EQ(value_size("abc"), 3u);
  EXPECT_EQ(value_size("\xc3\xa9"), 2u);  // é is two bytes in UTF-8
  EXPECT_EQ(value_size(""), 0u);
  EXPECT_EQ(value_size(Binary{1, 2, 3, 4}), 4u);
  EXPECT_EQ(value_size(true), 1u);
  EXPECT_EQ(value_size(Null{}), 1u);
}

// A number counts one byte per two significant digits, rounded up, plus one.
TEST(ItemSize, Numbers) {
  EXPECT_EQ(value_size(Number(7)), 2u);                     // 1 digit
  EXPECT_EQ(value_size(Number(12)), 2u);                    // 2 digits
  EXPECT_EQ(value_size(Number(123)), 3u);                   // 3 digits
  EXPECT_EQ(value_size(Number::parse("1000000")), 2u);      // trailing zeros are trimmed
  EXPECT_EQ(value_size(Number::parse("0.00012")), 2u);      // leading zeros too
  EXPECT_EQ(value_size(Number::parse(std::string(38, '9'))), 20u);
}

// Lists and maps cost 3 bytes plus 1 per element; map elements add their names.
TEST(ItemSize, Containers) {
  EXPECT_EQ(value_size(List{}), 3u);
  EXPECT_EQ(value_size(AttributeMap{}), 3u);
  EXPECT_EQ(value_size(List{"ab", true}), 3u + (1 + 2) + (1 + 1));
  EXPECT_EQ(value_size(AttributeMap{{"k", "ab"}}), 3u + 1 + 1 + 2);
  EXPECT_EQ(value_size(StringSet{"ab", "c"}), 3u);
  EXPECT_EQ(value_size(NumberSet{Number(1), Number(123)}), 2u + 3u);
  EXPECT_EQ(value_size(BinarySet{Binary{1}, Binary{2, 3}}), 3u);
}

// An item is the sum of its attribute names and values.
TEST(ItemSize, Item) {
  const Item item{{"id", "abc"}, {"n", 12}, {"tags", StringSet{"x", "yz"}}};
  EXPECT_EQ(item_size(item), (2u + 3) + (1u + 2) + (4u + 3));
  EXPECT_EQ(item_size(Item{}), 0u);
  EXPECT_EQ(max_item_size, 409600u);
}

}  // namespace
}  // namespace dynamo
