// dynamo::AttributeValue — one DynamoDB value of any of its ten types — and dynamo::Item.
//
//   S     std::string       (UTF-8 text)           N   dynamo::Number (exact decimal)
//   B     dynamo::Binary    (raw bytes)            BOOL bool
//   NULL  dynamo::Null                             M   dynamo::AttributeMap (name -> value)
//   L     dynamo::List      (vector of values)     SS/NS/BS  StringSet / NumberSet / BinarySet
//
//   dynamo::Item item{
//       {"forum", "C++"},                          // S
//       {"views", 12},                             // N
//       {"tags", dynamo::StringSet{"new", "hot"}}, // SS
//       {"meta", dynamo::AttributeMap{{"pinned", true}}},
//   };
//   if (const auto* views = item.find("views")) std::cout << views->as_number();
//
// Invariants the type keeps, so that a value which exists can always be sent:
//   * a set is never empty (constructing an AttributeValue from an empty set throws) and
//     never holds duplicates (numbers are compared numerically: 1 and 1.0 are one element);
//   * a set is immutable once inside an AttributeValue (sets are replaced, not edited);
//   * maps keep their entries sorted by name (UTF-8 byte order), so equality and output do
//     not depend on insertion order.
// Moves are cheap (a variant of strings and vectors); copies are deep.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "dynamo/limits.hpp"
#include "dynamo/error.hpp"
#include "dynamo/value/number.hpp"

namespace dynamo {

// The ten DynamoDB types, in the order of their wire tags below.
enum class Type : std::uint8_t {
  string,      // S
  number,      // N
  binary,      // B
  boolean,     // BOOL
  null,        // NULL
  map,         // M
  list,        // L
  string_set,  // SS
  number_set,  // NS
  binary_set,  // BS
};

// The wire tag of a type: "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
[[nodiscard]] std::string_view type_tag(Type type) noexcept;
// The type of a wire tag, or nullopt when the tag is not one of the ten.
[[nodiscard]] std::optional<Type> type_from_tag(std::string_view tag) noexcept;

// Raw bytes (DynamoDB's B). Kept apart from std::string so that text and bytes cannot be
// confused; stored in a std::string for its small-buffer optimisation.
class Binary {
 public:
  Binary() = default;
  explicit Binary(std::string bytes) noexcept : bytes_(std::move(bytes)) {}
  explicit Binary(std::span<const std::byte> bytes)
      : bytes_(reinterpret_cast<const char*>(bytes.data()), bytes.size()) {}
  Binary(std::initializer_list<std::uint8_t> bytes) {
    bytes_.reserve(bytes.size());
    for (auto b : bytes) bytes_.push_back(static_cast<char>(b));
  }

  [[nodiscard]] std::string_view view() const noexcept { return bytes_; }
  [[nodiscard]] const std::string& bytes() const noexcept { return bytes_; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept {
    return {reinterpret_cast<const std::byte*>(bytes_.data()), bytes_.size()};
  }
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }
  [[nodiscard]] bool empty() const noexcept { return bytes_.empty(); }

  // Unsigned byte order, as DynamoDB sorts binary keys.
  friend bool operator==(const Binary&, const Binary&) = default;
  friend std::strong_ordering operator<=>(const Binary& a, const Binary& b) noexcept {
    return a.bytes_.compare(b.bytes_) <=> 0;  // char_traits<char> compares as unsigned char
  }

 private:
  std::string bytes_;
};

// DynamoDB's NULL: a value whose only content is that it is there.
struct Null {
  friend bool operator==(Null, Null) noexcept { return true; }
};

// A sorted set without duplicates: the storage of SS, NS and BS. Elements are ordered as
// DynamoDB orders keys (strings and binaries by unsigned bytes, numbers numerically).
template <class T>
class Set {
 public:
  using value_type = T;
  using const_iterator = typename std::vector<T>::const_iterator;

  Set() = default;
  // Duplicates collapse, as in std::set.
  Set(std::initializer_list<T> elements) : elements_(elements) { sort_unique(); }
  template <std::input_iterator It>
  Set(It first, It last) : elements_(first, last) {
    sort_unique();
  }

  // Adopts elements known to be sorted and unique (checked in debug builds only).
  [[nodiscard]] static Set from_sorted_unique(std::vector<T> elements) {
    assert(std::adjacent_find(elements.begin(), elements.end(),
                              [](const T& a, const T& b) { return !(a < b); }) == elements.end());
    Set set;
    set.elements_ = std::move(elements);
    return set;
  }

