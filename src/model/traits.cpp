// Non-template helpers of the attribute traits: number conversions, type errors, JSON check.
#include <charconv>
#include <string>

#include <simdjson.h>

#include "dynamo/model/field.hpp"
#include "dynamo/model/json_text.hpp"
#include "dynamo/model/traits.hpp"

namespace dynamo {

std::string_view to_string(StoredAs stored_as) noexcept {
  switch (stored_as) {
    case StoredAs::string: return "string";
    case StoredAs::number: return "number";
    case StoredAs::binary: return "binary";
    case StoredAs::boolean: return "boolean";
    case StoredAs::null: return "null";
    case StoredAs::map: return "map";
    case StoredAs::list: return "list";
    case StoredAs::string_set: return "string set";
    case StoredAs::number_set: return "number set";
    case StoredAs::binary_set: return "binary set";
    case StoredAs::any: return "any value";
  }
  return "?";
}

namespace detail {

Number float_to_number(float value) {
  // The shortest text that reads back as this float: 0.1f is stored as 0.1, not as the
  // double nearest to it (0.100000001490116...).
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return Number::parse(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
}

Number double_to_number(double value) { return Number::from_double(value); }

void throw_wrong_type(StoredAs expected, const AttributeValue& found) {
  throw Error::validation("expected a " + std::string(to_string(expected)) + " value, found " +
                          std::string(type_tag(found.type())));
}

bool is_valid_json(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  const simdjson::padded_string padded(text);
  return parser.parse(padded).error() == simdjson::SUCCESS;
}

void throw_invalid_json(const std::string& text) {
  std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  throw Error::validation("JsonText is not well-formed JSON: " + shown);
}

Type wire_type(StoredAs stored_as) {
  switch (stored_as) {
    case StoredAs::string: return Type::string;
    case StoredAs::number: return Type::number;
    case StoredAs::binary: return Type::binary;
    case StoredAs::boolean: return Type::boolean;
    case StoredAs::null: return Type::null;
    case StoredAs::map: return Type::map;
    case StoredAs::list: return Type::list;
    case StoredAs::string_set: return Type::string_set;
    case StoredAs::number_set: return Type::number_set;
    case StoredAs::binary_set: return Type::binary_set;
    case StoredAs::any: break;
  }
  throw Error::validation("an untyped attribute has no single DynamoDB type");
}

}  // namespace detail
}  // namespace dynamo
