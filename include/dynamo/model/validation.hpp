// Validation rules for a model's attributes, declared in its schema next to each attribute
// (DynamORM's marshmallow or schematics schema, in C++), and raw documents read through
// the schema (DynamORM's `Thing.put({...})`).
//
//   template <> struct dynamo::model<Thing> {
//     static auto schema() {
//       return dynamo::table<Thing>("things")
//           .hash_key("id", &Thing::id, dynamo::max_length(10))
//           .attribute("name", &Thing::name, dynamo::required(), dynamo::pattern("[A-Za-z ]+"))
//           .attribute("color", &Thing::color, dynamo::one_of({"purple", "red", "yellow"}))
//           .attribute("count", &Thing::count, dynamo::range(0, 100))
//           .attribute("nick", &Thing::nick, dynamo::check([](const std::string& nick) {
//             return nick == "evan" ? std::optional<std::string>("no Evans allowed") : std::nullopt;
//           }));
//     }
//   };
//
//   things.save(thing);       // dynamo::ValidationError listing every broken rule; nothing sent
//   things.put_document(R"({"id": "thing1", "name": "Thing One", "color": "purple"})");
//   std::vector<dynamo::Violation> problems = dynamo::validate(thing);   // check, write nothing
//
// Every write of the model layer checks first: ModelTable save() and update() (the values
// the update writes), put_document(), BatchWriter::save() (per item: see batch.hpp), and
// TransactWrite save() and update() (a refused action refuses the whole transaction).
// A model without rules pays one test of a flag per write. docs/validation.md has the rest.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamo/expr/update.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/model/schema.hpp"

namespace dynamo {

namespace detail {

// Non-template parts, in src/model/validation.cpp.

// A value as a message shows it: "orange" quoted (and shortened), 12, true, a JSON form else.
[[nodiscard]] std::string describe_value(const AttributeValue& value);
template <class E>
[[nodiscard]] std::string describe(const E& value) {
  return describe_value(attribute_traits<E>::to_attribute(value));
}
// Unicode code points in UTF-8 text (what length() counts for strings).
[[nodiscard]] std::size_t count_characters(std::string_view utf8) noexcept;
// The length of a stored value: characters of a string, bytes of a binary, elements else.
[[nodiscard]] std::size_t stored_length(const AttributeValue& value);
// The message of a length outside [min, max], or nullopt.
[[nodiscard]] std::optional<std::string> length_problem(std::size_t length, StoredAs stored_as,
                                                        std::optional<std::size_t> min, std::optional<std::size_t> max);

class CompiledPattern;
// Compiles once; throws dynamo::Error (ValidationException) naming a malformed pattern.
[[nodiscard]] std::shared_ptr<const CompiledPattern> compile_pattern(const std::string& expression);
[[nodiscard]] bool pattern_matches(const CompiledPattern& pattern, std::string_view text);

[[nodiscard]] std::vector<Violation> violations_of(const SchemaCore& schema, const void* object);
[[nodiscard]] std::vector<Violation> update_violations(const SchemaCore& schema, const expr::Update& update);
[[noreturn]] void throw_invalid(const SchemaCore& schema, std::vector<Violation> violations);
// Reads a document into `object` (a value-initialised object of the schema's type) and
// appends every problem: malformed JSON, unknown attributes, wrong types, missing keys and
// required attributes, then the rules.
void read_document(const SchemaCore& schema, std::string_view json, void* object, std::vector<Violation>& out);
void read_document(const SchemaCore& schema, const Item& document, void* object, std::vector<Violation>& out);

// What every write calls: nothing but a flag test for a schema without rules.
inline void ensure_valid(const SchemaCore& schema, const void* object) {
  if (schema.validates()) {
    if (auto problems = violations_of(schema, object); !problems.empty()) throw_invalid(schema, std::move(problems));
  }
}
inline void ensure_valid_update(const SchemaCore& schema, const expr::Update& update) {
  if (schema.validates()) {
    if (auto problems = update_violations(schema, update); !problems.empty()) throw_invalid(schema, std::move(problems));
  }
}

template <class M>
using rule_value_t = typename FieldRules<M>::value_type;
template <class M>
using rule_element_t = typename FieldRules<M>::element_type;

template <class N>
[[nodiscard]] Number to_bound(const N& bound) {
  if constexpr (std::is_same_v<N, Number>) {
    return bound;
  } else if constexpr (std::is_integral_v<N> && !std::is_same_v<N, bool>) {
    return Number(bound);
  } else {
    static_assert(std::is_floating_point_v<N>, "range(), at_least() and at_most() need numbers as bounds");
    return Number::from_double(static_cast<double>(bound));
  }
}

}  // namespace detail

// ---- the rules: options of attribute(), hash_key() and range_key() ----

// The attribute must be stored and not empty: a std::optional must hold a value, a set must
// have elements, and a string, binary, list or map must not be empty. Numbers and booleans
// always have a value. For a document, also: the attribute must be in it (unless it has a
// default).
struct Required {
  using is_validation_rule = void;
  template <class T, class M>
  void install(detail::FieldCore& field) const {
    detail::rules_of<T, M>(field).required = true;
    field.required = true;
  }
};
[[nodiscard]] inline Required required() noexcept { return {}; }

// The value (each element, for a list or set) must equal one of `choices`.
template <class C>
struct OneOf {
  using is_validation_rule = void;
  std::vector<C> choices;

