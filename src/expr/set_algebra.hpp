// Internal: the union and difference of two DynamoDB sets of one element type, as ADD and
// DELETE apply them (UpdateExpression in src/expr, AttributeUpdates in src/engine).
#pragma once

#include <optional>
#include <utility>

#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr::detail {

template <class T>
AttributeValue set_union(const Set<T>& a, const Set<T>& b) {
  Set<T> result = a;
  for (const auto& element : b) result.insert(element);
  return AttributeValue(std::move(result));
}

// Empty: nullopt, since DynamoDB stores no empty set (the attribute goes away).
template <class T>
std::optional<AttributeValue> set_difference(const Set<T>& a, const Set<T>& b) {
  Set<T> result = a;
  for (const auto& element : b) result.erase(element);
  if (result.empty()) return std::nullopt;
  return AttributeValue(std::move(result));
}

}  // namespace dynamo::expr::detail
