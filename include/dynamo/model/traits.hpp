// dynamo::attribute_traits<T> — how a C++ type is stored as a DynamoDB attribute, and the
// customization point for user types.
//
//   struct Color { std::string name; };
//   template <> struct dynamo::attribute_traits<Color> {
//     static constexpr dynamo::StoredAs stored_as = dynamo::StoredAs::binary;
//     static dynamo::AttributeValue to_attribute(const Color& c) { return dynamo::Binary(c.name); }
//     static Color from_attribute(const dynamo::AttributeValue& v) { return {v.as_binary().bytes()}; }
//   };
//
// A specialization gives:
//   stored_as          the DynamoDB type the value is stored as; typed conditions and updates
//                      are checked against it at compile time (begins_with needs string or
//                      binary, add needs a number or a set, ...);
//   to_attribute(v)    the stored value;
//   from_attribute(a)  the C++ value back (throws dynamo::Error when `a` has another type);
//   is_empty(v)        optional: true when the value is stored as no attribute at all
//                      (std::nullopt, an empty set: DynamoDB has no empty sets).
//
// Built in: std::string, every integral type, float, double, dynamo::Number, dynamo::Binary,
// bool, dynamo::Null, std::set of strings/numbers/binaries and dynamo's StringSet/NumberSet/
// BinarySet, std::vector<T> of any supported T, dynamo::List (untyped), dynamo::AttributeMap
// (raw map), std::map<std::string, T>, std::optional<T>, dynamo::AttributeValue (anything),
// and (in their own headers) utc_time, Ttl, JsonText and structs with a dynamo::model schema.
#pragma once

#include <concepts>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamo/value/attribute_value.hpp"
#include "dynamo/value/number.hpp"

