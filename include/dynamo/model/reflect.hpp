// A model in one declaration: the schema of a plain aggregate struct read from the struct
// itself, so that only what differs from "every member, under its own name" is written.
//
//   struct Thread {
//     std::string forum_name{};
//     std::string subject{};
//     std::int64_t views = 0;
//     std::set<std::string> tags{};
//     std::optional<dynamo::utc_time> last_post_datetime{};
//   };
//   template <> struct dynamo::model<Thread> {
//     static auto schema() {
//       return dynamo::reflect_table<Thread>("Thread").hash_key(&Thread::forum_name).range_key(&Thread::subject);
//     }
//   };
//
// Every member is an attribute stored under the member's name. The builder has the methods
// of the explicit schema (schema.hpp) with the stored name optional:
//   .attribute(&Thread::views, dynamo::default_to(0))   options on one member
//   .attribute("lpd", &Thread::last_post_datetime)      another stored name
//   .exclude<&Thread::cache>()                          a member that is not stored
// and .version, .index, .unknown_attributes, .discriminator, .check and .settings as there.
// dynamo::reflect_map<T>() does the same for a struct stored as a map inside a model.
//
// How: the number of members comes from probing aggregate initialization, the members from
// structured bindings (at most 64), their names from the compiler's signature of a template
// instantiated on the address of the member in a never-defined object (the technique of
// glaze, reflect-cpp and Boost.PFR). A reflected attribute is identified by its member's
// offset, which is what a data member pointer holds (Itanium C++ ABI: GCC and Clang), so
// field(&Thread::views) and index keys find it. The struct must be an aggregate without base
// classes (structured bindings cannot bind those): anything else fails to compile with a
// message asking for the explicit schema.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamo/model/index.hpp"
#include "dynamo/model/reflect_bind.hpp"
#include "dynamo/model/schema.hpp"

