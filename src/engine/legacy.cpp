// DynamoDB's legacy parameters: validation, and translation into expression trees.
//
// The semantics follow the Developer Guide's "Legacy conditional parameters" pages, with the
// corrections that tests run against DynamoDB itself have established: IN tests whether the
// attribute equals one of the listed values; NOT_CONTAINS on a missing attribute is false
// (while NE on a missing attribute is true); Exists: true is only meaningful with a Value;
// Value may stand for a one-element AttributeValueList beside a ComparisonOperator.
#include "engine/legacy.hpp"

#include "expr/set_algebra.hpp"

#include <algorithm>

namespace dynamo::engine::detail {
namespace {

using api::ComparisonOperator;
using Kind = expr::Condition::Kind;

constexpr std::string_view invalid = "One or more parameter values were invalid: ";

[[noreturn]] void invalid_parameter(std::string_view detail) { throw_validation(std::string(invalid) + std::string(detail)); }

std::string op_name(ComparisonOperator op) { return std::string(api::to_string(op)); }

bool argument_count_fits(ComparisonOperator op, std::size_t count) {
  switch (op) {
    case ComparisonOperator::null:
    case ComparisonOperator::not_null: return count == 0;
    case ComparisonOperator::in: return count >= 1;
    case ComparisonOperator::between: return count == 2;
    default: return count == 1;
  }
}

bool is_scalar(Type type) { return type == Type::string || type == Type::number || type == Type::binary; }

// The value types an operator accepts in its AttributeValueList.
bool type_fits(ComparisonOperator op, Type type) {
  switch (op) {
    case ComparisonOperator::eq:
    case ComparisonOperator::ne: return true;  // every type, lists and maps included
    case ComparisonOperator::begins_with: return type == Type::string || type == Type::binary;
    default: return is_scalar(type);
  }
}

// The checks every legacy comparison shares, in the service's order: argument count, one
// type for all values, a type the operator accepts, BETWEEN's bounds in order.
void check_values(ComparisonOperator op, const api::AttributeValueList& values) {
  if (!argument_count_fits(op, values.size())) {
    invalid_parameter("Invalid number of argument(s) for the " + op_name(op) + " ComparisonOperator");
  }
  for (const auto& value : values) {
    if (value.type() != values.front().type()) {
      invalid_parameter("AttributeValues inside AttributeValueList must be of same type");
    }
  }
  for (const auto& value : values) {
    if (!type_fits(op, value.type())) {
      invalid_parameter("ComparisonOperator " + op_name(op) + " is not valid for " + std::string(type_tag(value.type())) +
                        " AttributeValue type");
    }
  }
  if (op == ComparisonOperator::between) {
    const auto order = scalar_order(values[0], values[1]);
    if (order && *order > 0) {
      throw_validation("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
    }
  }
}

// `name <op> values`, already validated.
expr::Condition comparison(const std::string& name, ComparisonOperator op, const api::AttributeValueList& values) {
  const expr::Path path(name);
  auto function = [&](Kind kind, bool with_value) {
    std::vector<expr::Operand> args{expr::Operand(path)};
    if (with_value) args.emplace_back(values.front());
    return expr::Condition::function(kind, std::move(args));
  };
  switch (op) {
    case ComparisonOperator::eq: return expr::Condition::compare(path, expr::Comparator::eq, values.front());
    case ComparisonOperator::ne: return expr::Condition::compare(path, expr::Comparator::ne, values.front());
    case ComparisonOperator::le: return expr::Condition::compare(path, expr::Comparator::le, values.front());
    case ComparisonOperator::lt: return expr::Condition::compare(path, expr::Comparator::lt, values.front());
    case ComparisonOperator::ge: return expr::Condition::compare(path, expr::Comparator::ge, values.front());
    case ComparisonOperator::gt: return expr::Condition::compare(path, expr::Comparator::gt, values.front());
    case ComparisonOperator::in: return expr::Condition::in(path, std::vector<expr::Operand>(values.begin(), values.end()));
    case ComparisonOperator::between: return expr::Condition::between(path, values[0], values[1]);
    case ComparisonOperator::not_null: return function(Kind::attribute_exists, false);
    case ComparisonOperator::null: return function(Kind::attribute_not_exists, false);
    case ComparisonOperator::contains: return function(Kind::contains, true);
    case ComparisonOperator::not_contains:
      // DynamoDB answers false for a missing attribute, unlike NOT contains(...).
      return expr::Condition::all_of(
          {function(Kind::attribute_exists, false), expr::Condition::negation(function(Kind::contains, true))});
    case ComparisonOperator::begins_with: return function(Kind::begins_with, true);
  }
  return {};
}

expr::Condition combine(std::vector<expr::Condition> parts, const std::optional<api::ConditionalOperator>& op) {
  if (op == api::ConditionalOperator::or_) return expr::Condition::any_of(std::move(parts));
  return expr::Condition::all_of(std::move(parts));
}

const api::AttributeValueList& no_values() {
  static const api::AttributeValueList empty;
  return empty;
}

}  // namespace

void check_no_mixing(std::initializer_list<ParameterUse> non_expression, std::initializer_list<ParameterUse> expression) {
  auto listed = [](std::initializer_list<ParameterUse> uses) {
    std::string out;
    for (const auto& use : uses) {
      if (!use.present) continue;
      if (!out.empty()) out.append(", ");
      out.append(use.name);
    }
    return out;
  };
  const std::string legacy = listed(non_expression);
  const std::string expressions = listed(expression);
  if (legacy.empty() || expressions.empty()) return;
  throw_validation(
      "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
      legacy + "} Expression parameters: {" + expressions + "}");
}

void check_conditional_operator(const std::optional<api::ConditionalOperator>& conditional_operator,
                                std::size_t conditions) {
  if (!conditional_operator) return;
  if (conditions == 0) throw_validation("ConditionalOperator cannot be used without Filter or Expected");
  if (conditions == 1) {
    throw_validation("ConditionalOperator can only be used when Filter or Expected has two or more elements");
  }
}

expr::Condition expected_condition(const api::ExpectedMap& expected,
                                   const std::optional<api::ConditionalOperator>& conditional_operator) {
  // The service reports these inside its "1 validation error detected: " envelope.
  auto fail = [](const std::string& detail) {
    throw_validation("1 validation error detected: " + std::string(invalid) + detail);
  };
  std::vector<expr::Condition> parts;
  for (const auto& [name, entry] : expected) {
    if (entry.value && entry.attribute_value_list) {
      fail("Value and AttributeValueList cannot be used together for Attribute: " + name);
    }
    if (entry.comparison_operator) {
      const ComparisonOperator op = *entry.comparison_operator;
      if (entry.exists) fail("Exists and ComparisonOperator cannot be used together for Attribute: " + name);
      if (op != ComparisonOperator::null && op != ComparisonOperator::not_null && !entry.value &&
          !entry.attribute_value_list) {
        fail("Value or AttributeValueList must be used with ComparisonOperator: " + op_name(op) +
             " for Attribute: " + name);
      }
      api::AttributeValueList values;
      if (entry.attribute_value_list) {
        values = *entry.attribute_value_list;
      } else if (entry.value) {
        values.push_back(*entry.value);
      }
      if (!argument_count_fits(op, values.size())) {
        fail("Invalid number of argument(s) for the " + op_name(op) + " ComparisonOperator");
      }
      check_values(op, values);
      parts.push_back(comparison(name, op, values));
      continue;
    }
    if (entry.attribute_value_list) {
      fail("AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name);
    }
    const bool exists = entry.exists.value_or(true);
    if (exists && !entry.value) {
      fail("Value must be provided when Exists is " + std::string(entry.exists ? "true" : "null") +
           " for Attribute: " + name);
    }
    if (!exists && entry.value) fail("Value cannot be used when Exists is false for Attribute: " + name);
    if (exists) {
      parts.push_back(expr::Condition::compare(expr::Path(name), expr::Comparator::eq, *entry.value));
    } else {
      parts.push_back(expr::Condition::function(Kind::attribute_not_exists, {expr::Operand(expr::Path(name))}));
    }
  }
  return combine(std::move(parts), conditional_operator);
}

void check_conditions(const api::ConditionMap& conditions) {
  for (const auto& [name, condition] : conditions) {
    check_values(condition.comparison_operator, condition.attribute_value_list.value_or(no_values()));
  }
}

expr::Condition filter_condition(const api::ConditionMap& filter,
                                 const std::optional<api::ConditionalOperator>& conditional_operator) {
  std::vector<expr::Condition> parts;
  for (const auto& [name, condition] : filter) {
    parts.push_back(comparison(name, condition.comparison_operator, condition.attribute_value_list.value_or(no_values())));
  }
  return combine(std::move(parts), conditional_operator);
}

expr::KeyCondition key_condition_of(const api::ConditionMap& key_conditions, const KeySchema& schema) {
  if (key_conditions.empty() || key_conditions.size() > 2) throw_validation("Conditions can be of length 1 or 2 only");
  if (!schema.sort && key_conditions.size() > 1) throw_validation("Query key condition not supported");
  constexpr std::string_view mismatch =
      "One or more parameter values were invalid: Condition parameter type does not match schema type";
  expr::KeyCondition out;
  const KeyAttribute* keys[2] = {&schema.partition, schema.sort ? &*schema.sort : nullptr};
  for (const KeyAttribute* key : keys) {
    if (key == nullptr) continue;
    const bool partition = key == &schema.partition;
    const auto it = key_conditions.find(key->name);
    if (it == key_conditions.end()) {
      if (partition || key_conditions.size() > 1) throw_validation("Query condition missed key schema element: " + key->name);
      continue;
    }
    const api::Condition& condition = it->second;
    const ComparisonOperator op = condition.comparison_operator;
    switch (op) {
      case ComparisonOperator::null:
      case ComparisonOperator::not_null:
      case ComparisonOperator::ne:
      case ComparisonOperator::contains:
      case ComparisonOperator::not_contains:
      case ComparisonOperator::in: throw_validation("Attempted conditional constraint is not an indexable operation");
      default: break;
    }
    const api::AttributeValueList& values = condition.attribute_value_list.value_or(no_values());
    for (const auto& value : values) {
      if (value.type() != key->type) throw_validation(std::string(mismatch));
    }
    if (partition) {
      if (op != ComparisonOperator::eq) throw_validation("Query key condition not supported");
      check_key_value(*key, true, values.front());
      out.partition_value = values.front();
      continue;
    }
    expr::SortKeyCondition sort;
    using Op = expr::SortKeyCondition::Op;
    switch (op) {
      case ComparisonOperator::eq: sort.op = Op::eq; break;
      case ComparisonOperator::lt: sort.op = Op::lt; break;
      case ComparisonOperator::le: sort.op = Op::le; break;
      case ComparisonOperator::gt: sort.op = Op::gt; break;
      case ComparisonOperator::ge: sort.op = Op::ge; break;
      case ComparisonOperator::between: sort.op = Op::between; break;
      default: sort.op = Op::begins_with; break;
    }
    sort.value = values.front();
    if (op == ComparisonOperator::between) sort.upper = values[1];
    out.sort = std::move(sort);
  }
  return out;
}

void check_query_filter_avoids_keys(const api::ConditionMap& filter, const KeySchema& schema) {
  const KeyAttribute* keys[2] = {&schema.partition, schema.sort ? &*schema.sort : nullptr};
  for (const KeyAttribute* key : keys) {
    if (key != nullptr && filter.contains(key->name)) {
      throw_validation("QueryFilter can only contain non-primary key attributes: Primary key attribute: " + key->name);
    }
  }
}

void check_attribute_updates(const api::AttributeUpdateMap& updates) {
  for (const auto& [name, update] : updates) {
    const api::AttributeAction action = update.action.value_or(api::AttributeAction::put);
    if (!update.value) {
      if (action != api::AttributeAction::delete_) {
        invalid_parameter("Only DELETE action is allowed when no attribute value is specified");
      }
    } else {
      const Type type = update.value->type();
      const bool is_set = type == Type::string_set || type == Type::number_set || type == Type::binary_set;
      if (action == api::AttributeAction::delete_ && !is_set) {
        invalid_parameter("DELETE action with value is not supported for the type " + std::string(type_tag(type)));
      }
      if (action == api::AttributeAction::add && !is_set && type != Type::number && type != Type::list) {
        invalid_parameter("ADD action is not supported for the type " + std::string(type_tag(type)));
      }
    }
  }
}

void check_updates_avoid_keys(const api::AttributeUpdateMap& updates, std::span<const std::string> key_attributes) {
  for (const auto& [name, update] : updates) {
    if (std::find(key_attributes.begin(), key_attributes.end(), name) != key_attributes.end()) {
      invalid_parameter("Cannot update attribute " + name + ". This attribute is part of the key");
    }
  }
}

namespace {

[[noreturn]] void type_mismatch() { throw_validation("Type mismatch for attribute to update"); }

using expr::detail::set_difference;
using expr::detail::set_union;

AttributeValue added(const AttributeValue& current, const AttributeValue& delta) {
  if (current.type() != delta.type()) type_mismatch();
  switch (current.type()) {
    case Type::number: return AttributeValue(current.as_number() + delta.as_number());
    case Type::string_set: return set_union(current.as_string_set(), delta.as_string_set());
    case Type::number_set: return set_union(current.as_number_set(), delta.as_number_set());
    case Type::binary_set: return set_union(current.as_binary_set(), delta.as_binary_set());
    case Type::list: {
      List joined = current.as_list();
      for (const auto& element : delta.as_list()) joined.push_back(element);
      return AttributeValue(std::move(joined));
    }
    default: type_mismatch();
  }
}

std::optional<AttributeValue> deleted(const AttributeValue& current, const AttributeValue& removed) {
  if (current.type() != removed.type()) type_mismatch();
  switch (current.type()) {
    case Type::string_set: return set_difference(current.as_string_set(), removed.as_string_set());
    case Type::number_set: return set_difference(current.as_number_set(), removed.as_number_set());
    case Type::binary_set: return set_difference(current.as_binary_set(), removed.as_binary_set());
    default: type_mismatch();
  }
}

}  // namespace

Item apply_attribute_updates(const api::AttributeUpdateMap& updates, Item item) {
  for (const auto& [name, update] : updates) {
    const AttributeValue* current = item.find(name);
    switch (update.action.value_or(api::AttributeAction::put)) {
      case api::AttributeAction::put:
        item.insert_or_assign(name, *update.value);
        break;
      case api::AttributeAction::add:
        item.insert_or_assign(name, current != nullptr ? added(*current, *update.value) : *update.value);
        break;
      case api::AttributeAction::delete_:
        if (!update.value) {
          item.erase(name);
        } else if (current != nullptr) {
          if (auto rest = deleted(*current, *update.value)) {
            item.insert_or_assign(name, std::move(*rest));
          } else {
            item.erase(name);
          }
        }
        break;
    }
  }
  return item;
}

}  // namespace dynamo::engine::detail
