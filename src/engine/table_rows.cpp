// The rows of one table partition (table_rows.hpp).
#include "engine/table_rows.hpp"

#include <cassert>

namespace dynamo::engine::detail {

namespace {

// The sort key of the only row of a table without a sort key.
const AttributeValue& null_sort_key() noexcept {
  static const AttributeValue null;
  return null;
}

}  // namespace

TableRows::Row TableRows::const_iterator::operator*() const noexcept {
  if (in_map_) return Row{position_->first, position_->second};
  return Row{null_sort_key(), *single_};
}

TableRows::const_iterator& TableRows::const_iterator::operator++() noexcept {
  if (in_map_) {
    ++position_;
  } else {
    past_ = true;
  }
  return *this;
}

TableRows::const_iterator& TableRows::const_iterator::operator--() noexcept {
  if (in_map_) {
    --position_;
  } else {
    past_ = false;
  }
  return *this;
}

TableRows::const_iterator TableRows::begin() const noexcept {
  if (const auto* map = std::get_if<Map>(&rows_)) return const_iterator(map->begin());
  const auto* single = std::get_if<StoredItem>(&rows_);
  return const_iterator(single, single == nullptr);
}

TableRows::const_iterator TableRows::end() const noexcept {
  if (const auto* map = std::get_if<Map>(&rows_)) return const_iterator(map->end());
  return const_iterator(std::get_if<StoredItem>(&rows_), true);
}

TableRows::const_iterator TableRows::lower_bound(const AttributeValue& sort) const {
  if (const auto* map = std::get_if<Map>(&rows_)) return const_iterator(map->lower_bound(sort));
  // The only row's key is NULL, which orders before every other key type and equals itself.
  return compare_keys(null_sort_key(), sort) < 0 ? end() : begin();
}

TableRows::const_iterator TableRows::upper_bound(const AttributeValue& sort) const {
  if (const auto* map = std::get_if<Map>(&rows_)) return const_iterator(map->upper_bound(sort));
  return compare_keys(sort, null_sort_key()) < 0 ? begin() : end();
}

bool TableRows::empty() const noexcept {
  if (const auto* map = std::get_if<Map>(&rows_)) return map->empty();
  return std::holds_alternative<std::monostate>(rows_);
}

const StoredItem* TableRows::find(const AttributeValue& sort) const {
  return const_cast<TableRows*>(this)->find(sort);
}

StoredItem* TableRows::find(const AttributeValue& sort) {
  if (auto* map = std::get_if<Map>(&rows_)) {
    auto it = map->find(sort);
    return it == map->end() ? nullptr : &it->second;
  }
  auto* single = std::get_if<StoredItem>(&rows_);
  return single != nullptr && sort.is(Type::null) ? single : nullptr;
}

StoredItem& TableRows::insert(const AttributeValue& sort, StoredItem stored) {
  if (sort.is(Type::null)) {
    assert(!std::holds_alternative<Map>(rows_) && !std::holds_alternative<StoredItem>(rows_));
    return rows_.emplace<StoredItem>(std::move(stored));
  }
  assert(!std::holds_alternative<StoredItem>(rows_));
  if (!std::holds_alternative<Map>(rows_)) rows_.emplace<Map>();
  return std::get<Map>(rows_).emplace(sort, std::move(stored)).first->second;
}

void TableRows::erase(const AttributeValue& sort) {
  if (auto* map = std::get_if<Map>(&rows_)) {
    map->erase(sort);
  } else if (sort.is(Type::null)) {
    rows_.emplace<std::monostate>();
  }
}

}  // namespace dynamo::engine::detail
