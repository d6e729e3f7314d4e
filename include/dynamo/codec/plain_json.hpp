// Plain JSON: items as ordinary JSON objects, without DynamoDB's type tags (what PynamoDB's
// to_simple_dict() gives, and what the `dynamo` command prints and reads).
//
//   dynamo::Item item{{"id", 7}, {"tags", dynamo::StringSet{"a", "b"}}, {"raw", dynamo::Binary{0, 1, 2}}};
//   std::string text = dynamo::to_plain_json(item);   // {"id":7,"raw":"AAEC","tags":["a","b"]}
//   dynamo::Item back = dynamo::item_from_plain_json(R"({"id": 7, "tags": ["a", "b"]})");
//
// Writing: S as a JSON string, N as a JSON number with its exact digits (never through a
// double), B as base64 text, BOOL as true/false, NULL as null, M as an object, L as an
// array, and SS, NS and BS as arrays of strings, numbers and base64 texts.
//
// Reading knows no schema, so it maps JSON's own types: strings to S, numbers to N (digit
// for digit), true/false to BOOL, null to NULL, arrays to L, objects to M. Plain JSON cannot
// tell a set from a list or base64 text from a string; to read through a model's schema,
// which knows, use dynamo::from_plain_json<T>() (dynamo/model/serialize.hpp).
//
// Both directions throw dynamo::JsonError (dynamo/codec/json.hpp) naming the spot:
// `Item.tags[2]: string is not valid UTF-8`, `Item.a.b: "1e999" is not a DynamoDB number (...)`.
#pragma once

#include <string>
#include <string_view>

#include "dynamo/codec/json.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo {

// The plain JSON of a value: "text", 12.5, "AAEC", true, null, {...}, [...].
[[nodiscard]] std::string to_plain_json(const AttributeValue& value);
// The plain JSON of an item (or of a map's members): {"name": value, ...}.
[[nodiscard]] std::string to_plain_json(const Item& item);
// Append the same text to `out` (reuse one buffer across calls).
void append_plain_json(std::string& out, const AttributeValue& value);
void append_plain_json(std::string& out, const Item& item);

// The item a plain JSON object describes. Throws JsonError: code SerializationException for
// text that is not one JSON object, ValidationException for what DynamoDB refuses (a number
// it cannot store, a name given twice, nesting deeper than 32 levels). `root` names the
// item in the error's path() ("Item.a.b"); with an empty root, path() starts at the
// attribute name ("a.b") and is empty for a problem of the whole text.
[[nodiscard]] Item item_from_plain_json(std::string_view text, std::string_view root = "Item");

}  // namespace dynamo
