// Partitions of rows (a table's or an index's), found by hash and iterated in (hash, key)
// order, which is the Scan order: stable across runs, resumable after any key, and split
// into contiguous, disjoint hash ranges by parallel-scan segments.
//
// One array of (hash, partition) slots serves both. A partition's probe starts at its home
// slot, the one the top bits of its hash name, and goes forward (linear probing, without
// wrapping around: a probe run that would pass the end of the array extends it). The
// occupied slots are kept in (hash, key) order along the whole array, as Robin Hood hashing
// keeps them, so walking the array is the Scan order and a lookup stops at the first slot
// past its key. Finding a partition reads its slot and then the partition; a partition is a
// block of its own that never moves while it exists, so rows may be pointed at.
//
// A slot also carries a LoadHint for where a read of its partition goes next, when Rows
// says (front_hint: a table partition's only item block): a lookup about to read the row
// starts loading the block as soon as the slot is read, together with the partition,
// rather than once the partition has arrived. Whoever changes a partition's rows calls
// refresh_front; a hint left stale costs a wasted load, never a wrong result.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <type_traits>
#include <vector>

#include "engine/load_hint.hpp"
#include "engine/table_rows.hpp"

namespace dynamo::engine::detail {

// A 64-bit hash of a key value, the same in every run (it decides Scan order).
[[nodiscard]] std::uint64_t hash_key(const AttributeValue& v) noexcept;

template <class Rows>
class PartitionMap {
  struct Partition {
    AttributeValue key;
    Rows rows;
  };
  static constexpr bool has_front_hint = requires(const Rows& rows) {
    { front_hint(rows) } -> std::same_as<LoadHint>;
  };
  // What the slots of rows without a front_hint carry instead: nothing, in no bytes.
  struct NoHint {
    void prefetch() const noexcept {}
  };
  struct Slot {
    std::uint64_t hash = 0;
    Partition* partition = nullptr;  // null: an empty slot
    // front_hint(partition->rows) when last refreshed
    [[no_unique_address]] std::conditional_t<has_front_hint, LoadHint, NoHint> front;
  };
  static_assert(sizeof(Slot) == sizeof(std::uint64_t) + sizeof(Partition*) + (has_front_hint ? sizeof(LoadHint) : 0),
                "a slot without a hint takes no room for one");

 public:
  // A partition as iteration shows it.
  struct Entry {
    std::uint64_t hash;
    const AttributeValue& key;
    const Rows& rows;
  };

  // Walks the occupied slots in (hash, key) order.
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using reference = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = ArrowProxy<Entry>;

    const_iterator() = default;
    [[nodiscard]] Entry operator*() const noexcept { return Entry{slot_->hash, slot_->partition->key, slot_->partition->rows}; }
    [[nodiscard]] pointer operator->() const noexcept { return pointer{**this}; }
    const_iterator& operator++() noexcept {
      ++slot_;
      skip_empty();
      return *this;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept { return a.slot_ == b.slot_; }

    // For a walk over a table larger than the cache, where every partition is a miss of its
    // own: starts loading the partition 2 x `distance` slots on, and the first row of the
    // one `distance` slots on (prefetch_front), whose partition an earlier call, made
    // `distance` slots back, started loading. Hints only: nothing is read that the walk
    // would not read anyway, and slots past the end are left alone.
    void prefetch_ahead(std::size_t distance) const noexcept {
      if (static_cast<std::size_t>(end_ - slot_) > 2 * distance) {
        if (const Partition* far = slot_[2 * distance].partition; far != nullptr) prefetch_lines(far);
      }
      if (static_cast<std::size_t>(end_ - slot_) > distance) {
        if (const Partition* near = slot_[distance].partition; near != nullptr) prefetch_front(near->rows);
      }
    }

   private:
    friend class PartitionMap;
    const_iterator(const Slot* slot, const Slot* end) noexcept : slot_(slot), end_(end) { skip_empty(); }
    void skip_empty() noexcept {
      while (slot_ != end_ && slot_->partition == nullptr) ++slot_;
    }
    const Slot* slot_ = nullptr;
    const Slot* end_ = nullptr;
  };

  PartitionMap() = default;
  PartitionMap(const PartitionMap&) = delete;  // it owns its partitions
  PartitionMap& operator=(const PartitionMap&) = delete;
  ~PartitionMap() { clear(); }