  template <class T, class M>
  void install(detail::FieldCore& field) const {
    using E = detail::rule_element_t<M>;
    static_assert(std::is_constructible_v<E, const C&>,
                  "one_of() needs values of the attribute's type (of its elements, for a list or set)");
    static_assert(std::equality_comparable<E>, "one_of() needs an attribute type that has ==");
    std::vector<E> allowed;
    std::string listed;
    allowed.reserve(choices.size());
    for (const C& choice : choices) {
      allowed.emplace_back(choice);
      listed += (listed.empty() ? "" : ", ") + detail::describe(allowed.back());
    }
    detail::rules_of<T, M>(field).element_rules.push_back(
        [allowed = std::move(allowed), listed = std::move(listed)](const E& value, detail::ValidationContext& context) {
          if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
            context.report(detail::describe(value) + " is not one of " + listed);
        });
  }
};
template <class C>
[[nodiscard]] OneOf<C> one_of(std::initializer_list<C> choices) {
  return {std::vector<C>(choices)};
}
template <class C>
[[nodiscard]] OneOf<C> one_of(std::vector<C> choices) {
  return {std::move(choices)};
}

// The length must be within bounds: characters (Unicode code points) of a string, bytes of
// a binary, elements of a list or set, members of a map.
struct Length {
  using is_validation_rule = void;
  std::optional<std::size_t> min{};
  std::optional<std::size_t> max{};

  template <class T, class M>
  void install(detail::FieldCore& field) const {
    using V = detail::rule_value_t<M>;
    constexpr StoredAs stored_as = attribute_traits<V>::stored_as;
    static_assert(stored_as == StoredAs::string || stored_as == StoredAs::binary || stored_as == StoredAs::list ||
                      stored_as == StoredAs::map || detail::is_set(stored_as),
                  "length(), min_length() and max_length() need a string, binary, list, set or map attribute");
    detail::rules_of<T, M>(field).value_rules.push_back(
        [min = min, max = max](const V& value, detail::ValidationContext& context) {
          std::size_t length = 0;
          if constexpr (std::is_same_v<V, std::string>) {
            length = detail::count_characters(value);
          } else if constexpr (stored_as != StoredAs::string && requires { value.size(); }) {
            length = value.size();
          } else {
            length = detail::stored_length(attribute_traits<V>::to_attribute(value));
          }
          if (auto problem = detail::length_problem(length, stored_as, min, max)) context.report(std::move(*problem));
        });
  }
};
[[nodiscard]] inline Length length(std::size_t min, std::size_t max) { return {min, max}; }
[[nodiscard]] inline Length min_length(std::size_t min) { return {min, std::nullopt}; }
[[nodiscard]] inline Length max_length(std::size_t max) { return {std::nullopt, max}; }

// A number attribute must be within [min, max] (compared exactly, as dynamo::Number).
struct Range {
  using is_validation_rule = void;
  std::optional<Number> min{};
  std::optional<Number> max{};

  template <class T, class M>
  void install(detail::FieldCore& field) const {
    using V = detail::rule_value_t<M>;
    static_assert(attribute_traits<V>::stored_as == StoredAs::number,
                  "range(), at_least() and at_most() need a number attribute");
    detail::rules_of<T, M>(field).value_rules.push_back(
        [min = min, max = max](const V& value, detail::ValidationContext& context) {
          Number number;
          if constexpr (std::is_integral_v<V>) {
            number = Number(value);
          } else {
            try {
              number = attribute_traits<V>::to_attribute(value).as_number();
            } catch (const Error& e) {  // NaN or infinity
              context.report(e.what());
              return;
            }
          }
          if (min && number < *min) context.report(number.to_string() + " is less than the minimum of " + min->to_string());
          if (max && number > *max) context.report(number.to_string() + " is more than the maximum of " + max->to_string());
        });
  }
};
template <class L, class H>
[[nodiscard]] Range range(const L& min, const H& max) {
  return {detail::to_bound(min), detail::to_bound(max)};
}
template <class L>
[[nodiscard]] Range at_least(const L& min) {
  return {detail::to_bound(min), std::nullopt};
}
template <class H>
[[nodiscard]] Range at_most(const H& max) {
  return {std::nullopt, detail::to_bound(max)};
}

// A string (each element, for a list or set of strings) must match the regular expression
// as a whole: RE2's syntax (Perl's, without backreferences or lookaround), matched in time
// linear in the string. Compiled once, when the schema is built; a malformed or unsupported
// expression throws dynamo::Error there.
class Pattern {
 public:
  using is_validation_rule = void;
  explicit Pattern(std::string expression)
      : expression_(std::move(expression)), compiled_(detail::compile_pattern(expression_)) {}

