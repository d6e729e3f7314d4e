// Parsing DynamoDB expression strings into expression trees (the engine side).
//
// Phases, as in ScyllaDB Alternator: parse the text, resolve `#name` / `:value` placeholders
// against the request's ExpressionAttributeNames / Values (recording which were used), and
// check the tree; evaluate.hpp then runs it. The trees are the ones the builder makes, with
// placeholders replaced by what they stand for.
//
//   dynamo::expr::ExpressionAttributes attrs;
//   attrs.add_name("#f", "forum");
//   attrs.add_value(":v", dynamo::AttributeValue("C++"));
//   auto cond = dynamo::expr::parse_condition("#f = :v", attrs);
//   attrs.check_all_used();   // after every expression of the request has been parsed
//
// Errors are dynamo::Error ValidationExceptions worded like the service's, e.g.
//   Invalid UpdateExpression: Syntax error; token: "x", near: "SET x"
//   Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size
//   Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}
// The parser never crashes nor recurses without bound: the 4 KB limit is checked first and
// nesting is capped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamo/limits.hpp"
#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/projection.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr {

// Which request parameter an expression came from: it names the parameter in messages
// ("Invalid FilterExpression: ...") and selects the grammar.
enum class ExpressionKind : std::uint8_t { condition, filter, key_condition, update, projection };

// "ConditionExpression", "FilterExpression", "KeyConditionExpression", ...
[[nodiscard]] std::string_view parameter_name(ExpressionKind kind) noexcept;

// DynamoDB's limits on expressions.
inline constexpr std::size_t max_expression_bytes = limits::expression_bytes;
inline constexpr std::size_t max_in_operands = limits::in_operands;
inline constexpr std::size_t max_operators = limits::expression_operators;
// Our own bound on nesting (parentheses, NOT), so that no input recurses deeply.
inline constexpr std::size_t max_nesting = 100;

// The ExpressionAttributeNames and ExpressionAttributeValues of one request, with a record of
// which entries the request's expressions used. Holds copies; cheap for typical requests.
class ExpressionAttributes {
 public:
  ExpressionAttributes() = default;

  // Throws ValidationException "ExpressionAttributeNames contains invalid key: Syntax error;
  // key: \"x\"" unless `placeholder` is '#' followed by letters, digits or '_'.
  void add_name(std::string placeholder, std::string name);
  // As add_name, for ':' placeholders.
  void add_value(std::string placeholder, AttributeValue v);

  // The attribute name / value a placeholder stands for (marking it used), or nullptr.
  [[nodiscard]] const std::string* resolve_name(std::string_view placeholder);
  [[nodiscard]] const AttributeValue* resolve_value(std::string_view placeholder);

  // Throws "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
  // (then the same for values) when an entry was never used.
  void check_all_used() const;

 private:
  struct Name {
    std::string placeholder;
    std::string name;
    bool used = false;
  };
  struct Value {
    std::string placeholder;
    AttributeValue value;
    bool used = false;
  };
  std::vector<Name> names_;
  std::vector<Value> values_;
};

// ConditionExpression, FilterExpression or KeyConditionExpression (`kind` picks the message
// prefix; key conditions are further checked by analyze_key_condition()).
[[nodiscard]] Condition parse_condition(std::string_view text, ExpressionAttributes& attributes,
                                        ExpressionKind kind = ExpressionKind::condition);
// UpdateExpression, including the per-clause and overlapping-path checks.
[[nodiscard]] Update parse_update(std::string_view text, ExpressionAttributes& attributes);
// ProjectionExpression, including the overlapping-path check.
[[nodiscard]] Projection parse_projection(std::string_view text, ExpressionAttributes& attributes);

// Checks that no two actions of `update` touch overlapping paths (`a` and `a.b`) or
// conflicting ones (`a[1]` and `a.b`); throws the service's message, prefixed with
// "Invalid UpdateExpression: ". parse_update() and apply_update() call it.
void check_update_paths(const Update& update);

}  // namespace dynamo::expr
