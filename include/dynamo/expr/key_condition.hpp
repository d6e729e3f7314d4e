// Key conditions: checking a parsed KeyConditionExpression against the table's key schema and
// splitting it into the partition value and an optional sort-key condition, as DynamoDB does.
//
//   using namespace dynamo::expr;
//   auto cond = parse_condition("#f = :f AND begins_with(#s, :p)", attrs,
//                               ExpressionKind::key_condition);
//   KeyCondition key = analyze_key_condition(cond, "forum", "subject");
//   const AttributeValue& forum = key.partition_value;            // S "C++"
//   bool in_range = key.sort && key.sort->matches(item.at("subject"));  // begins_with
//
// Accepted: `pk = v`, optionally AND one of `sk = v`, `<`, `<=`, `>`, `>=`, `BETWEEN v AND w`,
// `begins_with(sk, v)` (either side of a comparison may hold the key). Anything else is a
// ValidationException worded like the service's ("Invalid operator used in
// KeyConditionExpression: OR", "Query condition missed key schema element: pk", ...).
#pragma once

#include <optional>
#include <string_view>

#include "dynamo/expr/condition.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr {

struct SortKeyCondition {
  enum class Op : std::uint8_t { eq, lt, le, gt, ge, between, begins_with };
  Op op = Op::eq;
  AttributeValue value;  // the operand (the lower bound of BETWEEN)
  AttributeValue upper;  // the upper bound of BETWEEN

  // True when a sort key value satisfies the condition (values of another type never do).
  [[nodiscard]] bool matches(const AttributeValue& sort_key_value) const;
};

struct KeyCondition {
  AttributeValue partition_value;
  std::optional<SortKeyCondition> sort;
};

// `sort_key` is empty for a table (or index) without a sort key.
[[nodiscard]] KeyCondition analyze_key_condition(const Condition& condition,
                                                 std::string_view partition_key,
                                                 std::optional<std::string_view> sort_key);

}  // namespace dynamo::expr