  // A lookup reads the key's home slot and then the partition the slot points at, one after
  // the other. A caller about to look up many keys (BatchGetItem, TransactGetItems) starts
  // the first read for every key, then the second, then finds each: in a map larger than
  // the cache the keys' misses then overlap instead of queueing. Hints only.
  void prefetch_slot(std::uint64_t hash) const noexcept {
    if (!slots_.empty()) __builtin_prefetch(&slots_[home(hash)]);
  }
  // Once the slot has arrived: the partition of the first slot from the home holding `hash`.
  // (Its front is left to the lookup that follows: starting every key's block here as well
  // measured no faster for 100 keys, whose loads then outnumber what the core can have in
  // flight.)
  void prefetch_partition(std::uint64_t hash) const noexcept {
    if (slots_.empty()) return;
    for (std::size_t i = home(hash); i < slots_.size(); ++i) {
      const Slot& slot = slots_[i];
      if (slot.partition == nullptr || slot.hash > hash) return;
      if (slot.hash == hash) return prefetch_lines(slot.partition);
    }
  }
  // find, given the key's hash_key.
  [[nodiscard]] const Rows* find(const AttributeValue& key, std::uint64_t hash) const {
    const std::size_t i = find_slot(key, hash);
    return i != npos ? &slots_[i].partition->rows : nullptr;
  }
  // find, for a caller about to read the partition's front (GetItem): loads the front
  // together with the partition, from the hint in the slot.
  [[nodiscard]] const Rows* find_to_read(const AttributeValue& key, std::uint64_t hash) const {
    const std::size_t i = find_slot<true>(key, hash);
    return i != npos ? &slots_[i].partition->rows : nullptr;
  }

  [[nodiscard]] Rows* find(const AttributeValue& key) {
    const std::size_t i = find_slot(key, hash_key(key));
    return i != npos ? &slots_[i].partition->rows : nullptr;
  }
  [[nodiscard]] const Rows* find(const AttributeValue& key) const {
    const std::size_t i = find_slot(key, hash_key(key));
    return i != npos ? &slots_[i].partition->rows : nullptr;
  }
  Rows& get_or_create(const AttributeValue& key) { return get_or_create(key, hash_key(key)); }
  // get_or_create, given the key's hash_key.
  Rows& get_or_create(const AttributeValue& key, std::uint64_t hash) {
    if (const std::size_t i = find_slot(key, hash); i != npos) return slots_[i].partition->rows;
    if ((count_ + 1) * 4 > capacity() * 3) grow();
    auto partition = std::make_unique<Partition>(Partition{key, Rows{}});
    const std::size_t at = lower_bound_slot(hash, key);
    auto empty = std::find_if(slots_.begin() + static_cast<std::ptrdiff_t>(at), slots_.end(),
                              [](const Slot& slot) { return slot.partition == nullptr; });
    if (empty == slots_.end()) {
      slots_.emplace_back();  // the run reaches the end of the array: extend it
      empty = slots_.end() - 1;
    }
    const auto position = slots_.begin() + static_cast<std::ptrdiff_t>(at);
    std::move_backward(position, empty, empty + 1);
    *position = Slot{hash, partition.release(), {}};
    ++count_;
    return position->partition->rows;
  }
  // Takes the hint of the partition of `key` afresh from its rows, after they changed.
  void refresh_front(const AttributeValue& key, std::uint64_t hash) noexcept {
    if (const std::size_t i = find_slot(key, hash); i != npos) take_front(slots_[i]);
  }
  // The hint a lookup of `key` starts loading: what refresh_front last took (none when the
  // key has no partition).
  [[nodiscard]] LoadHint front(const AttributeValue& key) const noexcept {
    if constexpr (has_front_hint) {
      const std::size_t i = find_slot(key, hash_key(key));
      if (i != npos) return slots_[i].front;
    }
    return LoadHint();
  }
  // Drops the partition of `key` when it holds no rows (else refreshes its hint).
  void erase_if_empty(const AttributeValue& key) {
    std::size_t hole = find_slot(key, hash_key(key));
    if (hole == npos) return;
    if (!slots_[hole].partition->rows.empty()) return take_front(slots_[hole]);
    delete slots_[hole].partition;
    --count_;
    // Backward shift: the later slots of the run move up while that keeps them at or past
    // their home, which keeps both the order and every run unbroken.
    for (; hole + 1 < slots_.size(); ++hole) {
      const Slot& next = slots_[hole + 1];
      if (next.partition == nullptr || home(next.hash) > hole) break;
      slots_[hole] = next;
    }
    slots_[hole] = Slot{};
  }
  void clear() noexcept {
    for (const Slot& slot : slots_) delete slot.partition;
    slots_.clear();
    count_ = 0;
    shift_ = 64;
  }
  void swap(PartitionMap& other) noexcept {
    slots_.swap(other.slots_);
    std::swap(count_, other.count_);
    std::swap(shift_, other.shift_);
  }
  [[nodiscard]] std::size_t partition_count() const noexcept { return count_; }