  // Returns true when the element was not already present.
  bool insert(T element) {
    auto it = std::lower_bound(elements_.begin(), elements_.end(), element);
    if (it != elements_.end() && *it == element) return false;
    elements_.insert(it, std::move(element));
    return true;
  }
  // Returns true when the element was present.
  bool erase(const T& element) {
    auto it = std::lower_bound(elements_.begin(), elements_.end(), element);
    if (it == elements_.end() || !(*it == element)) return false;
    elements_.erase(it);
    return true;
  }
  [[nodiscard]] bool contains(const T& element) const {
    return std::binary_search(elements_.begin(), elements_.end(), element);
  }

  [[nodiscard]] std::size_t size() const noexcept { return elements_.size(); }
  [[nodiscard]] bool empty() const noexcept { return elements_.empty(); }
  [[nodiscard]] const_iterator begin() const noexcept { return elements_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return elements_.end(); }
  [[nodiscard]] const std::vector<T>& elements() const noexcept { return elements_; }

  friend bool operator==(const Set&, const Set&) = default;

 private:
  void sort_unique() {
    std::sort(elements_.begin(), elements_.end());
    elements_.erase(std::unique(elements_.begin(), elements_.end()), elements_.end());
  }
  std::vector<T> elements_;
};

using StringSet = Set<std::string>;
using NumberSet = Set<Number>;
using BinarySet = Set<Binary>;
// Instantiated once, in the library (attribute_value.cpp), not in every translation unit.
extern template class Set<std::string>;
extern template class Set<Number>;
extern template class Set<Binary>;

class AttributeValue;
using List = std::vector<AttributeValue>;

// Attribute name -> value, kept sorted by name: DynamoDB's M, and the shape of an Item.
// A flat sorted vector: items are small (a dozen attributes is typical), so this beats a
// node-based map on lookups, iteration, copies and memory.
class AttributeMap {
 public:
  using value_type = std::pair<std::string, AttributeValue>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  AttributeMap() = default;
  // Throws dynamo::Error (ValidationException) when a name appears twice.
  AttributeMap(std::initializer_list<value_type> entries);

  // Sorts `entries` by name and adopts them. When two share a name, nothing is adopted
  // and that name is returned (the caller decides how to report it).
  [[nodiscard]] std::optional<std::string> assign_entries(std::vector<value_type>&& entries);

  [[nodiscard]] const AttributeValue* find(std::string_view name) const noexcept;
  [[nodiscard]] AttributeValue* find(std::string_view name) noexcept;
  [[nodiscard]] bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }
  // Throws dynamo::Error (ValidationException) naming the attribute when it is absent.
  [[nodiscard]] const AttributeValue& at(std::string_view name) const;
  [[nodiscard]] AttributeValue& at(std::string_view name);

  // Sets `name` to `value`, replacing any previous value; returns the stored value.
  AttributeValue& insert_or_assign(std::string name, AttributeValue value);
  // Returns true when the attribute was present.
  bool erase(std::string_view name);
  void clear() noexcept;
  void reserve(std::size_t n);

  // (Defined after AttributeValue: the element type must be complete in their bodies.)
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] bool empty() const noexcept;
  [[nodiscard]] iterator begin() noexcept;
  [[nodiscard]] iterator end() noexcept;
  [[nodiscard]] const_iterator begin() const noexcept;
  [[nodiscard]] const_iterator end() const noexcept;

  friend bool operator==(const AttributeMap& a, const AttributeMap& b);

 private:
  [[nodiscard]] const_iterator lower_bound(std::string_view name) const noexcept;
  std::vector<value_type> entries_;
};

// An item is a map from attribute names to values.
using Item = AttributeMap;

class AttributeValue {
 public:
  // NULL.
  AttributeValue() noexcept : storage_(Null{}) {}

  AttributeValue(std::string text) noexcept : storage_(std::move(text)) {}         // S
  AttributeValue(std::string_view text) : storage_(std::string(text)) {}           // S
  AttributeValue(const char* text) : storage_(std::string(text)) {}                // S
  AttributeValue(Number number) noexcept : storage_(number) {}                     // N
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  AttributeValue(T number) noexcept : storage_(Number(number)) {}                  // N
  AttributeValue(Binary bytes) noexcept : storage_(std::move(bytes)) {}            // B
  template <std::same_as<bool> T>  // only a real bool, never a pointer converted to one
  AttributeValue(T flag) noexcept : storage_(flag) {}                              // BOOL
  AttributeValue(Null) noexcept : storage_(Null{}) {}                              // NULL
  AttributeValue(AttributeMap map) noexcept : storage_(std::move(map)) {}          // M
  AttributeValue(List list) noexcept : storage_(std::move(list)) {}                // L
  // Sets: throw dynamo::Error (ValidationException) when empty — DynamoDB has no empty set.
  AttributeValue(StringSet set);                                                   // SS
  AttributeValue(NumberSet set);                                                   // NS
  AttributeValue(BinarySet set);                                                   // BS