namespace dynamo {

// The DynamoDB type an attribute is stored as; `any` is an untyped AttributeValue.
enum class StoredAs : std::uint8_t {
  string,
  number,
  binary,
  boolean,
  null,
  map,
  list,
  string_set,
  number_set,
  binary_set,
  any,
};

// Specialize for your own types (see the top of this file). The primary template is empty:
// a type without a specialization cannot be a model attribute.
template <class T>
struct attribute_traits {};

// True when T can be stored as an attribute.
template <class T>
concept storable = requires(const T& value, const AttributeValue& stored) {
  { attribute_traits<T>::stored_as } -> std::convertible_to<StoredAs>;
  { attribute_traits<T>::to_attribute(value) } -> std::convertible_to<AttributeValue>;
  { attribute_traits<T>::from_attribute(stored) } -> std::convertible_to<T>;
};

namespace detail {
// Non-template conversions, in src/model/traits.cpp.
[[nodiscard]] Number float_to_number(float value);
[[nodiscard]] Number double_to_number(double value);
[[noreturn]] void throw_wrong_type(StoredAs expected, const AttributeValue& found);
[[nodiscard]] bool is_valid_json(std::string_view text);

// What the attribute of a value is constructed from where it is stored (an item's entry, a
// list element): for the built-in types, the alternative the AttributeValue holds (a
// Number, the std::string itself, a set), so that the value is built in place instead of
// as a temporary AttributeValue that is then moved and destroyed. Otherwise the attribute
// itself. Either way the stored value is what attribute_traits<T>::to_attribute gives: the
// shortcuts apply only to the library's own traits (those with a `built_in` member, or full
// specialisations a user cannot replace), never past a user's specialisation.
template <class T>
struct attribute_source {
  static AttributeValue get(const T& value) { return attribute_traits<T>::to_attribute(value); }
};
template <class T>
[[nodiscard]] decltype(auto) source_of(const T& value) {
  return attribute_source<T>::get(value);
}
}  // namespace detail

// The value stored for `value`, or nullopt when it is stored as no attribute.
template <storable T>
[[nodiscard]] bool is_empty_attribute(const T& value) {
  if constexpr (requires { attribute_traits<T>::is_empty(value); }) {
    return attribute_traits<T>::is_empty(value);
  } else {
    return false;
  }
}

template <storable T>
[[nodiscard]] AttributeValue to_attribute(const T& value) {
  return attribute_traits<T>::to_attribute(value);
}

template <storable T>
[[nodiscard]] T from_attribute(const AttributeValue& stored) {
  return attribute_traits<T>::from_attribute(stored);
}

template <>
struct attribute_traits<std::string> {
  static constexpr StoredAs stored_as = StoredAs::string;
  static AttributeValue to_attribute(const std::string& v) { return AttributeValue(v); }
  static std::string from_attribute(const AttributeValue& a) {
    if (const auto* s = a.get_if<std::string>()) return *s;
    detail::throw_wrong_type(stored_as, a);
  }
};

namespace detail {
template <class T>
[[nodiscard]] Number floating_to_number(T v) {
  if constexpr (std::same_as<T, float>) return float_to_number(v);
  else return double_to_number(static_cast<double>(v));
}
}  // namespace detail

template <class T>
  requires(std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char>)
struct attribute_traits<T> {
  using built_in = void;  // detail::attribute_source may bypass it (a user's specialisation has no such member)
  static constexpr StoredAs stored_as = StoredAs::number;
  static AttributeValue to_attribute(T v) { return AttributeValue(Number(v)); }
  static T from_attribute(const AttributeValue& a) {
    if (const auto* n = a.get_if<Number>()) return n->template to<T>();
    detail::throw_wrong_type(stored_as, a);
  }
};

template <class T>
  requires std::floating_point<T>
struct attribute_traits<T> {
  using built_in = void;  // as above
  static constexpr StoredAs stored_as = StoredAs::number;
  static AttributeValue to_attribute(T v) { return AttributeValue(detail::floating_to_number(v)); }
  static T from_attribute(const AttributeValue& a) {
    if (const auto* n = a.get_if<Number>()) {
      if constexpr (std::same_as<T, float>) return n->to_float_lossy();
      else return static_cast<T>(n->to_double_lossy());
    }
    detail::throw_wrong_type(stored_as, a);
  }
};

template <>
struct attribute_traits<Number> {
  static constexpr StoredAs stored_as = StoredAs::number;
  static AttributeValue to_attribute(const Number& v) { return AttributeValue(v); }
  static Number from_attribute(const AttributeValue& a) {
    if (const auto* n = a.get_if<Number>()) return *n;
    detail::throw_wrong_type(stored_as, a);
  }
};

namespace detail {
template <>
struct attribute_source<std::string> {
  static const std::string& get(const std::string& v) noexcept { return v; }
};
template <class T>
  requires(std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> &&
           requires { typename attribute_traits<T>::built_in; })
struct attribute_source<T> {
  static Number get(T v) noexcept { return Number(v); }
};
template <class T>
  requires(std::floating_point<T> && requires { typename attribute_traits<T>::built_in; })
struct attribute_source<T> {
  static Number get(T v) { return floating_to_number(v); }
};
template <>
struct attribute_source<Number> {
  static const Number& get(const Number& v) noexcept { return v; }
};
template <>
struct attribute_source<bool> {
  static bool get(bool v) noexcept { return v; }
};
}  // namespace detail

template <>
struct attribute_traits<Binary> {
  static constexpr StoredAs stored_as = StoredAs::binary;
  static AttributeValue to_attribute(const Binary& v) { return AttributeValue(v); }
  static Binary from_attribute(const AttributeValue& a) {
    if (const auto* b = a.get_if<Binary>()) return *b;
    detail::throw_wrong_type(stored_as, a);
  }
};

template <>
struct attribute_traits<bool> {
  static constexpr StoredAs stored_as = StoredAs::boolean;
  static AttributeValue to_attribute(bool v) { return AttributeValue(v); }
  static bool from_attribute(const AttributeValue& a) {
    if (const auto* b = a.get_if<bool>()) return *b;
    detail::throw_wrong_type(stored_as, a);
  }
};

template <>
struct attribute_traits<Null> {
  static constexpr StoredAs stored_as = StoredAs::null;
  static AttributeValue to_attribute(Null) { return AttributeValue(Null{}); }
  static Null from_attribute(const AttributeValue& a) {
    if (a.is(Type::null)) return Null{};
    detail::throw_wrong_type(stored_as, a);
  }
};

// Untyped: any value, checked by DynamoDB only.
template <>
struct attribute_traits<AttributeValue> {
  static constexpr StoredAs stored_as = StoredAs::any;
  static AttributeValue to_attribute(const AttributeValue& v) { return v; }
  static AttributeValue from_attribute(const AttributeValue& a) { return a; }
};

// Raw map (PynamoDB's MapAttribute without declared fields).
template <>
struct attribute_traits<AttributeMap> {
  static constexpr StoredAs stored_as = StoredAs::map;
  static AttributeValue to_attribute(const AttributeMap& v) { return AttributeValue(v); }
  static AttributeMap from_attribute(const AttributeValue& a) {
    if (const auto* m = a.get_if<AttributeMap>()) return *m;
    detail::throw_wrong_type(stored_as, a);
  }
};

// Untyped list (PynamoDB's ListAttribute without `of`).
template <>
struct attribute_traits<List> {
  static constexpr StoredAs stored_as = StoredAs::list;
  static AttributeValue to_attribute(const List& v) { return AttributeValue(v); }
  static List from_attribute(const AttributeValue& a) {
    if (const auto* l = a.get_if<List>()) return *l;
    detail::throw_wrong_type(stored_as, a);
  }
};

// dynamo's own sets, stored as they are; empty means no attribute.
template <class E>
struct attribute_traits<Set<E>> {
  static constexpr StoredAs stored_as = std::same_as<E, std::string> ? StoredAs::string_set
                                        : std::same_as<E, Number>    ? StoredAs::number_set
                                                                     : StoredAs::binary_set;
  static bool is_empty(const Set<E>& v) { return v.empty(); }
  static AttributeValue to_attribute(const Set<E>& v) { return AttributeValue(v); }
  static Set<E> from_attribute(const AttributeValue& a) {
    if (const auto* s = a.template get_if<Set<E>>()) return *s;
    detail::throw_wrong_type(stored_as, a);
  }
};

// std::set of strings (SS), binaries (BS) or numbers of any arithmetic type (NS).
template <class E>
  requires(storable<E> && (attribute_traits<E>::stored_as == StoredAs::string ||
                           attribute_traits<E>::stored_as == StoredAs::number ||
                           attribute_traits<E>::stored_as == StoredAs::binary))
struct attribute_traits<std::set<E>> {
  static constexpr StoredAs element = attribute_traits<E>::stored_as;
  static constexpr StoredAs stored_as = element == StoredAs::string   ? StoredAs::string_set
                                        : element == StoredAs::number ? StoredAs::number_set
                                                                      : StoredAs::binary_set;
  static bool is_empty(const std::set<E>& v) { return v.empty(); }
  static AttributeValue to_attribute(const std::set<E>& v) { return AttributeValue(to_set(v)); }
  // The stored set. A std::set of strings, binaries or integers is already in the order
  // of dynamo's sets (unsigned bytes; numeric) and without duplicates, so it is adopted
  // as it is instead of sorted again.
  static auto to_set(const std::set<E>& v) {
    if constexpr (std::same_as<E, std::string> || std::same_as<E, Binary>) {
      std::vector<E> elements;
      elements.reserve(v.size());  // one walk of the tree, not two as the range constructor
      for (const E& e : v) elements.push_back(e);
      return Set<E>::from_sorted_unique(std::move(elements));
    } else if constexpr (element == StoredAs::string) {
      return StringSet(v.begin(), v.end());
    } else if constexpr (element == StoredAs::binary) {
      return BinarySet(v.begin(), v.end());
    } else if constexpr (std::integral<E>) {
      std::vector<Number> numbers;
      numbers.reserve(v.size());
      for (const E& e : v) numbers.emplace_back(e);
      return NumberSet::from_sorted_unique(std::move(numbers));
    } else {
      std::vector<Number> numbers;
      numbers.reserve(v.size());
      for (const E& e : v) numbers.push_back(attribute_traits<E>::to_attribute(e).as_number());
      return NumberSet(numbers.begin(), numbers.end());
    }
  }
  static std::set<E> from_attribute(const AttributeValue& a) {
    std::set<E> out;
    if constexpr (element == StoredAs::string) {
      if (const auto* s = a.get_if<StringSet>()) return std::set<E>(s->begin(), s->end());
    } else if constexpr (element == StoredAs::binary) {
      if (const auto* s = a.get_if<BinarySet>()) return std::set<E>(s->begin(), s->end());
    } else {
      if (const auto* s = a.get_if<NumberSet>()) {
        for (const Number& n : *s) out.insert(attribute_traits<E>::from_attribute(AttributeValue(n)));
        return out;
      }
    }
    detail::throw_wrong_type(stored_as, a);
  }
};

// Typed list (PynamoDB's ListAttribute(of=...)): every element converted by its own traits.
template <class E>
  requires storable<E>
struct attribute_traits<std::vector<E>> {
  static constexpr StoredAs stored_as = StoredAs::list;
  static AttributeValue to_attribute(const std::vector<E>& v) { return AttributeValue(to_list(v)); }
  static List to_list(const std::vector<E>& v) {
    List list;
    list.reserve(v.size());
    for (const E& e : v) list.emplace_back(detail::source_of(e));
    return list;
  }
  static std::vector<E> from_attribute(const AttributeValue& a) {
    const auto* list = a.get_if<List>();
    if (!list) detail::throw_wrong_type(stored_as, a);
    std::vector<E> out;
    out.reserve(list->size());
    for (const AttributeValue& e : *list) out.push_back(attribute_traits<E>::from_attribute(e));
    return out;
  }
};

// A map whose members all have one type (free names, typed values).
template <class E>
  requires storable<E>
struct attribute_traits<std::map<std::string, E>> {
  static constexpr StoredAs stored_as = StoredAs::map;
  static AttributeValue to_attribute(const std::map<std::string, E>& v) {
    std::vector<AttributeMap::value_type> entries;
    entries.reserve(v.size());
    for (const auto& [name, e] : v) {
      if (is_empty_attribute(e)) continue;
      entries.emplace_back(name, detail::source_of(e));
    }
    AttributeMap map;
    (void)map.assign_entries(std::move(entries));  // names of a std::map are unique
    return AttributeValue(std::move(map));
  }
  static std::map<std::string, E> from_attribute(const AttributeValue& a) {
    const auto* map = a.get_if<AttributeMap>();
    if (!map) detail::throw_wrong_type(stored_as, a);
    std::map<std::string, E> out;
    for (const auto& [name, e] : *map) out.emplace(name, attribute_traits<E>::from_attribute(e));
    return out;
  }
};

// Nullable: std::nullopt is stored as no attribute (PynamoDB's null=True).
template <class E>
  requires storable<E>
struct attribute_traits<std::optional<E>> {
  using built_in = void;  // as above
  static constexpr StoredAs stored_as = attribute_traits<E>::stored_as;
  static bool is_empty(const std::optional<E>& v) { return !v || is_empty_attribute(*v); }
  static AttributeValue to_attribute(const std::optional<E>& v) { return attribute_traits<E>::to_attribute(*v); }
  static std::optional<E> from_attribute(const AttributeValue& a) {
    if (a.is(Type::null) && attribute_traits<E>::stored_as != StoredAs::null) return std::nullopt;
    return attribute_traits<E>::from_attribute(a);
  }
};

namespace detail {
// A set's source is the Set itself: an empty one throws where it becomes an AttributeValue,
// as to_attribute's does.
template <class E>
  requires(requires { attribute_traits<std::set<E>>::to_set(std::declval<const std::set<E>&>()); })
struct attribute_source<std::set<E>> {
  static auto get(const std::set<E>& v) { return attribute_traits<std::set<E>>::to_set(v); }
};
template <class E>
  requires(requires { attribute_traits<std::vector<E>>::to_list(std::declval<const std::vector<E>&>()); })
struct attribute_source<std::vector<E>> {
  static List get(const std::vector<E>& v) { return attribute_traits<std::vector<E>>::to_list(v); }
};
template <class E>
  requires(storable<E> && requires { typename attribute_traits<std::optional<E>>::built_in; })
struct attribute_source<std::optional<E>> {
  static decltype(auto) get(const std::optional<E>& v) { return attribute_source<E>::get(*v); }
};

// The value type an attribute of member type M compares and assigns with: optional<V> -> V.
template <class M>
struct unwrap_optional {
  using type = M;
};
template <class M>
struct unwrap_optional<std::optional<M>> {
  using type = M;
};

// The C++ type a literal stands for when it is used as a value: "text" -> std::string.
template <class U>
struct literal_type {
  using type = std::remove_cvref_t<U>;
};
template <class U>
  requires(std::is_convertible_v<const U&, std::string_view> && !storable<std::remove_cvref_t<U>>)
struct literal_type<U> {
  using type = std::string;
};

template <class U>
using literal_type_t = typename literal_type<std::remove_cvref_t<U>>::type;

// The DynamoDB type of a C++ value used as an operand; `any` when it has no traits.
template <class U>
[[nodiscard]] consteval StoredAs stored_as_of() {
  using L = literal_type_t<U>;
  if constexpr (storable<L>) return attribute_traits<L>::stored_as;
  else return StoredAs::any;
}

template <class U>
inline constexpr bool has_traits_v = storable<literal_type_t<U>>;

// The element type of a set or list attribute; for other types, the type itself.
template <class V>
struct element_of {
  using type = V;
};
template <class E>
struct element_of<std::set<E>> {
  using type = E;
};
template <class E>
struct element_of<Set<E>> {
  using type = E;
};
template <class E>
struct element_of<std::vector<E>> {
  using type = E;
};
template <>
struct element_of<List> {
  using type = AttributeValue;
};

[[nodiscard]] constexpr bool is_set(StoredAs s) {
  return s == StoredAs::string_set || s == StoredAs::number_set || s == StoredAs::binary_set;
}
// The element type of a set: SS -> S.
[[nodiscard]] constexpr StoredAs set_element(StoredAs s) {
  return s == StoredAs::string_set   ? StoredAs::string
         : s == StoredAs::number_set ? StoredAs::number
         : s == StoredAs::binary_set ? StoredAs::binary
                                     : StoredAs::any;
}
// Two DynamoDB types that may meet in a comparison or an assignment.
[[nodiscard]] constexpr bool compatible(StoredAs a, StoredAs b) {
  return a == b || a == StoredAs::any || b == StoredAs::any;
}

}  // namespace detail

// A readable name of a stored type ("string", "number set", ...), for messages.
[[nodiscard]] std::string_view to_string(StoredAs stored_as) noexcept;

}  // namespace dynamo