  [[nodiscard]] const_iterator begin() const noexcept { return at(0); }
  [[nodiscard]] const_iterator end() const noexcept { return at(slots_.size()); }
  // The first partition whose hash is `hash` or more (a parallel-scan segment's first).
  [[nodiscard]] const_iterator lower_bound(std::uint64_t hash) const noexcept {
    if (slots_.empty()) return end();
    std::size_t i = home(hash);
    while (i < slots_.size() && slots_[i].partition != nullptr && slots_[i].hash < hash) ++i;
    return at(i);
  }
  // The first partition at or after (hash_key(key), key).
  [[nodiscard]] const_iterator lower_bound(const AttributeValue& key) const noexcept {
    return at(slots_.empty() ? 0 : lower_bound_slot(hash_key(key), key));
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  static void take_front(Slot& slot) noexcept {
    if constexpr (has_front_hint) slot.front = front_hint(slot.partition->rows);
  }
  // Starts loading a partition: its key, and its rows in the line after.
  static void prefetch_lines(const Partition* partition) noexcept {
    __builtin_prefetch(partition);
    __builtin_prefetch(reinterpret_cast<const char*>(partition) + sizeof(Partition) - 1);
  }

  // The number of home slots: a power of two (0 before the first partition).
  [[nodiscard]] std::size_t capacity() const noexcept {
    return shift_ == 64 ? 0 : std::size_t{1} << (64 - shift_);
  }
  [[nodiscard]] std::size_t home(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>(hash >> shift_);  // only called once there are slots (shift_ < 64)
  }
  [[nodiscard]] const_iterator at(std::size_t i) const noexcept {
    return const_iterator(slots_.data() + i, slots_.data() + slots_.size());
  }
  // Whether the partition in `slot` orders before (hash, key).
  static bool before(const Slot& slot, std::uint64_t hash, const AttributeValue& key) noexcept {
    if (slot.hash != hash) return slot.hash < hash;
    return compare_keys(slot.partition->key, key) < 0;
  }

  // The slot of (hash, key), or npos; with `load_front`, every slot it compares the key
  // with has its hint started first.
  template <bool load_front = false>
  [[nodiscard]] std::size_t find_slot(const AttributeValue& key, std::uint64_t hash) const noexcept {
    if (slots_.empty()) return npos;
    for (std::size_t i = home(hash); i < slots_.size(); ++i) {
      const Slot& slot = slots_[i];
      if (slot.partition == nullptr || slot.hash > hash) return npos;
      if (slot.hash != hash) continue;
      if constexpr (load_front) slot.front.prefetch();
      if (compare_keys(slot.partition->key, key) == 0) return i;
    }
    return npos;
  }
  // Where (hash, key) is or would go: after every partition ordered before it (slots before
  // its home hold smaller hashes), before every other.
  [[nodiscard]] std::size_t lower_bound_slot(std::uint64_t hash, const AttributeValue& key) const noexcept {
    std::size_t i = home(hash);
    while (i < slots_.size() && slots_[i].partition != nullptr && before(slots_[i], hash, key)) ++i;
    return i;
  }
  // Doubles the home slots (16 at first) and places the partitions again, in order.
  void grow() {
    const unsigned shift = shift_ == 64 ? 60 : shift_ - 1;
    std::vector<Slot> slots(std::size_t{1} << (64 - shift));
    std::size_t next = 0;
    for (const Slot& slot : slots_) {
      if (slot.partition == nullptr) continue;
      const std::size_t i = std::max<std::size_t>(static_cast<std::size_t>(slot.hash >> shift), next);
      if (i >= slots.size()) slots.resize(i + 1);
      slots[i] = slot;
      next = i + 1;
    }
    slots_.swap(slots);
    shift_ = shift;
  }

  std::vector<Slot> slots_;  // the home slots, then any slots runs extended past them
  std::size_t count_ = 0;    // partitions; at most 3/4 of the home slots
  unsigned shift_ = 64;      // 64 - log2(home slots)
};

}  // namespace dynamo::engine::detail
