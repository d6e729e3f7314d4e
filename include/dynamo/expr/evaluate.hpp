// Evaluating expression trees against items, with DynamoDB's semantics (the engine side).
//
//   using namespace dynamo::expr;
//   bool ok = evaluate(path("views") < 100 && path("tags").contains("hot"), item);
//   dynamo::Item updated = apply_update(update, item, {"forum", "subject"});  // key names
//   dynamo::Item slim = project(Projection{path("forum")}, item);
//
// Conditions never throw for data reasons: comparing values of different types, a missing
// attribute, or size() of a number is simply false (DynamoDB's rule). Updates throw
// dynamo::Error ValidationExceptions with the service's messages: a SET operand naming a
// missing attribute, arithmetic on non-numbers, a nested SET whose parent is missing, ADD or
// DELETE of the wrong type, overlapping paths, or an update of a key attribute.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/projection.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr {

// The value at `p` in `item`, or nullptr when some step of the path is missing.
[[nodiscard]] const AttributeValue* find(const Item& item, const Path& p) noexcept;

// True when `item` satisfies `condition`; the empty condition is always satisfied.
[[nodiscard]] bool evaluate(const Condition& condition, const Item& item);

// The item after `update`. Every operand reads the item as it was before the update (as in
// DynamoDB); then SETs, REMOVEs (list elements highest index first, so indexes refer to the
// original list), ADDs and DELETEs are applied. `key_attributes` are the table's key names,
// which no action may touch. `item_exists` is false when `item` stands for an absent item
// (UpdateItem's upsert starts from the key): REMOVE of a nested path whose parent is missing
// is then ignored, where on an existing item it is "The document path provided in the update
// expression is invalid for update", as in DynamoDB.
[[nodiscard]] Item apply_update(const Update& update, const Item& item,
                                std::span<const std::string> key_attributes = {}, bool item_exists = true);

// The projection of `item`: only the listed paths, nested structure kept (list elements are
// kept in their original order, compacted).
[[nodiscard]] Item project(const Projection& projection, const Item& item);

// DynamoDB's size(): UTF-8 bytes of S, bytes of B, elements of a set, L or M; nullopt otherwise.
[[nodiscard]] std::optional<std::size_t> size_of(const AttributeValue& v) noexcept;

}  // namespace dynamo::expr
