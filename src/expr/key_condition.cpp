// Key-condition analysis: the restricted shape DynamoDB accepts in KeyConditionExpression.
#include "dynamo/expr/key_condition.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace dynamo::expr {
namespace {

[[noreturn]] void fail(const std::string& message) { throw Error::validation(message); }

// One `key <op> value` part, with the key on the left.
struct Part {
  std::string key;
  SortKeyCondition condition;
};

std::string operator_name(const Condition& c) {
  switch (c.kind()) {
    case Condition::Kind::any_of: return "OR";
    case Condition::Kind::negation: return "NOT";
    case Condition::Kind::in: return "IN";
    case Condition::Kind::compare: return std::string(to_string(c.comparator()));
    default: return std::string(function_name(c.kind()));
  }
}

// The key attribute named by `o`, or nullopt when `o` is a value.
std::optional<std::string> key_of(const Operand& o) {
  if (o.kind() == Operand::Kind::size) fail("KeyConditionExpressions cannot contain nested operations");
  if (o.kind() != Operand::Kind::path) return std::nullopt;
  if (o.path().size() != 1 || o.path().top_level_name().empty()) {
    fail("KeyConditionExpressions cannot have conditions on nested attributes");
  }
  return std::string(o.path().top_level_name());
}

const AttributeValue& value_of(const Operand& o) {
  if (o.kind() != Operand::Kind::value) {
    fail("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
  }
  return o.value();
}

Part analyze_part(const Condition& c) {
  using Kind = Condition::Kind;
  using Op = SortKeyCondition::Op;
  Part part;
  switch (c.kind()) {
    case Kind::compare: {
      if (c.comparator() == Comparator::ne) fail("Invalid operator used in KeyConditionExpression: <>");
      auto left = key_of(c.operands()[0]);
      auto right = key_of(c.operands()[1]);
      if (left && right) {
        fail("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
      }
      if (!left && !right) fail("Invalid condition in KeyConditionExpression: No key attribute specified");
      Comparator op = c.comparator();
      if (!left) {  // `:v < key` is `key > :v`
        switch (op) {
          case Comparator::lt: op = Comparator::gt; break;
          case Comparator::le: op = Comparator::ge; break;
          case Comparator::gt: op = Comparator::lt; break;
          case Comparator::ge: op = Comparator::le; break;
          default: break;
        }
      }
      part.key = left ? *left : *right;
      part.condition.value = value_of(left ? c.operands()[1] : c.operands()[0]);
      static constexpr Op ops[] = {Op::eq, Op::eq, Op::lt, Op::le, Op::gt, Op::ge};
      part.condition.op = ops[static_cast<std::size_t>(op)];
      return part;
    }
    case Kind::between:
    case Kind::begins_with: {
      const bool between = c.kind() == Kind::between;
      auto key = key_of(c.operands()[0]);
      if (!key) {
        fail(std::string("Invalid condition in KeyConditionExpression: ") +
             (between ? "BETWEEN" : "begins_with") + " operator must have the key attribute as its first operand");
      }
      for (std::size_t i = 1; i < c.operands().size(); ++i) {
        if (key_of(c.operands()[i])) {
          fail("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        }
      }
      part.key = *key;
      part.condition.op = between ? Op::between : Op::begins_with;
      part.condition.value = value_of(c.operands().at(1));
      if (between) part.condition.upper = value_of(c.operands().at(2));
      return part;
    }
    default:
      fail("Invalid operator used in KeyConditionExpression: " + operator_name(c));
  }
}

}  // namespace

bool SortKeyCondition::matches(const AttributeValue& v) const {
  const auto o = scalar_order(v, value);
  switch (op) {
    case Op::eq: return o && *o == 0;
    case Op::lt: return o && *o < 0;
    case Op::le: return o && *o <= 0;
    case Op::gt: return o && *o > 0;
    case Op::ge: return o && *o >= 0;
    case Op::between: {
      const auto u = scalar_order(v, upper);
      return o && u && *o >= 0 && *u <= 0;
    }
    case Op::begins_with:
      if (v.is(Type::string) && value.is(Type::string)) return v.as_string().starts_with(value.as_string());
      if (v.is(Type::binary) && value.is(Type::binary)) return v.as_binary().view().starts_with(value.as_binary().view());
      return false;
  }
  return false;
}

KeyCondition analyze_key_condition(const Condition& condition, std::string_view partition_key,
                                   std::optional<std::string_view> sort_key) {
  if (condition.empty()) fail("Invalid KeyConditionExpression: The expression can not be empty;");
  std::vector<const Condition*> conjuncts;
  if (condition.kind() == Condition::Kind::all_of) {
    for (const auto& child : condition.children()) conjuncts.push_back(&child);
  } else {
    conjuncts.push_back(&condition);
  }
  std::vector<Part> parts;
  for (const Condition* c : conjuncts) {
    Part part = analyze_part(*c);
    for (const auto& seen : parts) {
      if (seen.key == part.key) fail("KeyConditionExpressions must only contain one condition per key");
    }
    parts.push_back(std::move(part));
  }
  // DynamoDB names the partition key when no condition is on it; otherwise a condition on an
  // attribute outside the key schema names the sort key the query left out, and only when
  // there is none is it "not supported" (moto's key-condition tests, checked against AWS).
  const auto on = [&](std::string_view key) {
    return std::find_if(parts.begin(), parts.end(), [&](const Part& p) { return p.key == key; });
  };
  const auto partition_part = on(partition_key);
  if (partition_part == parts.end()) fail("Query condition missed key schema element: " + std::string(partition_key));
  if (partition_part->condition.op != SortKeyCondition::Op::eq) fail("Query key condition not supported");
  const auto sort_part = sort_key ? on(*sort_key) : parts.end();
  for (const auto& part : parts) {
    if (part.key == partition_key || (sort_key && part.key == *sort_key)) continue;
    if (sort_key && sort_part == parts.end()) fail("Query condition missed key schema element: " + std::string(*sort_key));
    fail("Query key condition not supported");
  }
  KeyCondition result;
  result.partition_value = std::move(partition_part->condition.value);
  if (sort_part != parts.end()) result.sort = std::move(sort_part->condition);
  return result;
}

}  // namespace dynamo::expr
