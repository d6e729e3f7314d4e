// The packed form of a stored item (src/engine/packed_item.hpp): every type, nested, comes
// back as it went in, and single attributes are found without decoding the rest.
#include <gtest/gtest.h>

#include <string>

#include "dynamo/codec/json.hpp"
#include "dynamo/value/item_size.hpp"
#include "engine/packed_item.hpp"

namespace dynamo::engine::detail {
namespace {

Item every_type() {
  Item nested{{"inner", AttributeValue(List{AttributeValue("x"), AttributeValue(Number::parse("-1.5E-130"))})},
              {"flag", AttributeValue(false)}};
  return Item{
      {"s", AttributeValue("text")},
      {"empty", AttributeValue("")},
      {"n", AttributeValue(Number::parse("-9.9999999999999999999999999999999999999E+125"))},
      {"b", AttributeValue(Binary{0x00, 0xff, 0x80})},
      {"bool", AttributeValue(true)},
      {"null", AttributeValue()},
      {"m", AttributeValue(nested)},
      {"empty_map", AttributeValue(AttributeMap())},
      {"l", AttributeValue(List{AttributeValue(1), AttributeValue(AttributeMap{{"k", AttributeValue("v")}}),
                                AttributeValue()})},
      {"empty_list", AttributeValue(List())},
      {"ss", AttributeValue(StringSet{"a", "b", "\xc3\xa9"})},
      {"ns", AttributeValue(NumberSet{Number(3), Number::parse("0.001"), Number(-7)})},
      {"bs", AttributeValue(BinarySet{Binary{0x01}, Binary{0x02, 0x03}})},
  };
}

TEST(PackedItem, EveryTypeComesBackAsItWentIn) {
  const Item item = every_type();
  const PackedItem packed(item);
  EXPECT_EQ(packed.unpack(), item);
}

TEST(PackedItem, WritesTheJsonTheCodecWrites) {
  for (const Item& item : {every_type(), Item(), Item{{"quote\"and\\", AttributeValue("line\nbreak \x01 \xe2\x82\xac")}}}) {
    std::string out = "prefix";
    PackedItem(item).append_json(out);
    EXPECT_EQ(out, "prefix" + json::encode(item));
  }
  std::string none;
  PackedItem().append_json(none);
  EXPECT_EQ(none, "{}");
}

TEST(PackedItem, JsonOfAStringThatIsNotUtf8IsRefused) {
  const PackedItem packed(Item{{"s", AttributeValue(std::string("\xff"))}});
  std::string out;
  EXPECT_THROW(packed.append_json(out), Error);
}

TEST(PackedItem, LongValuesAndManyAttributes) {
  Item item;
  // Lengths of one, two and three varint bytes.
  item.insert_or_assign("short", AttributeValue(std::string(127, 'a')));
  item.insert_or_assign("medium", AttributeValue(std::string(128, 'b')));
  item.insert_or_assign("long", AttributeValue(std::string(300'000, 'c')));
  for (int i = 0; i < 200; ++i) item.insert_or_assign("attribute" + std::to_string(i), AttributeValue(i));
  const PackedItem packed(item);
  EXPECT_EQ(packed.unpack(), item);
  EXPECT_GT(packed.block_bytes(), 300'000u + 127u + 128u);
  EXPECT_EQ(packed.attribute("long"), AttributeValue(std::string(300'000, 'c')));
  EXPECT_EQ(packed.attribute("attribute199"), AttributeValue(199));
}

TEST(PackedItem, FindsOneAttributeWithoutTheOthers) {
  const PackedItem packed(every_type());
  EXPECT_EQ(packed.attribute("s"), AttributeValue("text"));
  EXPECT_EQ(packed.attribute("ns"), AttributeValue(NumberSet{Number(3), Number::parse("0.001"), Number(-7)}));
  EXPECT_EQ(packed.attribute("m"), every_type().at("m"));
  EXPECT_EQ(packed.type_of("bs"), Type::binary_set);
  EXPECT_EQ(packed.type_of("null"), Type::null);
  EXPECT_EQ(packed.number_of("n"), Number::parse("-9.9999999999999999999999999999999999999E+125"));
  EXPECT_EQ(packed.number_of("ns"), std::nullopt);  // a set of numbers is not a number
  EXPECT_EQ(packed.number_of("s"), std::nullopt);
  // Absent names: before the first, between two, after the last, and a prefix of one.
  EXPECT_EQ(packed.attribute("a"), std::nullopt);
  EXPECT_EQ(packed.attribute("mm"), std::nullopt);
  EXPECT_EQ(packed.attribute("zzz"), std::nullopt);
  EXPECT_EQ(packed.type_of("empty_"), std::nullopt);
  EXPECT_EQ(packed.number_of("nn"), std::nullopt);
  EXPECT_EQ(packed.attribute("inner"), std::nullopt);  // nested, not top-level
}

TEST(PackedItem, EmptyAndDefault) {
  const PackedItem empty{Item()};
  EXPECT_EQ(empty.unpack(), Item());
  EXPECT_EQ(empty.attribute("x"), std::nullopt);
  EXPECT_GT(empty.block_bytes(), 0u);

  const PackedItem none;
  EXPECT_EQ(none.block_bytes(), 0u);
  EXPECT_EQ(none.unpack(), Item());
  EXPECT_EQ(none.type_of("x"), std::nullopt);
  EXPECT_EQ(none.number_of("x"), std::nullopt);
}

// A prefetch is a hint: of no block, or of more bytes than the block has, it reads nothing
// and changes nothing.
TEST(PackedItem, PrefetchChangesNothing) {
  const PackedItem none;
  none.prefetch(1 << 20);
  EXPECT_EQ(none.unpack(), Item());
  const PackedItem packed(every_type());
  packed.prefetch(0);
  packed.prefetch(packed.block_bytes());
  packed.prefetch(1 << 20);
  EXPECT_EQ(packed.unpack(), every_type());
}

TEST(PackedItem, OneBlockLittleMoreThanTheItemsSize) {
  // The engine benchmark's item shape: a key, a number, a short string, a two-element set
  // and a 930-byte string.
  const Item item{{"pk", AttributeValue("key-000123")},
                  {"count", AttributeValue(42)},
                  {"status", AttributeValue("active")},
                  {"tags", AttributeValue(StringSet{"red", "blue"})},
                  {"payload", AttributeValue(std::string(930, 'p'))}};
  const PackedItem packed(item);
  const std::size_t size = item_size(item);
  EXPECT_LE(packed.block_bytes(), size + 64) << "DynamoDB size " << size;
}

// A load hint keeps where a block is and how many of its lines to load, at most 4 KB of
// them, in one word; it is empty for no block or an address it cannot hold.
TEST(LoadHint, KeepsTheBlockAndItsLines) {
  const PackedItem packed(Item{{"pk", AttributeValue(std::string(5000, 'x'))}});
  EXPECT_EQ(PackedItem().load_hint(100), LoadHint());
  EXPECT_NE(packed.load_hint(1), LoadHint());
  EXPECT_EQ(packed.load_hint(1), packed.load_hint(64));        // one line
  EXPECT_NE(packed.load_hint(64), packed.load_hint(65));       // two
  EXPECT_EQ(packed.load_hint(4096), packed.load_hint(100000)); // capped
  EXPECT_EQ(LoadHint(nullptr, 64), LoadHint());
  EXPECT_EQ(LoadHint(reinterpret_cast<const void*>(std::uintptr_t{1} << 48), 64), LoadHint());
  LoadHint().prefetch();
  packed.load_hint(100000).prefetch();
  // A hint that outlived its block loads nothing it would fault on, and reads nothing (the
  // sanitizers would report a read of freed memory).
  LoadHint stale;
  {
    const PackedItem gone(Item{{"pk", AttributeValue("x")}});
    stale = gone.load_hint(64);
  }
  stale.prefetch();
}

}  // namespace
}  // namespace dynamo::engine::detail
