// The shapes of DynamoDB's legacy (non-expression) parameters: Expected, AttributeUpdates,
// KeyConditions, QueryFilter and ScanFilter. DynamoDB still serves them; new code should
// prefer the expression parameters, but SDKs and older applications send these.
//
//   using namespace dynamo::api;
//   PutItemRequest put{
//       .table_name = "Thread",
//       .item = {{"forum", "C++"}, {"subject", "Modules"}},
//       .expected = ExpectedMap{{"forum", {.exists = false}}},          // attribute_not_exists(forum)
//   };
//   QueryRequest query{
//       .table_name = "Thread",
//       .key_conditions = ConditionMap{
//           {"forum", {.attribute_value_list = AttributeValueList{"C++"}, .comparison_operator = ComparisonOperator::eq}},
//           {"subject", {.attribute_value_list = AttributeValueList{"M"},
//                        .comparison_operator = ComparisonOperator::begins_with}}},
//   };
//   UpdateItemRequest update{
//       .table_name = "Thread",
//       .key = {{"forum", "C++"}, {"subject", "Modules"}},
//       .attribute_updates = AttributeUpdateMap{{"views", {.value = 1, .action = AttributeAction::add}}},
//   };
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/value/attribute_value.hpp"

namespace dynamo::api {

// ComparisonOperator of a Condition or an ExpectedAttributeValue.
enum class ComparisonOperator : std::uint8_t {
  eq,
  ne,
  in,
  le,
  lt,
  ge,
  gt,
  between,
  not_null,
  null,
  contains,
  not_contains,
  begins_with,
};

// Action of an AttributeValueUpdate.
enum class AttributeAction : std::uint8_t { add, put, delete_ };

// to_string / from_string / enum_value_set, as for the enums of enums.hpp.
[[nodiscard]] std::string_view to_string(ComparisonOperator value) noexcept;
[[nodiscard]] bool from_string(std::string_view text, ComparisonOperator& out) noexcept;
[[nodiscard]] std::string_view enum_value_set(ComparisonOperator) noexcept;
[[nodiscard]] std::string_view to_string(AttributeAction value) noexcept;
[[nodiscard]] bool from_string(std::string_view text, AttributeAction& out) noexcept;
[[nodiscard]] std::string_view enum_value_set(AttributeAction) noexcept;

using AttributeValueList = std::vector<AttributeValue>;

// One entry of KeyConditions, QueryFilter or ScanFilter: `attribute <op> values`.
struct Condition {
  std::optional<AttributeValueList> attribute_value_list{};
  ComparisonOperator comparison_operator = ComparisonOperator::eq;  // Required
  friend bool operator==(const Condition&, const Condition&) = default;
};

// One entry of Expected: either Value/Exists (equality or absence), or a ComparisonOperator
// with AttributeValueList (or a single Value).
struct ExpectedAttributeValue {
  std::optional<AttributeValue> value{};
  std::optional<bool> exists{};
  std::optional<ComparisonOperator> comparison_operator{};
  std::optional<AttributeValueList> attribute_value_list{};
  friend bool operator==(const ExpectedAttributeValue&, const ExpectedAttributeValue&) = default;
};

// One entry of AttributeUpdates: PUT (the default), ADD or DELETE of a top-level attribute.
struct AttributeValueUpdate {
  std::optional<AttributeValue> value{};
  std::optional<AttributeAction> action{};
  friend bool operator==(const AttributeValueUpdate&, const AttributeValueUpdate&) = default;
};

// Attribute name -> entry. A std::map keeps the names sorted, so conditions are checked and
// updates applied in one deterministic order.
using ConditionMap = std::map<std::string, Condition>;
using ExpectedMap = std::map<std::string, ExpectedAttributeValue>;
using AttributeUpdateMap = std::map<std::string, AttributeValueUpdate>;

}  // namespace dynamo::api
