// Reading what a user types or an import file holds into items: plain JSON and DynamoDB
// JSON objects, `name=value` key pairs typed by the table's key schema, and the
// --names/--values maps of expressions.
//
//   parse_item(R"({"id": 7, "tags": ["a"]})", JsonFlavor::automatic)   // id N, tags L
//   parse_item(R"({"id": {"N": "7"}})", JsonFlavor::automatic)         // DynamoDB JSON
//   parse_key({"id=7"}, {{"id", ScalarAttributeType::n}}, "Thread")     // {"id": N 7}
//   parse_import_line(R"({"Item": {"id": {"N": "7"}}})")                // DynamoDB's export format
//
// Plain JSON maps exactly: strings to S, numbers to N (their decimal text kept digit for
// digit), true/false to BOOL, null to NULL, arrays to L, objects to M. Every function throws
// InputError, a one-line message saying what is wrong and where; none trusts its input.
#pragma once

#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/api/enums.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::cli {

// A mistake in the user's input (an argument, an option, a line of a file).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class JsonFlavor {
  automatic,  // DynamoDB JSON when every attribute is a one-member object named by a type tag
  plain,
  dynamodb,
};

// One key attribute of a table or index, in key schema order (hash first).
struct KeyAttribute {
  std::string name;
  api::ScalarAttributeType type{};
};

// A JSON object as an item (or as the map of --values).
[[nodiscard]] Item parse_item(std::string_view json, JsonFlavor flavor);

// True when `json` is an object whose every member is {"<type tag>": ...}: DynamoDB JSON.
[[nodiscard]] bool looks_like_dynamodb_json(std::string_view json);

// --names: {"#n": "name", ...}.
[[nodiscard]] std::map<std::string, std::string> parse_names(std::string_view json);

// One `name=value` pair's value, typed as the key attribute `type` (B is base64 text).
[[nodiscard]] AttributeValue parse_key_value(std::string_view text, api::ScalarAttributeType type,
                                             std::string_view name);

// `name=value` pairs naming every attribute of `schema` once, and nothing else.
[[nodiscard]] Item parse_key(std::span<const std::string> pairs, std::span<const KeyAttribute> schema,
                             std::string_view table);

// --parameters of a PartiQL statement: a JSON array of values, each plain JSON or a DynamoDB
// JSON value ({"N": "1"}).
[[nodiscard]] std::vector<AttributeValue> parse_parameters(std::string_view json);

// One line of an import file: {"Item": {DynamoDB JSON}} (DynamoDB's export format) or a
// plain JSON object.
[[nodiscard]] Item parse_import_line(std::string_view line);

}  // namespace dynamo::cli
