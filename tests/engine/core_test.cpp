// A table's bookkeeping over its rows (src/engine/core.cpp): storing, replacing and
// removing items keeps the hint each hash slot carries for its partition's item block
// current, and the lookup that loads it ahead finds what the plain lookup finds.
#include <gtest/gtest.h>

#include <string>

#include "dynamo/value/item_size.hpp"
#include "engine/state.hpp"

namespace dynamo::engine::detail {
namespace {

void store(Table& table, const Item& item) {
  const AttributeValue sort = table.sort_value_of(item);
  table.store_item(item.at("pk"), sort, item, item_size(item));
}

// What a GetItem of `pk` starts loading from the slot: the block of the item stored now.
void expect_current_hint(const Table& table, const AttributeValue& pk) {
  const TableRows* rows = table.rows.find(pk);
  ASSERT_NE(rows, nullptr);
  EXPECT_EQ(table.rows.front(pk), front_hint(*rows));
  EXPECT_NE(table.rows.front(pk), LoadHint());
  const StoredItem* stored = table.find_item(pk, AttributeValue());
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(table.rows.front(pk), stored->load_hint());
  EXPECT_EQ(table.find_item_to_read(pk, AttributeValue()), stored);
}

TEST(Table, EachSlotHintFollowsItsItemsBlock) {
  Table table;
  table.key = KeySchema{{"pk", Type::string}, std::nullopt};
  for (int i = 0; i < 200; ++i) store(table, Item{{"pk", "k" + std::to_string(i)}, {"v", i}});
  for (int i = 0; i < 200; ++i) expect_current_hint(table, AttributeValue("k" + std::to_string(i)));

  // Replacing an item gives it a new block (here a larger one); the slot follows it, for
  // this key and for the keys whose slots moved as the table grew.
  const LoadHint before = table.rows.front(AttributeValue("k7"));
  store(table, Item{{"pk", "k7"}, {"v", std::string(3000, 'x')}});
  expect_current_hint(table, AttributeValue("k7"));
  EXPECT_NE(table.rows.front(AttributeValue("k7")), before);
  for (int i = 200; i < 400; ++i) store(table, Item{{"pk", "k" + std::to_string(i)}, {"v", i}});
  for (int i = 0; i < 400; ++i) expect_current_hint(table, AttributeValue("k" + std::to_string(i)));

  // A removed item's partition goes, and its lookups find nothing.
  table.remove_item(AttributeValue("k7"), AttributeValue());
  EXPECT_EQ(table.rows.front(AttributeValue("k7")), LoadHint());
  EXPECT_EQ(table.find_item_to_read(AttributeValue("k7"), AttributeValue()), nullptr);
  EXPECT_EQ(table.find_item_to_read(AttributeValue("absent"), AttributeValue()), nullptr);
  EXPECT_EQ(table.item_count, 399U);
}

// A partition of many rows (a table with a sort key) has no single block to point at: its
// slot carries no hint, and reads find each row as before.
TEST(Table, PartitionsWithASortKeyCarryNoHint) {
  Table table;
  table.key = KeySchema{{"pk", Type::string}, KeyAttribute{"sk", Type::number}};
  for (int i = 0; i < 3; ++i) store(table, Item{{"pk", "p"}, {"sk", i}});
  EXPECT_EQ(table.rows.front(AttributeValue("p")), LoadHint());
  for (int i = 0; i < 3; ++i) {
    const AttributeValue sort{Number(i)};
    const StoredItem* stored = table.find_item_to_read(AttributeValue("p"), sort);
    ASSERT_NE(stored, nullptr);
    EXPECT_EQ(stored, table.find_item(AttributeValue("p"), sort));
  }
  table.remove_item(AttributeValue("p"), AttributeValue(Number(1)));
  EXPECT_EQ(table.rows.front(AttributeValue("p")), LoadHint());
  EXPECT_EQ(table.find_item_to_read(AttributeValue("p"), AttributeValue(Number(1))), nullptr);
}

}  // namespace
}  // namespace dynamo::engine::detail
