#include "dynamo/value/attribute_value.hpp"

#include <array>
#include <type_traits>

namespace dynamo {
namespace {

constexpr std::array<std::string_view, 10> type_tags = {"S", "N", "B", "BOOL", "NULL",
                                                        "M", "L", "SS", "NS", "BS"};

Error empty_set_error(Type type) {
  return Error::validation("an " + std::string(type_tag(type)) +
                           " set may not be empty: DynamoDB has no empty sets");
}

}  // namespace

std::string_view type_tag(Type type) noexcept { return type_tags[static_cast<std::size_t>(type)]; }

std::optional<Type> type_from_tag(std::string_view tag) noexcept {
  for (std::size_t i = 0; i < type_tags.size(); ++i) {
    if (type_tags[i] == tag) return static_cast<Type>(i);
  }
  return std::nullopt;
}

template class Set<std::string>;
template class Set<Number>;
template class Set<Binary>;

// The special members live here, not in the header: a variant of ten alternatives copied,
// moved, destroyed and compared inline costs every including translation unit its
// instantiation and code generation (docs/performance.md, "Compile time").
AttributeValue::AttributeValue(const AttributeValue& other) = default;
AttributeValue::AttributeValue(AttributeValue&& other) noexcept = default;
AttributeValue& AttributeValue::operator=(const AttributeValue& other) = default;
AttributeValue& AttributeValue::operator=(AttributeValue&& other) noexcept = default;
AttributeValue::~AttributeValue() = default;

bool operator==(const AttributeValue& a, const AttributeValue& b) { return a.storage_ == b.storage_; }
bool operator==(const AttributeMap& a, const AttributeMap& b) { return a.entries_ == b.entries_; }

AttributeValue::AttributeValue(StringSet set) : storage_(std::move(set)) {
  if (as_string_set().empty()) throw empty_set_error(Type::string_set);
}
AttributeValue::AttributeValue(NumberSet set) : storage_(std::move(set)) {
  if (as_number_set().empty()) throw empty_set_error(Type::number_set);
}
AttributeValue::AttributeValue(BinarySet set) : storage_(std::move(set)) {
  if (as_binary_set().empty()) throw empty_set_error(Type::binary_set);
}

void AttributeValue::throw_type_mismatch(Type expected) const {
  throw Error::validation("expected an " + std::string(type_tag(expected)) + " value, found " +
                          std::string(type_tag(type())));
}

AttributeMap::AttributeMap(std::initializer_list<value_type> entries) {
  if (auto duplicate = assign_entries(std::vector<value_type>(entries))) {
    throw Error::validation("attribute name \"" + *duplicate + "\" appears more than once");
  }
}

namespace {

// a < b in the byte order of std::string's operator<, deciding on the first byte when the
// names differ there (most do) without a call to memcmp.
bool name_less(const std::string& a, const std::string& b) noexcept {
  if (!a.empty() && !b.empty() && a.front() != b.front())
    return static_cast<unsigned char>(a.front()) < static_cast<unsigned char>(b.front());
  return a < b;
}

}  // namespace

std::optional<std::string> AttributeMap::assign_entries(std::vector<value_type>&& entries) {
  // Entries built from a schema arrive sorted and unique: one pass of comparisons proves it.
  bool strictly_sorted = true;
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (!name_less(entries[i - 1].first, entries[i].first)) {
      strictly_sorted = false;
      break;
    }
  }
  if (strictly_sorted) {
    entries_ = std::move(entries);
    return std::nullopt;
  }
  auto by_name = [](const value_type& a, const value_type& b) { return a.first < b.first; };
  if (!std::is_sorted(entries.begin(), entries.end(), by_name)) {
    std::sort(entries.begin(), entries.end(), by_name);
  }
  auto same_name = [](const value_type& a, const value_type& b) { return a.first == b.first; };
  if (auto dup = std::adjacent_find(entries.begin(), entries.end(), same_name); dup != entries.end()) {
    return dup->first;
  }
  entries_ = std::move(entries);
  return std::nullopt;
}

AttributeMap::const_iterator AttributeMap::lower_bound(std::string_view name) const noexcept {
  return std::lower_bound(entries_.begin(), entries_.end(), name,
                          [](const value_type& entry, std::string_view key) { return entry.first < key; });
}

const AttributeValue* AttributeMap::find(std::string_view name) const noexcept {
  auto it = lower_bound(name);
  return it != entries_.end() && it->first == name ? &it->second : nullptr;
}

AttributeValue* AttributeMap::find(std::string_view name) noexcept {
  return const_cast<AttributeValue*>(std::as_const(*this).find(name));
}

const AttributeValue& AttributeMap::at(std::string_view name) const {
  if (const auto* value = find(name)) return *value;
  throw Error::validation("no attribute named \"" + std::string(name) + "\"");
}

AttributeValue& AttributeMap::at(std::string_view name) {
  return const_cast<AttributeValue&>(std::as_const(*this).at(name));
}

AttributeValue& AttributeMap::insert_or_assign(std::string name, AttributeValue value) {
  auto position = entries_.begin() + (lower_bound(name) - entries_.cbegin());
  if (position != entries_.end() && position->first == name) {
    position->second = std::move(value);
    return position->second;
  }
  return entries_.emplace(position, std::move(name), std::move(value))->second;
}

bool AttributeMap::erase(std::string_view name) {
  auto position = entries_.begin() + (lower_bound(name) - entries_.cbegin());
  if (position == entries_.end() || position->first != name) return false;
  entries_.erase(position);
  return true;
}

std::optional<std::strong_ordering> scalar_order(const AttributeValue& a, const AttributeValue& b) noexcept {
  return a.visit([&b](const auto& x) -> std::optional<std::strong_ordering> {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Number> || std::is_same_v<T, Binary>) {
      if (const T* y = b.get_if<T>()) return x <=> *y;  // std::string: unsigned bytes (char_traits)
    }
    return std::nullopt;
  });
}

int nesting_depth(const AttributeValue& value) noexcept {
  int deepest = 0;
  if (const auto* map = value.get_if<AttributeMap>()) {
    for (const auto& [name, member] : *map) deepest = std::max(deepest, nesting_depth(member));
    return deepest + 1;
  }
  if (const auto* list = value.get_if<List>()) {
    for (const auto& element : *list) deepest = std::max(deepest, nesting_depth(element));
    return deepest + 1;
  }
  return 0;
}

}  // namespace dynamo
