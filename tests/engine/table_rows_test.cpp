// The rows of one table partition (src/engine/table_rows.hpp): the only row of a table
// without a sort key, held in place, and the rows of a table with one, in key order; both
// walked forwards and backwards and probed as Query and Scan probe them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/table_rows.hpp"

namespace dynamo::engine::detail {
namespace {

StoredItem stored(const std::string& name) { return StoredItem{PackedItem(Item{{"pk", name}}), name.size() + 2}; }

std::vector<std::string> forwards(const TableRows& rows) {
  std::vector<std::string> names;
  for (const auto& [sort, item] : rows) names.push_back(item.unpack().at("pk").as_string());
  return names;
}

std::vector<std::string> backwards(const TableRows& rows) {
  std::vector<std::string> names;
  for (auto it = rows.end(); it != rows.begin();) {
    --it;
    names.push_back(it->second.unpack().at("pk").as_string());
  }
  return names;
}

TEST(TableRows, TheOnlyRowOfATableWithoutSortKey) {
  TableRows rows;
  const AttributeValue null;
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows.begin(), rows.end());
  EXPECT_EQ(rows.find(null), nullptr);

  const StoredItem& row = rows.insert(null, stored("only"));
  EXPECT_FALSE(rows.empty());
  EXPECT_EQ(rows.find(null), &row);
  EXPECT_EQ(rows.find(AttributeValue("x")), nullptr);
  EXPECT_EQ(forwards(rows), std::vector<std::string>{"only"});
  EXPECT_EQ(backwards(rows), std::vector<std::string>{"only"});
  EXPECT_TRUE(rows.begin()->first.is(Type::null));
  // NULL is the row's key: a probe at it starts at the row, one past it is the end.
  EXPECT_EQ(rows.lower_bound(null), rows.begin());
  EXPECT_EQ(rows.upper_bound(null), rows.end());

  rows.erase(null);
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows.begin(), rows.end());
}

TEST(TableRows, RowsBySortKey) {
  TableRows rows;
  const StoredItem& b = rows.insert(AttributeValue("b"), stored("b"));
  rows.insert(AttributeValue("a"), stored("a"));
  rows.insert(AttributeValue("c"), stored("c"));
  EXPECT_EQ(rows.find(AttributeValue("b")), &b);  // rows do not move as others arrive
  EXPECT_EQ(forwards(rows), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(backwards(rows), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(rows.lower_bound(AttributeValue("b"))->first, AttributeValue("b"));
  EXPECT_EQ(rows.upper_bound(AttributeValue("b"))->first, AttributeValue("c"));
  EXPECT_EQ(rows.lower_bound(AttributeValue("d")), rows.end());

  rows.erase(AttributeValue("b"));
  EXPECT_EQ(rows.find(AttributeValue("b")), nullptr);
  EXPECT_EQ(forwards(rows), (std::vector<std::string>{"a", "c"}));
  rows.erase(AttributeValue("a"));
  rows.erase(AttributeValue("c"));
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace dynamo::engine::detail
