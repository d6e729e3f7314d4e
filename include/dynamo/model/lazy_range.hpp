// detail::LazyRange — the input range shared by the model layer's lazy results
// (ResultIterator, ResultPages, BatchGetResults): each element is produced only when a loop
// asks for it, through the derived class's produce().
//
//   class Numbers : public detail::LazyRange<Numbers, int> {
//     friend class detail::LazyRange<Numbers, int>;
//     std::optional<int> produce() { ... }   // nullopt: nothing more
//   };
//
// Every begin() moves on to the next element: a second loop continues after what the first
// one handed out, the element it stopped at included (it was seen). When produce() throws,
// the element held before is already dropped, so no loop sees it again, and nothing new is
// held: looping again calls produce() again.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamo/model/serialize.hpp"

namespace dynamo::detail {

// An item as the range's element type: a model read through its schema, or the raw item.
template <class T>
[[nodiscard]] T read_item(const Item& item) {
  if constexpr (std::is_same_v<T, Item>) return item;
  else return deserialize<T>(item);
}

template <class Derived, class Value>
class LazyRange {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Value;
    using difference_type = std::ptrdiff_t;
    using pointer = const Value*;
    using reference = const Value&;

    iterator() = default;
    explicit iterator(LazyRange* owner) : owner_(owner) {}

    [[nodiscard]] reference operator*() const { return *owner_->current_; }
    [[nodiscard]] pointer operator->() const { return &*owner_->current_; }
    iterator& operator++() {
      owner_->advance();
      return *this;
    }
    void operator++(int) { owner_->advance(); }
    [[nodiscard]] friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    [[nodiscard]] bool at_end() const noexcept { return !owner_ || !owner_->current_; }

    LazyRange* owner_ = nullptr;
  };

  // The next element not handed out yet (producing it now). Every call moves on.
  [[nodiscard]] iterator begin() {
    advance();
    return iterator(this);
  }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  // The remaining elements.
  [[nodiscard]] std::vector<Value> to_vector() {
    std::vector<Value> out;
    for (const Value& value : *this) out.push_back(value);
    return out;
  }

 protected:
  LazyRange() = default;

 private:
  void advance() {
    // Dropped first, so that when producing throws no loop sees the old element again.
    current_.reset();
    if (std::optional<Value> next = static_cast<Derived*>(this)->produce()) current_.emplace(std::move(*next));
  }

  std::optional<Value> current_;
};

}  // namespace dynamo::detail
