// dynamo::expr::Condition — one tree for ConditionExpression, FilterExpression and
// KeyConditionExpression: comparisons, BETWEEN, IN, the functions, AND, OR, NOT.
//
//   using namespace dynamo::expr;
//   Condition c = (path("views") > 1 && path("views") < 5) || !path("subject").contains("x");
//   Condition filter;                                    // empty: matches everything
//   if (want_name) filter &= path("name") == "Ann";      // PynamoDB's `condition &= ...`
//   if (want_age)  filter &= path("age") >= 18;
//
// The empty Condition is the identity of && and || (and !empty is empty), so conditions can
// be built up from nothing. AND and OR are n-ary and flattened (`a && b && c` is one AND of
// three), the same shape the parser produces, so built and parsed trees compare equal.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dynamo/expr/operand.hpp"
#include "dynamo/expr/path.hpp"

namespace dynamo::expr {

enum class Comparator : std::uint8_t { eq, ne, lt, le, gt, ge };

// "=", "<>", "<", "<=", ">", ">=".
[[nodiscard]] std::string_view to_string(Comparator op) noexcept;

class Condition {
 public:
  enum class Kind : std::uint8_t {
    empty,                 // no condition: always true, vanishes in && and ||
    compare,               // operands[0] <op> operands[1]
    between,               // operands[0] BETWEEN operands[1] AND operands[2]
    in,                    // operands[0] IN (operands[1..])
    attribute_exists,      // attribute_exists(operands[0])
    attribute_not_exists,  // attribute_not_exists(operands[0])
    attribute_type,        // attribute_type(operands[0], operands[1])
    begins_with,           // begins_with(operands[0], operands[1])
    contains,              // contains(operands[0], operands[1])
    all_of,                // children joined by AND
    any_of,                // children joined by OR
    negation,              // NOT children[0]
  };

  // The empty condition.
  Condition() = default;
  // Out of line (ast.cpp), so that code holding conditions does not copy and destroy the
  // whole tree inline in every translation unit.
  Condition(const Condition& other);
  Condition(Condition&& other) noexcept;
  Condition& operator=(const Condition& other);
  Condition& operator=(Condition&& other) noexcept;
  ~Condition();

  [[nodiscard]] static Condition compare(Operand left, Comparator op, Operand right);
  [[nodiscard]] static Condition between(Operand subject, Operand lower, Operand upper);
  [[nodiscard]] static Condition in(Operand subject, std::vector<Operand> candidates);
  // One of the boolean functions (attribute_exists ... contains) with its arguments.
  [[nodiscard]] static Condition function(Kind kind, std::vector<Operand> args);
  // AND / OR of `parts`, flattening nested ANDs (ORs) and dropping empty parts; one part
  // is returned as is, none gives the empty condition.
  [[nodiscard]] static Condition all_of(std::vector<Condition> parts);
  [[nodiscard]] static Condition any_of(std::vector<Condition> parts);
  // NOT `inner` (empty stays empty).
  [[nodiscard]] static Condition negation(Condition inner);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool empty() const noexcept { return kind_ == Kind::empty; }
  [[nodiscard]] Comparator comparator() const noexcept { return op_; }
  [[nodiscard]] const std::vector<Operand>& operands() const noexcept { return operands_; }
  [[nodiscard]] const std::vector<Condition>& children() const noexcept { return children_; }

  friend Condition operator&&(Condition a, Condition b);
  friend Condition operator||(Condition a, Condition b);
  friend Condition operator!(Condition a);
  Condition& operator&=(Condition other);
  Condition& operator|=(Condition other);

  // Structural equality.
  friend bool operator==(const Condition& a, const Condition& b);

 private:
  Kind kind_ = Kind::empty;
  Comparator op_ = Comparator::eq;
  std::vector<Operand> operands_;
  std::vector<Condition> children_;
};

// Builds a comparison; the typed model layer produces its conditions through these.
[[nodiscard]] inline Condition compare(Operand left, Comparator op, Operand right) {
  return Condition::compare(std::move(left), op, std::move(right));
}

// The name DynamoDB uses for a function kind ("attribute_exists", ..., "contains"); empty
// for the other kinds.
[[nodiscard]] std::string_view function_name(Condition::Kind kind) noexcept;

}  // namespace dynamo::expr