namespace dynamo {

namespace detail::reflection {

// Converts to anything: T{any_member{}, ...} compiles for as many members as T has.
struct any_member {
  template <class U>
  operator U() const;  // declared only: used in unevaluated probes
};

// Converts only to a base class of T: T{base_probe<T>{}} compiles when T has a base.
template <class T>
struct base_probe {
  template <class U>
    requires(std::is_base_of_v<U, T> && !std::is_same_v<U, T>)
  operator U() const;
};

template <class T>
concept has_base = requires { T{base_probe<T>{}}; };

template <class T, class... Probes>
consteval std::size_t count_members() {
  if constexpr (sizeof...(Probes) > max_members) return sizeof...(Probes);
  else if constexpr (requires { T{Probes{}..., any_member{}}; }) return count_members<T, Probes..., any_member>();
  else return sizeof...(Probes);
}

template <class T>
[[nodiscard]] consteval bool reflectable() {
  if constexpr (!std::is_class_v<T> || !std::is_aggregate_v<T>) return false;
  else if constexpr (has_base<T>) return false;
  else return count_members<T>() >= 1 && count_members<T>() <= max_members;
}

template <class>
inline constexpr bool dependent_false = false;

// Fails to compile, with a sentence, when T cannot be reflected.
template <class T>
constexpr void check_reflectable() {
  if constexpr (!std::is_class_v<T> || !std::is_aggregate_v<T>) {
    static_assert(dependent_false<T>,
                  "dynamo::reflect_table<T>() and reflect_map<T>() read the members of an aggregate struct (public "
                  "members, no constructors, no virtual functions): declare this struct's schema explicitly with "
                  "dynamo::table<T>(...) or dynamo::map_schema<T>()");
  } else if constexpr (has_base<T>) {
    static_assert(dependent_false<T>,
                  "dynamo::reflect_table<T>() and reflect_map<T>() cannot read a struct with base classes "
                  "(structured bindings cannot bind them): declare this struct's schema explicitly with "
                  "dynamo::table<T>(...) (docs/model.md, \"Attributes shared through a base struct\")");
  } else {
    static_assert(count_members<T>() >= 1, "dynamo::reflect_table<T>() needs a struct with members");
    static_assert(count_members<T>() <= max_members,
                  "dynamo::reflect_table<T>() reads structs of at most 64 members: declare this struct's schema "
                  "explicitly with dynamo::table<T>(...)");
  }
}

template <class T>
inline constexpr std::size_t member_count = count_members<T>();

template <class T>
using members_of = decltype(tie_members<member_count<T>>(std::declval<T&>()));

// The declared type of T's I-th member.
template <class T, std::size_t I>
using member_type = std::remove_reference_t<std::tuple_element_t<I, members_of<T>>>;

template <class T>
struct holder {
  T value;
};

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"
#pragma clang diagnostic ignored "-Wundefined-internal"
#endif

// Never defined: only the addresses of its members are taken, at compile time.
template <class T>
extern const holder<T> external;

template <class T, std::size_t I>
[[nodiscard]] consteval const auto* member_address() {
  return &std::get<I>(tie_members<member_count<T>>(external<T>.value));
}

// Whether `Member` (a pointer to a member of T) is T's I-th member.
template <class T, std::size_t I, auto Member>
[[nodiscard]] consteval bool is_member() {
  if constexpr (!std::is_same_v<decltype(Member), member_type<T, I> T::*>) return false;
  else return &(external<T>.value.*Member) == member_address<T, I>();
}

template <class M>
struct address_of {
  const M* address;
};

// The compiler's signature of this function names the member `Address` points to (its
// return type is not a typedef, which GCC would spell out after it):
// "... [with auto Address = address_of<...>{(& external<Thread>.holder<Thread>::value.Thread::views)}]"
// (GCC) or "... [Address = {&external.value.views}]" (Clang).
template <auto Address>
[[nodiscard]] consteval const char* signature() {
  return __PRETTY_FUNCTION__;
}

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

// The last identifier of a signature: the member's name.
[[nodiscard]] consteval std::string_view last_identifier(std::string_view text) {
  auto is_identifier = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::size_t end = text.size();
  while (end > 0 && !is_identifier(text[end - 1])) --end;
  std::size_t begin = end;
  while (begin > 0 && is_identifier(text[begin - 1])) --begin;
  return text.substr(begin, end - begin);
}

template <class T, std::size_t I>
[[nodiscard]] consteval std::string_view name_in_signature() {
  return last_identifier(signature<address_of<member_type<T, I>>{member_address<T, I>()}>());
}

// The name, kept as its own characters (not the whole signature) in the program.
template <class T, std::size_t I>
inline constexpr auto member_name_text = [] {
  constexpr std::string_view name = name_in_signature<T, I>();
  static_assert(!name.empty(), "dynamo::reflect_table<T>() could not read a member's name from this compiler's "
                               "function signatures: declare the struct's schema explicitly");
  std::array<char, name.size()> text{};
  for (std::size_t i = 0; i < name.size(); ++i) text[i] = name[i];
  return text;
}();

// The name of T's I-th member.
template <class T, std::size_t I>
inline constexpr std::string_view member_name{member_name_text<T, I>.data(), member_name_text<T, I>.size()};

template <class P>
inline constexpr bool is_data_member_of_v = false;
template <class M, class C>
inline constexpr bool is_data_member_of_v<M C::*> = !std::is_function_v<M>;

template <class P>
struct member_class {};
template <class M, class C>
struct member_class<M C::*> {
  using type = C;
};

// The part of a reflected schema that is not a template (src/model/reflect.cpp): the
// attributes declared through the builder, matched to the reflected members when the schema
// is built.
class ReflectionCore {
 public:
  std::string table_name{};
  std::optional<MemberId> unknown_member{};

  // Keeps a declared attribute (an empty stored name: the member's name). Throws
  // dynamo::Error (ValidationException) when its member is declared twice.
  void declare(FieldCore field);
  // Adds the attribute of the reflected member `member` named `name` to `core`: the
  // declared one, or else make(name, member); nothing for the unknown_attributes() member.
  void add_member(SchemaCore& core, const MemberId& member, std::string_view name,
                  FieldCore (*make)(std::string name, const MemberId& member));
  // Throws when a declared attribute matched no reflected member (it was excluded).
  void check_all_matched() const;

 private:
  std::vector<FieldCore> declared_;
  std::vector<bool> matched_;
};

template <class T, class M>
[[nodiscard]] FieldCore make_reflected_field(std::string name, const MemberId& member) {
  return make_field(std::move(name), to_member<T, M>(member), KeyRole::none);
}

// What a reflected schema has collected so far, whatever its key types.
template <class T>
struct ReflectionState {
  ReflectionCore core{};
  // Applied to the schema once its attributes are in (indexes resolve against them).
  std::vector<std::function<void(Schema<T>&)>> steps{};
};

// Fails to compile unless C, the class of a member pointer given to a reflected schema, is T.
template <class T, class C>
constexpr void check_own_member() {
  static_assert(std::is_same_v<C, T>, "a reflected schema declares members of the model's own struct (&T::member)");
}

}  // namespace detail::reflection

// The schema of an aggregate struct, read from the struct (see the top of this file). H and
// R are the key types, as in Schema; Excluded the members left out. build() turns it into
// the Schema it describes (schema_of<T>() calls it).
template <class T, class H = void, class R = NoRangeKey, auto... Excluded>
class ReflectedSchema {
 public:
  using object_type = T;
  using hash_type = H;
  using range_type = R;

