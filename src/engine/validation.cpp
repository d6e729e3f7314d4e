// Request validation shared by every operation: table names, keys, items, expression
// attribute maps and projections, worded as DynamoDB words its ValidationExceptions.
#include <algorithm>
#include <set>

#include "engine/state.hpp"

namespace dynamo::engine::detail {

namespace {

bool valid_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

std::string_view tag(Type t) { return type_tag(t); }

}  // namespace

void check_table_name(std::string_view name, ConstraintErrors& errors, std::string_view member) {
  // The API reference: TableName/IndexName are 3-255 characters of [a-zA-Z0-9_.-].
  if (!std::all_of(name.begin(), name.end(), valid_name_char)) {
    errors.add(name, member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  if (name.size() < limits::table_name_min) errors.add(name, member, "Member must have length greater than or equal to 3");
  if (name.size() > limits::table_name_max) errors.add(name, member, "Member must have length less than or equal to 255");
}

void check_table_name(std::string_view name) {
  ConstraintErrors errors;
  check_table_name(name, errors);
  errors.throw_if_any();
}

void check_item_table_name(std::string_view name) {
  ConstraintErrors errors;
  if (name.empty()) errors.add(name, "tableName", "Member must have length greater than or equal to 1");
  if (name.size() > limits::table_name_or_arn_max) {
    errors.add(name, "tableName",
               "Member must have length less than or equal to " + std::to_string(limits::table_name_or_arn_max));
  }
  errors.throw_if_any();
}

void check_table_name_or_arn(std::string_view name, ConstraintErrors& errors) {
  if (!name.starts_with("arn:")) {
    check_table_name(name, errors);
    return;
  }
  if (name.size() > limits::table_name_or_arn_max) {
    errors.add(name, "tableName",
               "Member must have length less than or equal to " + std::to_string(limits::table_name_or_arn_max));
  }
}

void check_table_name_or_arn(std::string_view name) {
  ConstraintErrors errors;
  check_table_name_or_arn(name, errors);
  errors.throw_if_any();
}

void check_limit(const std::optional<int>& limit, ConstraintErrors& errors) {
  if (limit && *limit < 1) {
    errors.add(std::to_string(*limit), "limit", "Member must have value greater than or equal to 1");
  }
}

void check_key_value(const KeyAttribute& attribute, bool partition, const AttributeValue& value) {
  std::size_t bytes = 0;
  if (const auto* s = value.get_if<std::string>()) {
    if (s->empty()) {
      throw_validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
          "empty string value. Key: " +
          attribute.name);
    }
    bytes = s->size();
  } else if (const auto* b = value.get_if<Binary>()) {
    if (b->empty()) {
      throw_validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
          "empty binary value. Key: " +
          attribute.name);
    }
    bytes = b->size();
  }
  // The service's own wording, missing space included.
  if (partition && bytes > limits::partition_key_bytes) {
    throw_validation(
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }
  if (!partition && bytes > limits::sort_key_bytes) {
    throw_validation(
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit "
        "of 1024 bytes");
  }
}

KeyView key_view_from_request(const Table& table, const Item& key) {
  static const AttributeValue no_sort;
  constexpr std::string_view mismatch = "The provided key element does not match the schema";
  const std::size_t expected = table.key.sort ? 2 : 1;
  const AttributeValue* pk = key.find(table.key.partition.name);
  const AttributeValue* sk = table.key.sort ? key.find(table.key.sort->name) : nullptr;
  if (key.size() != expected || pk == nullptr || pk->type() != table.key.partition.type ||
      (table.key.sort && (sk == nullptr || sk->type() != table.key.sort->type))) {
    throw KeyTypeMismatch(std::string(mismatch));
  }
  check_key_value(table.key.partition, true, *pk);
  if (sk != nullptr) check_key_value(*table.key.sort, false, *sk);
  return KeyView{*pk, sk != nullptr ? *sk : no_sort};
}

PrimaryKey key_from_request(const Table& table, const Item& key) {
  const KeyView view = key_view_from_request(table, key);
  return PrimaryKey{view.partition, view.sort};
}

namespace {

void check_index_keys(const Table& table, const Item& item) {
  for (const auto& index : table.indexes) {
    const KeyAttribute* attributes[2] = {&index->key.partition, index->key.sort ? &*index->key.sort : nullptr};
    for (const KeyAttribute* attribute : attributes) {
      if (attribute == nullptr) continue;
      const AttributeValue* value = item.find(attribute->name);
      if (value == nullptr) continue;  // an item without the index key is simply not in the index
      if (value->type() != attribute->type) {
        throw KeyTypeMismatch("One or more parameter values were invalid: Type mismatch for Index Key " + attribute->name +
                         " Expected: " + std::string(tag(attribute->type)) +
                         " Actual: " + std::string(tag(value->type())) + " IndexName: " + index->name);
      }
      const bool empty = (value->is(Type::string) && value->as_string().empty()) ||
                         (value->is(Type::binary) && value->as_binary().empty());
      if (empty) {
        throw_validation(
            "One or more parameter values are not valid. A value specified for a secondary index key is not "
            "supported. The AttributeValue for a key attribute cannot contain an empty " +
            std::string(value->is(Type::string) ? "string" : "binary") + " value. IndexName: " + index->name +
            ", IndexKey: " + attribute->name);
      }
    }
  }
}

}  // namespace

// DynamoDB counts the attribute itself as level 1: 31 levels of maps and lists (a scalar
// leaf at level 32) are accepted, 32 are refused. Measured against the service (eu-west-2)
// by a suite that runs on AWS; its message, in full.
void check_nesting(const AttributeMap& values) {
  for (const auto& [name, value] : values) {
    if (nesting_depth(value) + 1 > limits::nesting_depth) {
      throw_validation(
          "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported "
          "limit");
    }
  }
}

std::pair<PrimaryKey, std::size_t> validate_item_for_write(const Table& table, const Item& item) {
  check_nesting(item);
  const KeyAttribute* attributes[2] = {&table.key.partition, table.key.sort ? &*table.key.sort : nullptr};
  PrimaryKey key;
  for (int i = 0; i < 2; ++i) {
    const KeyAttribute* attribute = attributes[i];
    if (attribute == nullptr) continue;
    const AttributeValue* value = item.find(attribute->name);
    if (value == nullptr) {
      throw_validation("One or more parameter values were invalid: Missing the key " + attribute->name + " in the item");
    }
    if (value->type() != attribute->type) {
      throw KeyTypeMismatch("One or more parameter values were invalid: Type mismatch for key " + attribute->name +
                       " expected: " + std::string(tag(attribute->type)) + " actual: " + std::string(tag(value->type())));
    }
    check_key_value(*attribute, i == 0, *value);
    (i == 0 ? key.partition : key.sort) = *value;
  }
  check_index_keys(table, item);
  const std::size_t size = item_size(item);
  if (size > max_item_size) throw_validation("Item size has exceeded the maximum allowed size");
  return {std::move(key), size};
}

std::size_t validate_updated_item(const Table& table, const Item& item) {
  check_nesting(item);
  check_index_keys(table, item);
  const std::size_t size = item_size(item);
  if (size > max_item_size) throw_validation("Item size to update has exceeded the maximum allowed size");
  return size;
}

Item key_item_of(const Table& table, const Item& item) {
  Item key;
  if (const auto* pk = item.find(table.key.partition.name)) key.insert_or_assign(table.key.partition.name, *pk);
  if (table.key.sort) {
    if (const auto* sk = item.find(table.key.sort->name)) key.insert_or_assign(table.key.sort->name, *sk);
  }
  return key;
}

expr::ExpressionAttributes expression_attributes(const std::optional<api::ExpressionAttributeNames>& names,
                                                 const std::optional<api::ExpressionAttributeValues>& values,
                                                 bool has_expression_with_names, bool has_expression_with_values,
                                                 std::string_view value_expressions) {
  expr::ExpressionAttributes attributes;
  if (names) {
    if (!has_expression_with_names) throw_validation("ExpressionAttributeNames can only be specified when using expressions");
    if (names->empty()) throw_validation("ExpressionAttributeNames must not be empty");
    for (const auto& [placeholder, name] : *names) attributes.add_name(placeholder, name);
  }
  if (values) {
    if (!has_expression_with_values) {
      std::string message = "ExpressionAttributeValues can only be specified when using expressions";
      if (!value_expressions.empty()) message += ": " + std::string(value_expressions);
      throw_validation(std::move(message));
    }
    if (values->empty()) throw_validation("ExpressionAttributeValues must not be empty");
    for (const auto& [placeholder, value] : *values) attributes.add_value(placeholder, value);
  }
  return attributes;
}

std::optional<expr::Projection> read_projection(const std::optional<std::string>& projection_expression,
                                                const std::optional<std::vector<std::string>>& attributes_to_get,
                                                expr::ExpressionAttributes& attributes) {
  if (projection_expression && attributes_to_get) {
    throw_validation(
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
        "{AttributesToGet} Expression parameters: {ProjectionExpression}");
  }
  if (projection_expression) {
    return expr::parse_projection(*projection_expression, attributes);
  }
  if (attributes_to_get) {
    std::set<std::string_view> seen;
    expr::Projection projection;
    for (const auto& name : *attributes_to_get) {
      if (!seen.insert(name).second) {
        throw_validation("One or more parameter values were invalid: Duplicate value in attribute name: " + name);
      }
      projection.push_back(expr::Path(name));
    }
    return projection;
  }
  return std::nullopt;
}

void reject_legacy(bool present, std::string_view parameter, std::string_view replacement) {
  if (!present) return;
  // dynamo's engine implements the expression parameters only (docs/engine.md).
  throw_validation("The legacy parameter " + std::string(parameter) + " is not supported by dynamo's embedded engine; use " +
                   std::string(replacement) + " instead");
}

}  // namespace dynamo::engine::detail