  template <class T, class M>
  void install(detail::FieldCore& field) const {
    using E = detail::rule_element_t<M>;
    static_assert(std::is_same_v<E, std::string>, "pattern() needs a string attribute (or a list or set of strings)");
    detail::rules_of<T, M>(field).element_rules.push_back(
        [compiled = compiled_, expression = expression_](const std::string& value, detail::ValidationContext& context) {
          if (!detail::pattern_matches(*compiled, value))
            context.report(detail::describe(value) + " does not match the pattern " + expression);
        });
  }

 private:
  std::string expression_;
  std::shared_ptr<const detail::CompiledPattern> compiled_;
};
[[nodiscard]] inline Pattern pattern(std::string expression) { return Pattern(std::move(expression)); }

// Your own rule: `rule(value)` gets the attribute's value (the value inside, for a
// std::optional member that holds one) and returns std::nullopt when it is fine, else the
// message to report (std::optional<std::string>).
template <class F>
struct Check {
  using is_validation_rule = void;
  F rule;

  template <class T, class M>
  void install(detail::FieldCore& field) const {
    using V = detail::rule_value_t<M>;
    static_assert(std::is_invocable_v<const F&, const V&>,
                  "check() needs a function taking the attribute's value (for a std::optional member, the "
                  "value inside)");
    static_assert(std::is_convertible_v<std::invoke_result_t<const F&, const V&>, std::optional<std::string>>,
                  "check() needs a function returning std::optional<std::string>: a message, or std::nullopt "
                  "when the value is fine");
    detail::rules_of<T, M>(field).value_rules.push_back([rule = rule](const V& value, detail::ValidationContext& context) {
      std::optional<std::string> broken = rule(value);
      if (broken) context.report(std::move(*broken));
    });
  }
};
template <class F>
[[nodiscard]] Check<std::decay_t<F>> check(F&& rule) {
  return {std::forward<F>(rule)};
}

// ---- checking without writing ----

// Every rule `object` breaks (its own and those of the structs inside it), checked against
// what save() would write (defaults of unset members included); empty when it is valid.
template <class T>
[[nodiscard]] std::vector<Violation> validate(const T& object) {
  const auto& schema = schema_of<T>().core();
  if (!schema.validates()) return {};
  return detail::violations_of(schema, &object);
}

// ---- raw documents ----
//
// A document is plain JSON text (`{"id": "thing1", "count": 3, "tags": ["a", "b"]}`:
// arrays for lists and sets, base64 text for binaries, objects for maps, numbers kept digit
// for digit) or a dynamo::Item. It is read into the model through its schema: attributes the
// schema does not declare, values of the wrong type, and missing keys or required
// attributes are violations naming the attribute, and the rules are checked as for save().

// The model a document describes; throws ValidationError listing every problem.
template <class T>
[[nodiscard]] T from_document(std::string_view json) {
  const auto& schema = schema_of<T>().core();
  T object{};
  std::vector<Violation> problems;
  detail::read_document(schema, json, &object, problems);
  if (!problems.empty()) detail::throw_invalid(schema, std::move(problems));
  return object;
}
template <class T>
[[nodiscard]] T from_document(const Item& document) {
  const auto& schema = schema_of<T>().core();
  T object{};
  std::vector<Violation> problems;
  detail::read_document(schema, document, &object, problems);
  if (!problems.empty()) detail::throw_invalid(schema, std::move(problems));
  return object;
}

// Every problem of a document; empty when put_document() would write it.
template <class T>
[[nodiscard]] std::vector<Violation> validate_document(std::string_view json) {
  T object{};
  std::vector<Violation> problems;
  detail::read_document(schema_of<T>().core(), json, &object, problems);
  return problems;
}
template <class T>
[[nodiscard]] std::vector<Violation> validate_document(const Item& document) {
  T object{};
  std::vector<Violation> problems;
  detail::read_document(schema_of<T>().core(), document, &object, problems);
  return problems;
}

}  // namespace dynamo
