// Typed conditions and update actions from a model's attributes: dynamo::field(&T::member).
//
//   using dynamo::field;
//   auto views = field(&Thread::views);                       // Field<std::int64_t>
//   expr::Condition c = views < 100 && field(&Thread::subject).begins_with("M");
//   expr::Update u{views.set(views + 1),                       // SET views = views + :v
//                  field(&Thread::tags).add({"new"}),          // ADD tags :v
//                  field(&Thread::notes)[0].remove()};         // REMOVE notes[0]
//   field(&Car::info).field(&CarInfo::make) == "Make-A";       // a declared map's member
//   field(&Container::my_map)["foo"].exists();                 // a raw map's member
//
// Each operator of PynamoDB's condition and update tables is here, and a misuse a compiler
// can see does not compile, with a sentence saying why (sqlpp11's habit):
//   views == "x"            comparison needs a value of the attribute's type
//   field(&T::name).add(1)  add() needs a number or set attribute
//   views.begins_with("1")  begins_with() needs a string or binary attribute
//   views[0]                [] with a position needs a list attribute
// Values are converted with the attribute's traits, so a utc_time compares as its stored
// text. The results are the untyped expr::Condition / expr::UpdateAction / expr::Operand,
// so typed and untyped expressions mix freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/operand.hpp"
#include "dynamo/expr/path.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/traits.hpp"

namespace dynamo {

template <class V>
class Field;
template <class V>
class Expression;

namespace detail {

template <class U>
inline constexpr bool is_typed_operand_v = false;
template <class V>
inline constexpr bool is_typed_operand_v<Field<V>> = true;
template <class V>
inline constexpr bool is_typed_operand_v<Expression<V>> = true;

// The DynamoDB type of an operand: a typed field or expression, or a plain value.
template <class U>
[[nodiscard]] consteval StoredAs operand_stored_as() {
  if constexpr (is_typed_operand_v<U>) return U::stored_as;
  else return stored_as_of<U>();
}

// True when U (a value, a Field or an Expression) may stand where an attribute of DynamoDB
// type `target` is expected.
template <StoredAs target, class U, class V>
[[nodiscard]] consteval bool accepts() {
  using L = literal_type_t<U>;
  if constexpr (is_typed_operand_v<std::remove_cvref_t<U>>) {
    return compatible(target, std::remove_cvref_t<U>::stored_as);
  } else if constexpr (storable<L>) {
    return compatible(target, attribute_traits<L>::stored_as);
  } else {
    return std::is_convertible_v<const U&, V>;  // e.g. sys_seconds for a utc_time attribute
  }
}

template <class V, class U>
inline constexpr bool accepts_v = accepts<attribute_traits<V>::stored_as, U, V>();

// The operand of `u` used against an attribute of C++ type V.
template <class V, class U>
[[nodiscard]] expr::Operand operand(const U& u) {
  using L = literal_type_t<U>;
  if constexpr (is_typed_operand_v<std::remove_cvref_t<U>>) {
    return u.operand();
  } else if constexpr (storable<L>) {
    return expr::Operand(attribute_traits<L>::to_attribute(L(u)));
  } else {
    return expr::Operand(attribute_traits<V>::to_attribute(V(u)));
  }
}

[[nodiscard]] constexpr bool is_scalar(StoredAs s) {
  return s == StoredAs::string || s == StoredAs::number || s == StoredAs::binary || s == StoredAs::any;
}

template <class V>
struct map_value {
  using type = AttributeValue;
};
template <class E>
struct map_value<std::map<std::string, E>> {
  using type = E;
};

// The wire type of a stored type (for attribute_type()).
[[nodiscard]] Type wire_type(StoredAs stored_as);

}  // namespace detail

// A typed operand that is not a plain attribute: `views + 1`, `5 - views`, `size(subject)`,
// `forum | "Default"` (if_not_exists).
template <class V>
class Expression {
 public:
  using value_type = V;
  static constexpr StoredAs stored_as = attribute_traits<V>::stored_as;

  explicit Expression(expr::Operand operand) : operand_(std::move(operand)) {}
  [[nodiscard]] const expr::Operand& operand() const noexcept { return operand_; }

 private:
  expr::Operand operand_;
};

// A typed attribute path: a model attribute, a member of a declared map, an element of a
// list, or a member of a raw map. V is the C++ type of the value found there.
template <class V>
class Field {
 public:
  using value_type = V;
  static constexpr StoredAs stored_as = attribute_traits<V>::stored_as;

