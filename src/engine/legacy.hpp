// Internal: DynamoDB's legacy (non-expression) parameters, validated and translated once into
// what the expression parameters produce, so that evaluation stays in one place
// (dynamo/expr/evaluate.hpp): Expected, QueryFilter and ScanFilter become expr::Conditions,
// KeyConditions an expr::KeyCondition. AttributeUpdates keeps its own, older semantics (ADD
// appends to lists; a type clash is "Type mismatch for attribute to update"), so it is
// applied here rather than translated into an UpdateExpression.
//
// Messages follow the service's (as captured against DynamoDB by projects that test there):
// "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN
// ComparisonOperator", "Can not use both expression and non-expression parameters in the
// same request: Non-expression parameters: {Expected} Expression parameters:
// {ConditionExpression}", ...
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dynamo/api/enums.hpp"
#include "dynamo/api/legacy.hpp"
#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/key_condition.hpp"
#include "engine/state.hpp"

namespace dynamo::engine::detail {

// A request parameter and whether the request carries it.
struct ParameterUse {
  std::string_view name;
  bool present = false;
};

// Rejects a request that carries both kinds, listing each present parameter in the order
// given (the service's order for the operation).
void check_no_mixing(std::initializer_list<ParameterUse> non_expression, std::initializer_list<ParameterUse> expression);

// ConditionalOperator needs a Filter or Expected with two or more entries; `conditions` is the
// number of entries (0 when the map is absent).
void check_conditional_operator(const std::optional<api::ConditionalOperator>& conditional_operator,
                                std::size_t conditions);

// Expected as a condition (AND or OR of its entries); throws the service's
// ValidationExceptions for malformed entries.
[[nodiscard]] expr::Condition expected_condition(const api::ExpectedMap& expected,
                                                 const std::optional<api::ConditionalOperator>& conditional_operator);

// Validates every entry of a QueryFilter, ScanFilter or KeyConditions map.
void check_conditions(const api::ConditionMap& conditions);

// A validated QueryFilter or ScanFilter as a condition.
[[nodiscard]] expr::Condition filter_condition(const api::ConditionMap& filter,
                                               const std::optional<api::ConditionalOperator>& conditional_operator);

// KeyConditions (validated by check_conditions) against the key schema read.
[[nodiscard]] expr::KeyCondition key_condition_of(const api::ConditionMap& key_conditions, const KeySchema& schema);

// A QueryFilter may not name the key attributes of the table or index read.
void check_query_filter_avoids_keys(const api::ConditionMap& filter, const KeySchema& schema);

// Validates AttributeUpdates on their own (before the table is looked up).
void check_attribute_updates(const api::AttributeUpdateMap& updates);
// AttributeUpdates may not touch the table's key attributes.
void check_updates_avoid_keys(const api::AttributeUpdateMap& updates, std::span<const std::string> key_attributes);

// `item` after AttributeUpdates.
[[nodiscard]] Item apply_attribute_updates(const api::AttributeUpdateMap& updates, Item item);

}  // namespace dynamo::engine::detail
