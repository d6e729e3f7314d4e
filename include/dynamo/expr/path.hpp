// dynamo::expr::Path — a document path: a top-level attribute, then map fields and list
// indexes (`a.b[3].c`), and the starting point of every condition and update action.
//
//   using namespace dynamo::expr;
//   Path p = path("meta").field("tags").index(3);      // meta.tags[3]
//   Path q = Path::parse("meta.tags[3]");               // the same, from text (schemaless use)
//   Condition c = path("views") < 100 && path("forum").begins_with("C");
//   UpdateAction a = path("views").set(path("views") + 1);
//
// A name is one element whatever it contains: path("a.b") is the single attribute "a.b",
// which the renderer sends as a `#n` placeholder, never as two fields. Path::parse() is the
// one place where a dot separates fields.
//
// The builder methods return types declared in condition.hpp, update.hpp and operand.hpp;
// include <dynamo/expr.hpp> to use them. Comparisons (`<`, `==`, ...) build Conditions, so
// compare two paths structurally with `elements()`.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr {

class Condition;
class Operand;
struct UpdateAction;

// One step of a path: a name (top-level attribute or map field) or a list index.
using PathElement = std::variant<std::string, std::size_t>;

class Path {
 public:
  // The empty path; not renderable, useful only as a placeholder value.
  Path() = default;
  // A top-level attribute.
  explicit Path(std::string top_level_name) { elements_.emplace_back(std::move(top_level_name)); }
  explicit Path(std::vector<PathElement> elements) : elements_(std::move(elements)) {}

  // Parses `a.b[3].c` (names of any characters but `.[]`; indexes
  // of decimal digits). No placeholders here: this is the schemaless builder's shorthand.
  // Throws dynamo::Error (ValidationException) on malformed text.
  [[nodiscard]] static Path parse(std::string_view dotted);

  // This path followed by a map field / a list index.
  [[nodiscard]] Path field(std::string name) const;
  [[nodiscard]] Path index(std::size_t position) const;
  [[nodiscard]] Path operator[](std::size_t position) const { return index(position); }

  [[nodiscard]] const std::vector<PathElement>& elements() const noexcept { return elements_; }
  [[nodiscard]] bool empty() const noexcept { return elements_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return elements_.size(); }
  // The attribute the path starts from ("" for the empty path or a path starting with an index).
  [[nodiscard]] std::string_view top_level_name() const noexcept;
  // True when `prefix` is this path or one of its ancestors.
  [[nodiscard]] bool starts_with(const Path& prefix) const noexcept;

  // Human text: `a.b[3].c`.
  [[nodiscard]] std::string to_string() const;
  // DynamoDB's form in error messages: `[a, b, [3], c]`.
  [[nodiscard]] std::string to_error_string() const;

  // --- Conditions on this path (PynamoDB's exists(), does_not_exist(), is_type(), ...) ---
  [[nodiscard]] Condition exists() const;
  [[nodiscard]] Condition does_not_exist() const;
  [[nodiscard]] Condition is_type(Type type) const;
  [[nodiscard]] Condition begins_with(const Operand& prefix) const;
  [[nodiscard]] Condition startswith(const Operand& prefix) const;  // PynamoDB's spelling
  [[nodiscard]] Condition contains(const Operand& element) const;
  [[nodiscard]] Condition between(const Operand& lower, const Operand& upper) const;
  [[nodiscard]] Condition is_in(std::vector<Operand> candidates) const;

  // --- Update actions on this path ---
  // SET path = operand (a value, another path, `a + b`, list_append(...), if_not_exists(...)).
  [[nodiscard]] UpdateAction set(const Operand& operand) const;
  // SET path = if_not_exists(path, operand): PynamoDB's `attr | value`.
  [[nodiscard]] UpdateAction set_if_not_exists(const Operand& operand) const;
  // SET path = list_append(path, operand) / list_append(operand, path).
  [[nodiscard]] UpdateAction append(const Operand& list) const;
  [[nodiscard]] UpdateAction prepend(const Operand& list) const;
  // REMOVE path (an attribute, a map field, or a list element: later elements shift down).
  [[nodiscard]] UpdateAction remove() const;
  // ADD path operand: adds to a number, or unions a set (creating the attribute if absent).
  [[nodiscard]] UpdateAction add(const Operand& number_or_set) const;
  // DELETE path operand: removes the elements of a set (PynamoDB's delete()).
  [[nodiscard]] UpdateAction remove_from_set(const Operand& set) const;

  // Comparisons build conditions: `path("views") < 100`, `path("a") == path("b")`.
  friend Condition operator==(const Path& left, const Operand& right);
  friend Condition operator!=(const Path& left, const Operand& right);
  friend Condition operator<(const Path& left, const Operand& right);
  friend Condition operator<=(const Path& left, const Operand& right);
  friend Condition operator>(const Path& left, const Operand& right);
  friend Condition operator>=(const Path& left, const Operand& right);
  friend Condition operator==(const Path& left, const Path& right);
  friend Condition operator!=(const Path& left, const Path& right);

 private:
  std::vector<PathElement> elements_;
};

// The builder's entry point: a top-level attribute named exactly `name`.
[[nodiscard]] inline Path path(std::string name) { return Path(std::move(name)); }

}  // namespace dynamo::expr
