// DynamoDB JSON: the wire form of attribute values and items.
//
//   {"forum": {"S": "C++"}, "views": {"N": "12"}, "tags": {"SS": ["hot", "new"]}}
//
// Numbers travel as strings (never JSON numbers), binaries as base64 text, and every value
// is an object with exactly one type tag.
//
//   std::string text = dynamo::json::encode(item);
//   dynamo::Item back = dynamo::json::decode_item(text);   // back == item
//
// Decoding is strict and never crashes: malformed input throws dynamo::JsonError, whose
// message names the spot, e.g. `Item.tags.NS[2]: "1e" is not a number`. Its code() is
// SerializationException when the JSON has the wrong shape (a number where an object
// belongs) and ValidationException when it breaks one of DynamoDB's rules (an empty set, a
// duplicate set element, a bad number, nesting deeper than 32), as the service answers.
// Encoding checks what the types cannot guarantee (UTF-8 text, nesting depth) and throws
// the same error rather than emit something DynamoDB would reject.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "dynamo/error.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo {

// A malformed or invalid DynamoDB JSON document, with the location of the problem.
class JsonError : public Error {
 public:
  JsonError(std::string_view code, std::string path, std::string reason);

  // Where the problem is, e.g. "Item.tags.NS[2]" (map keys joined by '.', type tags as
  // their own step, list and set elements as [index]).
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  // What is wrong there, e.g. "\"1e\" is not a number".
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

namespace json {

// {"S": "text"} and the like.
[[nodiscard]] std::string encode(const AttributeValue& value);
// {"name": {"S": "text"}, ...}: an item, or a map's members.
[[nodiscard]] std::string encode(const Item& item);
// Appends the encoding of `item` to `out` (reuse one buffer across calls).
void encode_to(std::string& out, const Item& item);
void encode_to(std::string& out, const AttributeValue& value);

// Decodes one attribute value. `root` names the value in error paths.
[[nodiscard]] AttributeValue decode_value(std::string_view text, std::string_view root = "value");
// Decodes an item (a JSON object of attribute values). `root` names it in error paths.
[[nodiscard]] Item decode_item(std::string_view text, std::string_view root = "Item");

}  // namespace json

// DynamoDB JSON of the value (for logs, tests and debugging). Never throws: text that
// cannot be encoded is shown as a description of the problem.
std::ostream& operator<<(std::ostream& out, const AttributeValue& value);
std::ostream& operator<<(std::ostream& out, const AttributeMap& map);

}  // namespace dynamo