  explicit ReflectedSchema(detail::reflection::ReflectionState<T> state) : state_(std::move(state)) {}

  // The partition key, under its member name or `stored_name`; validation rules may follow.
  template <class M, class C, class... Rules>
  [[nodiscard]] ReflectedSchema<T, M, R, Excluded...> hash_key(M C::*member, Rules&&... rules) && {
    return std::move(*this).hash_key(std::string(), member, std::forward<Rules>(rules)...);
  }
  template <class M, class C, class... Rules>
  [[nodiscard]] ReflectedSchema<T, M, R, Excluded...> hash_key(std::string stored_name, M C::*member,
                                                               Rules&&... rules) && {
    detail::reflection::check_own_member<T, C>();
    static_assert(std::is_void_v<H>, "hash_key() is declared twice");
    if constexpr (std::is_same_v<C, T>)
      declare(Schema<T>(detail::SchemaCore{}).hash_key(std::move(stored_name), member, std::forward<Rules>(rules)...));
    return ReflectedSchema<T, M, R, Excluded...>(std::move(state_));
  }

  // The sort key, under its member name or `stored_name`; validation rules may follow.
  template <class M, class C, class... Rules>
  [[nodiscard]] ReflectedSchema<T, H, M, Excluded...> range_key(M C::*member, Rules&&... rules) && {
    return std::move(*this).range_key(std::string(), member, std::forward<Rules>(rules)...);
  }
  template <class M, class C, class... Rules>
  [[nodiscard]] ReflectedSchema<T, H, M, Excluded...> range_key(std::string stored_name, M C::*member,
                                                                Rules&&... rules) && {
    detail::reflection::check_own_member<T, C>();
    static_assert(std::is_same_v<R, NoRangeKey>, "range_key() is declared twice");
    if constexpr (std::is_same_v<C, T>)
      declare(Schema<T>(detail::SchemaCore{}).range_key(std::move(stored_name), member, std::forward<Rules>(rules)...));
    return ReflectedSchema<T, H, M, Excluded...>(std::move(state_));
  }

  // Options (default_to, default_for_new, validation rules) on a member, and/or the name it
  // is stored under.
  template <class M, class C, class... Options>
  [[nodiscard]] ReflectedSchema attribute(M C::*member, Options&&... options) && {
    return std::move(*this).attribute(std::string(), member, std::forward<Options>(options)...);
  }
  template <class M, class C, class... Options>
  [[nodiscard]] ReflectedSchema attribute(std::string stored_name, M C::*member, Options&&... options) && {
    detail::reflection::check_own_member<T, C>();
    if constexpr (std::is_same_v<C, T>)
      declare(Schema<T>(detail::SchemaCore{}).attribute(std::move(stored_name), member, std::forward<Options>(options)...));
    return std::move(*this);
  }

  // The integer version of optimistic locking, under its member name or `stored_name`.
  template <class M, class C>
  [[nodiscard]] ReflectedSchema version(M C::*member) && {
    return std::move(*this).version(std::string(), member);
  }
  template <class M, class C>
  [[nodiscard]] ReflectedSchema version(std::string stored_name, M C::*member) && {
    detail::reflection::check_own_member<T, C>();
    if constexpr (std::is_same_v<C, T>) declare(Schema<T>(detail::SchemaCore{}).version(std::move(stored_name), member));
    return std::move(*this);
  }

  // Members that are not attributes: `.exclude<&T::cache, &T::lock>()`. Known at compile
  // time, so their types need no attribute_traits.
  template <auto... Members>
  [[nodiscard]] ReflectedSchema<T, H, R, Excluded..., Members...> exclude() && {
    static_assert(sizeof...(Members) > 0, "exclude<>() names members: .exclude<&T::member>()");
    static_assert((detail::reflection::is_data_member_of_v<decltype(Members)> && ...),
                  "exclude<>() takes pointers to data members: .exclude<&T::member>()");
    (detail::reflection::check_own_member<T, typename detail::reflection::member_class<decltype(Members)>::type>(), ...);
    return ReflectedSchema<T, H, R, Excluded..., Members...>(std::move(state_));
  }