  explicit Field(expr::Path path) : path_(std::move(path)) {}

  [[nodiscard]] const expr::Path& path() const noexcept { return path_; }
  [[nodiscard]] expr::Operand operand() const { return expr::Operand(path_); }

  // ---- paths ----

  // A member of a struct stored as a map (declared with dynamo::map_schema).
  template <class M, class S>
  [[nodiscard]] auto field(M S::*member) const {
    static_assert(has_schema<V>, "field() needs a map attribute whose struct has a dynamo::model schema");
    static_assert(std::is_same_v<S, V>, "field() needs a member of the map attribute's own struct");
    const auto& stored = schema_of<V>().core().field_for(detail::member_id(member));
    return Field<typename detail::unwrap_optional<M>::type>(path_.field(stored.name));
  }

  // An element of a list attribute (PynamoDB's notes[0]).
  [[nodiscard]] auto operator[](std::size_t position) const {
    static_assert(stored_as == StoredAs::list || stored_as == StoredAs::any, "[] with a position needs a list attribute");
    if constexpr (stored_as == StoredAs::any) return Field<AttributeValue>(path_.index(position));
    else return Field<typename detail::element_of<V>::type>(path_.index(position));
  }

  // A member by name of a raw map, a std::map, a dynamic map's free members, or an untyped
  // value (PynamoDB's my_map['foo']); untyped unless the map's values are.
  [[nodiscard]] auto operator[](std::string name) const {
    static_assert(stored_as == StoredAs::map || stored_as == StoredAs::any, "[] with a name needs a map attribute");
    return Field<typename detail::map_value<V>::type>(path_.field(std::move(name)));
  }

  // ---- conditions (PynamoDB's condition table) ----

  [[nodiscard]] expr::Condition exists() const { return path_.exists(); }
  [[nodiscard]] expr::Condition does_not_exist() const { return path_.does_not_exist(); }
  // attribute_type(path, <the attribute's own type>).
  [[nodiscard]] expr::Condition is_type() const {
    static_assert(stored_as != StoredAs::any, "is_type() without an argument needs a typed attribute; pass a dynamo::Type");
    return path_.is_type(detail::wire_type(stored_as));
  }
  [[nodiscard]] expr::Condition is_type(Type type) const { return path_.is_type(type); }

  template <class U>
  [[nodiscard]] expr::Condition begins_with(const U& prefix) const {
    static_assert(stored_as == StoredAs::string || stored_as == StoredAs::binary || stored_as == StoredAs::any,
                  "begins_with() needs a string or binary attribute");
    static_assert(detail::accepts_v<V, U>, "begins_with() needs a prefix of the attribute's type");
    return path_.begins_with(detail::operand<V>(prefix));
  }
  template <class U>
  [[nodiscard]] expr::Condition startswith(const U& prefix) const {  // PynamoDB's spelling
    return begins_with(prefix);
  }

  // contains(path, operand): a substring, a set element, or a list element.
  template <class U>
  [[nodiscard]] expr::Condition contains(const U& element) const {
    static_assert(stored_as == StoredAs::string || stored_as == StoredAs::binary || detail::is_set(stored_as) ||
                      stored_as == StoredAs::list || stored_as == StoredAs::any,
                  "contains() needs a string, binary, set or list attribute");
    if constexpr (detail::is_set(stored_as)) {
      using E = typename detail::element_of<V>::type;
      static_assert(detail::accepts<detail::set_element(stored_as), U, E>(),
                    "contains() on a set needs an element of the set's type");
      return path_.contains(detail::operand<E>(element));
    } else if constexpr (stored_as == StoredAs::list) {
      using E = typename detail::element_of<V>::type;
      static_assert(detail::accepts_v<E, U>, "contains() on a list needs an element of the list's type");
      return path_.contains(detail::operand<E>(element));
    } else {
      static_assert(detail::accepts_v<V, U>, "contains() needs a value of the attribute's type");
      return path_.contains(detail::operand<V>(element));
    }
  }

  template <class L, class H>
  [[nodiscard]] expr::Condition between(const L& lower, const H& upper) const {
    static_assert(detail::is_scalar(stored_as), "between() needs a string, number or binary attribute");
    static_assert(detail::accepts_v<V, L> && detail::accepts_v<V, H>, "between() needs bounds of the attribute's type");
    return path_.between(detail::operand<V>(lower), detail::operand<V>(upper));
  }