  [[nodiscard]] static AttributeValue null() noexcept { return AttributeValue(); }

  [[nodiscard]] Type type() const noexcept { return static_cast<Type>(storage_.index()); }
  [[nodiscard]] bool is(Type t) const noexcept { return type() == t; }

  // Typed access. Each throws dynamo::Error (ValidationException) naming both types when
  // the value is of another type, e.g. "expected an S value, found N".
  [[nodiscard]] const std::string& as_string() const { return get<std::string>(Type::string); }
  [[nodiscard]] const Number& as_number() const { return get<Number>(Type::number); }
  [[nodiscard]] const Binary& as_binary() const { return get<Binary>(Type::binary); }
  [[nodiscard]] bool as_bool() const { return get<bool>(Type::boolean); }
  [[nodiscard]] const AttributeMap& as_map() const { return get<AttributeMap>(Type::map); }
  [[nodiscard]] AttributeMap& as_map() { return get<AttributeMap>(Type::map); }
  [[nodiscard]] const List& as_list() const { return get<List>(Type::list); }
  [[nodiscard]] List& as_list() { return get<List>(Type::list); }
  [[nodiscard]] const StringSet& as_string_set() const { return get<StringSet>(Type::string_set); }
  [[nodiscard]] const NumberSet& as_number_set() const { return get<NumberSet>(Type::number_set); }
  [[nodiscard]] const BinarySet& as_binary_set() const { return get<BinarySet>(Type::binary_set); }

  // Pointer to the stored T, or nullptr when the value holds another type.
  template <class T>
  [[nodiscard]] const T* get_if() const noexcept {
    return std::get_if<T>(&storage_);
  }

  // Calls `visitor` with the stored alternative.
  template <class Visitor>
  decltype(auto) visit(Visitor&& visitor) const {
    return std::visit(std::forward<Visitor>(visitor), storage_);
  }

  AttributeValue(const AttributeValue& other);
  AttributeValue(AttributeValue&& other) noexcept;
  AttributeValue& operator=(const AttributeValue& other);
  AttributeValue& operator=(AttributeValue&& other) noexcept;
  ~AttributeValue();

  // Same type and same content (numbers numerically, sets as sets, maps by entries).
  friend bool operator==(const AttributeValue&, const AttributeValue&);

 private:
  template <class T>
  [[nodiscard]] const T& get(Type expected) const {
    if (const T* p = std::get_if<T>(&storage_)) return *p;
    throw_type_mismatch(expected);
  }
  template <class T>
  [[nodiscard]] T& get(Type expected) {
    if (T* p = std::get_if<T>(&storage_)) return *p;
    throw_type_mismatch(expected);
  }
  [[noreturn]] void throw_type_mismatch(Type expected) const;

  // Alternative order equals the order of Type.
  std::variant<std::string, Number, Binary, bool, Null, AttributeMap, List, StringSet, NumberSet,
               BinarySet>
      storage_;
};

inline void AttributeMap::clear() noexcept { entries_.clear(); }
inline void AttributeMap::reserve(std::size_t n) { entries_.reserve(n); }
inline std::size_t AttributeMap::size() const noexcept { return entries_.size(); }
inline bool AttributeMap::empty() const noexcept { return entries_.empty(); }
inline AttributeMap::iterator AttributeMap::begin() noexcept { return entries_.begin(); }
inline AttributeMap::iterator AttributeMap::end() noexcept { return entries_.end(); }
inline AttributeMap::const_iterator AttributeMap::begin() const noexcept { return entries_.begin(); }
inline AttributeMap::const_iterator AttributeMap::end() const noexcept { return entries_.end(); }

// DynamoDB's order of two scalar values of one type, as used for sort keys and for the
// comparison operators: S by UTF-8 bytes (unsigned), N numerically, B by unsigned bytes.
// nullopt when the types differ or are not S, N or B (DynamoDB's comparisons are then false).
[[nodiscard]] std::optional<std::strong_ordering> scalar_order(const AttributeValue& a,
                                                               const AttributeValue& b) noexcept;

// Maximum nesting of maps and lists DynamoDB accepts: a top-level M or L is level 1.
inline constexpr int max_nesting_depth = limits::nesting_depth;

// The number of nested M/L levels in `value` (0 for scalars and sets, 1 for a flat list).
[[nodiscard]] int nesting_depth(const AttributeValue& value) noexcept;

}  // namespace dynamo
