// The rows of one table partition: its items by sort key, in DynamoDB's key order.
//
// A table without a sort key has one row per partition, under a NULL sort key; that row
// is held in place, in the partition itself, so reaching it reads no node beyond the
// partition's. The rows of a table with a sort key are a std::map (a partition never holds
// both kinds). A stored row never moves while it is stored: index rows point at it.
#pragma once

#include <cstddef>
#include <iterator>
#include <map>
#include <optional>
#include <variant>

#include "dynamo/value/attribute_value.hpp"
#include "engine/packed_item.hpp"

namespace dynamo::engine::detail {

// DynamoDB's key order: S by UTF-8 bytes (unsigned), N numerically, B by unsigned bytes.
// Values of different types (never both in one key space) order by type.
[[nodiscard]] int compare_keys(const AttributeValue& a, const AttributeValue& b) noexcept;
struct KeyLess {
  bool operator()(const AttributeValue& a, const AttributeValue& b) const noexcept { return compare_keys(a, b) < 0; }
};

// What operator-> returns for an iterator that yields values rather than references: the
// value, held for the duration of the expression.
template <class T>
struct ArrowProxy {
  T value;
  const T* operator->() const noexcept { return &value; }
};

// An item as a table holds it: packed in one block (packed_item.hpp), with its size.
struct StoredItem {
  PackedItem packed;
  std::size_t size = 0;  // item_size of the item, cached for capacity and the 1 MB page limit

  // The item, decoded (a copy the caller owns).
  [[nodiscard]] Item unpack() const { return packed.unpack(); }
  // Starts loading the block before a read decodes it (PackedItem::prefetch): the item's
  // size in bytes and a line more, for the header and length prefixes the size leaves out.
  void prefetch() const noexcept { packed.prefetch(size + cache_line_bytes); }
  // The same, kept for later.
  [[nodiscard]] LoadHint load_hint() const noexcept { return packed.load_hint(size + cache_line_bytes); }
};

// The stored item a write replaces, decoded the first time it is asked for: a write reads
// it only for a condition, ReturnValues, capacity or indexes, and most writes need none.
class ReplacedItem {
 public:
  explicit ReplacedItem(const StoredItem* stored) noexcept : stored_(stored) {}

  [[nodiscard]] bool exists() const noexcept { return stored_ != nullptr; }
  [[nodiscard]] std::size_t size() const noexcept { return stored_ != nullptr ? stored_->size : 0; }
  // The item, or nullptr when there is none.
  [[nodiscard]] const Item* get() {
    if (stored_ == nullptr) return nullptr;
    if (!item_) item_ = stored_->unpack();
    return &*item_;
  }
  // The item, or an empty one when there is none (what a condition is evaluated against).
  [[nodiscard]] const Item& or_empty() {
    static const Item empty;
    const Item* item = get();
    return item != nullptr ? *item : empty;
  }

 private:
  const StoredItem* stored_;
  std::optional<Item> item_;
};

class TableRows {
  using Map = std::map<AttributeValue, StoredItem, KeyLess>;

 public:
  using key_type = AttributeValue;

  // One row as iteration shows it: its sort key and its item.
  struct Row {
    const AttributeValue& first;
    const StoredItem& second;
  };

  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = Row;
    using reference = Row;
    using difference_type = std::ptrdiff_t;
    using pointer = ArrowProxy<Row>;

    const_iterator() = default;
    [[nodiscard]] Row operator*() const noexcept;
    [[nodiscard]] pointer operator->() const noexcept { return pointer{**this}; }
    const_iterator& operator++() noexcept;
    const_iterator& operator--() noexcept;
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
      return a.in_map_ ? a.position_ == b.position_ : a.past_ == b.past_;
    }

   private:
    friend class TableRows;
    const_iterator(const StoredItem* single, bool past) noexcept : single_(single), past_(past) {}
    explicit const_iterator(Map::const_iterator position) noexcept : in_map_(true), position_(position) {}

    const StoredItem* single_ = nullptr;  // the partition's only row (when not in_map_)
    bool past_ = true;                    // past that row (when not in_map_)
    bool in_map_ = false;
    Map::const_iterator position_{};
  };

  [[nodiscard]] const_iterator begin() const noexcept;
  [[nodiscard]] const_iterator end() const noexcept;
  [[nodiscard]] const_iterator lower_bound(const AttributeValue& sort) const;
  [[nodiscard]] const_iterator upper_bound(const AttributeValue& sort) const;
  [[nodiscard]] KeyLess key_comp() const noexcept { return {}; }
  [[nodiscard]] bool empty() const noexcept;

  // The row with this sort key, or nullptr.
  [[nodiscard]] const StoredItem* find(const AttributeValue& sort) const;
  [[nodiscard]] StoredItem* find(const AttributeValue& sort);
  // Adds a row whose sort key is not present.
  StoredItem& insert(const AttributeValue& sort, StoredItem stored);
  // Removes the row with this sort key, if present.
  void erase(const AttributeValue& sort);

  // Starts loading the first row: the item's block when it is the partition's only row,
  // else the map's first node (a hint for walks that reach this partition soon).
  friend void prefetch_front(const TableRows& rows) noexcept {
    if (const auto* single = std::get_if<StoredItem>(&rows.rows_)) {
      single->prefetch();
    } else if (const auto* map = std::get_if<Map>(&rows.rows_); map != nullptr && !map->empty()) {
      __builtin_prefetch(&*map->begin());
    }
  }
  // Where a lookup of the partition's only row will read next (its item's block), for
  // PartitionMap to keep in the partition's slot; none when the rows are a map.
  friend LoadHint front_hint(const TableRows& rows) noexcept {
    const auto* single = std::get_if<StoredItem>(&rows.rows_);
    return single != nullptr ? single->load_hint() : LoadHint();
  }

 private:
  std::variant<std::monostate, StoredItem, Map> rows_;  // none, the only row (NULL sort key), or a map
};

}  // namespace dynamo::engine::detail
