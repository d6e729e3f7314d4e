// The engine's partition map: the open-addressing array that finds partitions by hash and
// keeps them in (hash, key) order (src/engine/partition_map.hpp). Inserts and erases in bulk, checking after each step that every
// present key is found, every erased one is not, and the ordered view agrees.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "engine/partition_map.hpp"

namespace dynamo::engine::detail {
namespace {

using Rows = std::map<int, int>;

AttributeValue key_of(int i) { return AttributeValue("k" + std::to_string(i)); }

void expect_contents(const PartitionMap<Rows>& map, const std::set<int>& present, int universe) {
  ASSERT_EQ(map.partition_count(), present.size());
  for (int i = 0; i < universe; ++i) {
    const Rows* rows = map.find(key_of(i));
    // A lookup of many keys starts each one's reads first (hints), then finds it by the
    // hash it computed once: the same partition, or none.
    const std::uint64_t hash = hash_key(key_of(i));
    map.prefetch_slot(hash);
    map.prefetch_partition(hash);
    ASSERT_EQ(map.find(key_of(i), hash), rows);
    ASSERT_EQ(map.find_to_read(key_of(i), hash), rows);
    if (present.contains(i)) {
      ASSERT_NE(rows, nullptr) << "k" << i << " was lost";
      ASSERT_EQ(rows->at(0), i);
    } else {
      ASSERT_EQ(rows, nullptr) << "k" << i << " is still found";
    }
  }
  // The ordered view is in (hash, key) order and holds exactly the present keys.
  std::uint64_t last = 0;
  std::size_t seen = 0;
  for (const auto& partition : map) {
    EXPECT_GE(partition.hash, last);
    last = partition.hash;
    EXPECT_EQ(partition.hash, hash_key(partition.key));
    EXPECT_TRUE(present.contains(partition.rows.at(0)));
    ++seen;
  }
  EXPECT_EQ(seen, present.size());
  // Resuming finds each present key, and a hash range starts at its first partition.
  for (int i : present) {
    auto at = map.lower_bound(key_of(i));
    ASSERT_NE(at, map.end());
    EXPECT_EQ(at->key, key_of(i));
    auto first = map.lower_bound(at->hash);
    ASSERT_NE(first, map.end());
    EXPECT_EQ(first->hash, at->hash);
  }
}

TEST(PartitionMap, InsertFindEraseThroughGrowth) {
  PartitionMap<Rows> map;
  EXPECT_EQ(map.find(key_of(1)), nullptr);  // empty: no slots yet
  map.prefetch_slot(hash_key(key_of(1)));
  map.prefetch_partition(hash_key(key_of(1)));
  constexpr int universe = 5000;
  std::set<int> present;
  std::mt19937 random(7);
  for (int round = 0; round < 6; ++round) {
    // Insert a random half of the universe (growing the slot table several times)...
    for (int n = 0; n < universe / 2; ++n) {
      const int i = static_cast<int>(random() % universe);
      Rows& rows = map.get_or_create(key_of(i));
      if (present.insert(i).second) {
        EXPECT_TRUE(rows.empty());
        rows.emplace(0, i);
      } else {
        EXPECT_EQ(rows.at(0), i);  // get_or_create found the existing partition
      }
    }
    expect_contents(map, present, universe);
    // ...then erase a random third, which shifts probe runs back over the holes.
    for (int n = 0; n < universe / 3; ++n) {
      const int i = static_cast<int>(random() % universe);
      if (Rows* rows = map.find(key_of(i))) rows->clear();
      map.erase_if_empty(key_of(i));
      present.erase(i);
    }
    expect_contents(map, present, universe);
  }
  // A partition that still has rows is kept.
  ASSERT_FALSE(present.empty());
  const int kept = *present.begin();
  map.erase_if_empty(key_of(kept));
  EXPECT_NE(map.find(key_of(kept)), nullptr);
  map.clear();
  expect_contents(map, {}, universe);
  map.get_or_create(key_of(3)).emplace(0, 3);
  expect_contents(map, {3}, universe);
}

// Partitions whose hashes all name the last home slot: their probe run extends the array
// past its end (there is no wrapping around), and survives erases and growth.
TEST(PartitionMap, RunsPastTheEnd) {
  PartitionMap<Rows> map;
  std::set<int> present;
  for (int i = 0; present.size() < 24; ++i) {
    if ((hash_key(key_of(i)) >> 59) == 31) present.insert(i);  // the last of 16 and of 32 home slots
  }
  auto next = present.begin();
  std::set<int> inserted;
  for (int n = 0; n < 12; ++n, ++next) {  // 12 fit in 16 home slots without growth
    map.get_or_create(key_of(*next)).emplace(0, *next);
    inserted.insert(*next);
  }
  const int universe = *present.rbegin() + 1;
  expect_contents(map, inserted, universe);
  for (int n = 0; n < 4; ++n) {
    const int i = *inserted.begin();
    Rows* rows = map.find(key_of(i));
    ASSERT_NE(rows, nullptr);
    rows->clear();
    map.erase_if_empty(key_of(i));
    inserted.erase(i);
  }
  expect_contents(map, inserted, universe);
  for (; next != present.end(); ++next) {  // grows to 32 home slots on the way
    map.get_or_create(key_of(*next)).emplace(0, *next);
    inserted.insert(*next);
  }
  expect_contents(map, inserted, universe);
}

// Number keys that are equal as numbers are one partition, whatever their spelling.
TEST(PartitionMap, NumberKeysByValue) {
  PartitionMap<Rows> map;
  map.get_or_create(AttributeValue(Number::parse("1.50"))).emplace(0, 1);
  const Rows* rows = map.find(AttributeValue(Number::parse("1.5")));
  ASSERT_NE(rows, nullptr);
  EXPECT_EQ(rows->at(0), 1);
  EXPECT_EQ(map.find(AttributeValue(Number::parse("15"))), nullptr);
}

}  // namespace
}  // namespace dynamo::engine::detail