  template <class... U>
  [[nodiscard]] expr::Condition is_in(const U&... candidates) const {
    static_assert(sizeof...(U) > 0, "is_in() needs at least one value");
    static_assert((detail::accepts_v<V, U> && ...), "is_in() needs values of the attribute's type");
    return path_.is_in({detail::operand<V>(candidates)...});
  }
  [[nodiscard]] expr::Condition is_in(const std::vector<V>& candidates) const {
    std::vector<expr::Operand> operands;
    operands.reserve(candidates.size());
    for (const V& c : candidates) operands.push_back(detail::operand<V>(c));
    return path_.is_in(std::move(operands));
  }

  // ---- update actions (PynamoDB's update table) ----

  // SET path = value | other attribute | expression (`views + 1`, `forum | "x"`).
  template <class U>
  [[nodiscard]] expr::UpdateAction set(const U& value) const {
    static_assert(detail::accepts_v<V, U>, "set() needs a value of the attribute's type");
    return path_.set(detail::operand<V>(value));
  }
  [[nodiscard]] expr::UpdateAction set(const V& value) const { return path_.set(detail::operand<V>(value)); }

  // SET path = if_not_exists(path, value).
  template <class U>
  [[nodiscard]] expr::UpdateAction set_if_not_exists(const U& value) const {
    static_assert(detail::accepts_v<V, U>, "set_if_not_exists() needs a value of the attribute's type");
    return path_.set_if_not_exists(detail::operand<V>(value));
  }

  // REMOVE path.
  [[nodiscard]] expr::UpdateAction remove() const { return path_.remove(); }

  // ADD path value: adds to a number, or adds elements to a set.
  template <class U>
  [[nodiscard]] expr::UpdateAction add(const U& value) const {
    static_assert(stored_as == StoredAs::number || detail::is_set(stored_as) || stored_as == StoredAs::any,
                  "add() needs a number or set attribute");
    static_assert(!detail::is_typed_operand_v<U>, "add() needs a value, not an attribute or expression");
    static_assert(detail::accepts_v<V, U>, "add() needs a value of the attribute's type");
    return path_.add(detail::operand<V>(value));
  }
  [[nodiscard]] expr::UpdateAction add(const V& value) const { return add<V>(value); }

  // DELETE path value: removes elements from a set (PynamoDB's delete()).
  template <class U>
  [[nodiscard]] expr::UpdateAction remove_from_set(const U& elements) const {
    static_assert(detail::is_set(stored_as) || stored_as == StoredAs::any, "remove_from_set() needs a set attribute");
    static_assert(detail::accepts_v<V, U>, "remove_from_set() needs a set of the attribute's type");
    return path_.remove_from_set(detail::operand<V>(elements));
  }
  [[nodiscard]] expr::UpdateAction remove_from_set(const V& elements) const { return remove_from_set<V>(elements); }

  // SET path = list_append(path, values) / list_append(values, path).
  template <class U>
  [[nodiscard]] expr::UpdateAction append(const U& values) const {
    static_assert(stored_as == StoredAs::list || stored_as == StoredAs::any, "append() needs a list attribute");
    static_assert(detail::accepts_v<V, U>, "append() needs a list of the attribute's type");
    return path_.append(detail::operand<V>(values));
  }
  [[nodiscard]] expr::UpdateAction append(const V& values) const { return append<V>(values); }
  template <class U>
  [[nodiscard]] expr::UpdateAction prepend(const U& values) const {
    static_assert(stored_as == StoredAs::list || stored_as == StoredAs::any, "prepend() needs a list attribute");
    static_assert(detail::accepts_v<V, U>, "prepend() needs a list of the attribute's type");
    return path_.prepend(detail::operand<V>(values));
  }
  [[nodiscard]] expr::UpdateAction prepend(const V& values) const { return prepend<V>(values); }