  // Keeps undeclared attributes in `member` (which is then not an attribute itself).
  [[nodiscard]] ReflectedSchema unknown_attributes(AttributeMap T::*member) && {
    state_.core.unknown_member = detail::member_id(member);
    return std::move(*this).then([member](Schema<T>& s) { s = std::move(s).unknown_attributes(member); });
  }

  [[nodiscard]] ReflectedSchema discriminator(std::string stored_name, std::string value,
                                              std::vector<std::string> also_read = {}) && {
    return std::move(*this).then(
        [stored_name = std::move(stored_name), value = std::move(value), also_read = std::move(also_read)](
            Schema<T>& s) { s = std::move(s).discriminator(stored_name, value, also_read); });
  }

  // A secondary index; its key members are reflected (or declared) attributes.
  template <class IH, class IR>
  [[nodiscard]] ReflectedSchema index(IndexSchema<T, IH, IR> index) && {
    return std::move(*this).then([index = std::move(index)](Schema<T>& s) { s = std::move(s).index(index); });
  }

  // A rule on the whole object, as Schema::check.
  template <class F>
  [[nodiscard]] ReflectedSchema check(F rule) && {
    static_assert(std::is_invocable_v<const F&, const T&>, "check() needs a function taking the object (const T&)");
    return std::move(*this).then([rule = std::move(rule)](Schema<T>& s) { s = std::move(s).check(rule); });
  }

  [[nodiscard]] ReflectedSchema settings(ModelSettings settings) && {
    return std::move(*this).then([settings = std::move(settings)](Schema<T>& s) { s = std::move(s).settings(settings); });
  }

  // The schema: every member not excluded, in the struct's order, declared ones as declared.
  [[nodiscard]] Schema<T, H, R> build() && {
    detail::SchemaCore core;
    core.table_name = state_.core.table_name;
    if constexpr (detail::reflection::reflectable<T>()) {
      const T object{};
      const auto members = detail::reflection::tie_members<detail::reflection::member_count<T>>(object);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (add_member<I>(core, object, std::get<I>(members)), ...);
      }(std::make_index_sequence<detail::reflection::member_count<T>>{});
      state_.core.check_all_matched();
    }
    Schema<T> schema(std::move(core));
    for (auto& step : state_.steps) step(schema);
    return Schema<T, H, R>(schema.core());
  }

 private:
  template <class, class, class, auto...>
  friend class ReflectedSchema;

  template <class S>
  void declare(const S& schema) {
    state_.core.declare(schema.core().fields().front());
  }

  ReflectedSchema then(std::function<void(Schema<T>&)> step) && {
    state_.steps.push_back(std::move(step));
    return std::move(*this);
  }

  template <std::size_t I>
  void add_member(detail::SchemaCore& core, const T& object, const auto& member) {
    using namespace detail::reflection;
    if constexpr (!(is_member<T, I, Excluded>() || ...)) {
      using M = member_type<T, I>;
      static_assert(storable<M>,
                    "a member of this reflected struct has a type without dynamo::attribute_traits: specialize "
                    "dynamo::attribute_traits (or dynamo::model for a struct stored as a map), or leave the member out "
                    "with .exclude<&T::member>()");
      if constexpr (storable<M>) {
        // The member's offset, which is what a pointer to it holds.
        const std::ptrdiff_t offset =
            reinterpret_cast<const char*>(&member) - reinterpret_cast<const char*>(&object);
        const detail::MemberId id{&detail::member_type_tag<M>, offset};
        state_.core.add_member(core, id, member_name<T, I>, &make_reflected_field<T, M>);
      }
    }
  }

  detail::reflection::ReflectionState<T> state_;
};

// The reflected schema of a table named `table_name`.
template <class T>
[[nodiscard]] ReflectedSchema<T> reflect_table(std::string table_name) {
  detail::reflection::check_reflectable<T>();
  detail::reflection::ReflectionState<T> state;
  state.core.table_name = std::move(table_name);
  return ReflectedSchema<T>(std::move(state));
}

// The reflected schema of a struct stored as a map attribute inside a model.
template <class T>
[[nodiscard]] ReflectedSchema<T> reflect_map() {
  detail::reflection::check_reflectable<T>();
  return ReflectedSchema<T>(detail::reflection::ReflectionState<T>{});
}

}  // namespace dynamo
