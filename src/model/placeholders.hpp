// Rendering expressions into api requests, shared by the model's table, batch and
// transaction code: placeholder maps and projections.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/common.hpp"
#include "dynamo/expr/render.hpp"

namespace dynamo::detail {

// Copies the rendered placeholders into a request (leaves the maps unset when empty, as
// DynamoDB rejects empty ExpressionAttributeNames/Values).
template <class Request>
void set_placeholders(Request& request, const expr::Placeholders& placeholders) {
  if (!placeholders.names().empty()) {
    api::ExpressionAttributeNames names;
    for (const auto& [placeholder, name] : placeholders.names()) names.emplace(placeholder, name);
    request.expression_attribute_names = std::move(names);
  }
  if constexpr (requires { request.expression_attribute_values; }) {
    if (!placeholders.values().empty()) {
      std::vector<AttributeMap::value_type> entries(placeholders.values().begin(), placeholders.values().end());
      AttributeMap values;
      (void)values.assign_entries(std::move(entries));
      request.expression_attribute_values = std::move(values);
    }
  }
}

// A ProjectionExpression of stored attribute names (nullopt for none: every attribute).
inline std::optional<std::string> projection_of(const std::vector<std::string>& names,
                                                expr::Placeholders& placeholders) {
  if (names.empty()) return std::nullopt;
  expr::Projection projection;
  for (const std::string& name : names) projection.push_back(expr::path(name));
  return expr::render(projection, placeholders);
}

}  // namespace dynamo::detail