 private:
  expr::Path path_;
};

// The typed field of a model (or map struct) member.
template <class T, class M>
[[nodiscard]] Field<typename detail::unwrap_optional<M>::type> field(M T::*member) {
  const auto& stored = schema_of<T>().core().field_for(detail::member_id(member));
  return Field<typename detail::unwrap_optional<M>::type>(expr::Path(stored.name));
}

// The typed field of a member that model T inherits from a base struct: name the model,
// since the member alone names the base (`field<Thread>(&Thread::created_at)`).
template <class T, class M, class B>
  requires(std::is_base_of_v<B, T> && !std::is_same_v<B, T>)
[[nodiscard]] Field<typename detail::unwrap_optional<M>::type> field(M B::*member) {
  return field<T, M>(static_cast<M T::*>(member));
}

// size(path): the length of a string or binary, or the number of elements of a set, list
// or map.
template <class V>
[[nodiscard]] Expression<std::int64_t> size(const Field<V>& f) {
  constexpr StoredAs s = Field<V>::stored_as;
  static_assert(s == StoredAs::string || s == StoredAs::binary || detail::is_set(s) || s == StoredAs::list ||
                    s == StoredAs::map || s == StoredAs::any,
                "size() needs a string, binary, set, list or map attribute");
  return Expression<std::int64_t>(expr::Operand(expr::size(f.path())));
}

// ---- comparisons: `field < 10`, `size(field) == 3`, `field == other_field` ----

#define DYNAMO_TYPED_COMPARISON(op, comparator, ordered)                                                  \
  template <class L, class U>                                                                             \
    requires detail::is_typed_operand_v<L>                                                                \
  [[nodiscard]] expr::Condition operator op(const L& left, const U& right) {                              \
    static_assert(detail::accepts_v<typename L::value_type, U>,                                           \
                  "comparison needs a value of the attribute's type (a number with a number, a string "   \
                  "with a string, ...)");                                                                 \
    static_assert(!(ordered) || detail::is_scalar(L::stored_as),                                          \
                  "< <= > >= need a string, number or binary attribute");                                 \
    return expr::compare(left.operand(), expr::Comparator::comparator,                                    \
                         detail::operand<typename L::value_type>(right));                                 \
  }
DYNAMO_TYPED_COMPARISON(==, eq, false)
DYNAMO_TYPED_COMPARISON(!=, ne, false)
DYNAMO_TYPED_COMPARISON(<, lt, true)
DYNAMO_TYPED_COMPARISON(<=, le, true)
DYNAMO_TYPED_COMPARISON(>, gt, true)
DYNAMO_TYPED_COMPARISON(>=, ge, true)
#undef DYNAMO_TYPED_COMPARISON

// ---- arithmetic for SET: `views + 1`, `views - 1`, `5 - views` ----

template <class L, class U>
  requires detail::is_typed_operand_v<L>
[[nodiscard]] Expression<typename L::value_type> operator+(const L& left, const U& right) {
  static_assert(L::stored_as == StoredAs::number || L::stored_as == StoredAs::any, "+ and - need a number attribute");
  static_assert(detail::accepts_v<typename L::value_type, U>, "+ and - need a number");
  return Expression<typename L::value_type>(left.operand() + detail::operand<typename L::value_type>(right));
}
template <class L, class U>
  requires detail::is_typed_operand_v<L>
[[nodiscard]] Expression<typename L::value_type> operator-(const L& left, const U& right) {
  static_assert(L::stored_as == StoredAs::number || L::stored_as == StoredAs::any, "+ and - need a number attribute");
  static_assert(detail::accepts_v<typename L::value_type, U>, "+ and - need a number");
  return Expression<typename L::value_type>(left.operand() - detail::operand<typename L::value_type>(right));
}
template <class U, class R>
  requires(!detail::is_typed_operand_v<U> && detail::is_typed_operand_v<R>)
[[nodiscard]] Expression<typename R::value_type> operator+(const U& left, const R& right) {
  static_assert(R::stored_as == StoredAs::number || R::stored_as == StoredAs::any, "+ and - need a number attribute");
  static_assert(detail::accepts_v<typename R::value_type, U>, "+ and - need a number");
  return Expression<typename R::value_type>(detail::operand<typename R::value_type>(left) + right.operand());
}
template <class U, class R>
  requires(!detail::is_typed_operand_v<U> && detail::is_typed_operand_v<R>)
[[nodiscard]] Expression<typename R::value_type> operator-(const U& left, const R& right) {
  static_assert(R::stored_as == StoredAs::number || R::stored_as == StoredAs::any, "+ and - need a number attribute");
  static_assert(detail::accepts_v<typename R::value_type, U>, "+ and - need a number");
  return Expression<typename R::value_type>(detail::operand<typename R::value_type>(left) - right.operand());
}

// `forum | "Default"`: if_not_exists(forum, "Default") (PynamoDB's attr | value).
template <class V, class U>
[[nodiscard]] Expression<V> operator|(const Field<V>& attribute, const U& fallback) {
  static_assert(detail::accepts_v<V, U>, "| (if_not_exists) needs a value of the attribute's type");
  return Expression<V>(expr::if_not_exists(attribute.path(), detail::operand<V>(fallback)));
}

}  // namespace dynamo
