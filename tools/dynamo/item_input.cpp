#include "item_input.hpp"

#include <simdjson.h>

#include "codec/base64.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/codec/plain_json.hpp"
#include "dynamo/value/utf8.hpp"
#include "output.hpp"

namespace dynamo::cli {
namespace {

namespace od = simdjson::ondemand;

// Whether the document holds nothing after the value just consumed (simdjson 3.0 has no
// document::at_end(); current_location() fails exactly when the end is reached).
bool at_end(od::document& document) { return document.current_location().error() != simdjson::SUCCESS; }

std::string json_problem(const simdjson::simdjson_error& error) {
  switch (error.error()) {
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::TAPE_ERROR: return "invalid or truncated JSON";
    default: return std::string("invalid JSON (") + simdjson::error_message(error.error()) + ")";
  }
}

// The schema-less reader of the codec (dynamo/codec/plain_json.hpp), with its problems as
// InputError: "a.b: reason", or the reason alone for a problem of the whole text.
Item plain_object(std::string_view json) {
  try {
    return item_from_plain_json(json, "");
  } catch (const JsonError& error) {
    throw InputError(error.path().empty() ? error.reason() : error.path() + ": " + error.reason());
  }
}

Item dynamodb_object(std::string_view json) {
  try {
    return json::decode_item(json, "item");
  } catch (const JsonError& error) {
    throw InputError(error.what());
  }
}

}  // namespace

bool looks_like_dynamodb_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get_object().get(object) != simdjson::SUCCESS) return false;
  if (object.size() == 0) return false;
  for (auto [name, value] : object) {
    simdjson::dom::object member;
    if (value.get_object().get(member) != simdjson::SUCCESS || member.size() != 1) return false;
    if (!type_from_tag((*member.begin()).key)) return false;
  }
  return true;
}

Item parse_item(std::string_view json, JsonFlavor flavor) {
  if (flavor == JsonFlavor::automatic) flavor = looks_like_dynamodb_json(json) ? JsonFlavor::dynamodb : JsonFlavor::plain;
  return flavor == JsonFlavor::dynamodb ? dynamodb_object(json) : plain_object(json);
}

std::map<std::string, std::string> parse_names(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get_object().get(object) != simdjson::SUCCESS)
    throw InputError("--names: expected a JSON object such as {\"#n\": \"name\"}");
  std::map<std::string, std::string> names;
  for (auto [placeholder, value] : object) {
    std::string_view name;
    if (value.get_string().get(name) != simdjson::SUCCESS)
      throw InputError("--names: the value of \"" + std::string(placeholder) + "\" is not a string");
    names.emplace(std::string(placeholder), std::string(name));
  }
  return names;
}

AttributeValue parse_key_value(std::string_view text, api::ScalarAttributeType type, std::string_view name) {
  const std::string who = "key " + std::string(name);
  switch (type) {
    case api::ScalarAttributeType::s:
      if (text.empty()) throw InputError(who + ": a key string cannot be empty");
      if (!is_valid_utf8(text)) throw InputError(who + ": not valid UTF-8");
      return std::string(text);
    case api::ScalarAttributeType::n:
      if (auto number = Number::try_parse(text)) return *number;
      throw InputError(who + ": \"" + std::string(text) + "\" is not a number (the key is of type N)");
    case api::ScalarAttributeType::b: {
      std::string bytes;
      if (auto problem = detail::base64_decode(text, bytes))
        throw InputError(who + ": not base64 text (the key is of type B): " + std::string(problem->reason) +
                         " at offset " + std::to_string(problem->offset));
      if (bytes.empty()) throw InputError(who + ": a key binary cannot be empty");
      return Binary(std::move(bytes));
    }
  }
  throw InputError(who + ": unknown key type");
}

Item parse_key(std::span<const std::string> pairs, std::span<const KeyAttribute> schema, std::string_view table) {
  Item key;
  for (const std::string& pair : pairs) {
    const auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0)
      throw InputError("\"" + pair + "\" is not a key as name=value");
    const std::string_view name = std::string_view(pair).substr(0, equals);
    const KeyAttribute* attribute = nullptr;
    for (const KeyAttribute& candidate : schema)
      if (candidate.name == name) attribute = &candidate;
    if (attribute == nullptr) {
      std::string names;
      for (const KeyAttribute& candidate : schema) names += (names.empty() ? "" : ", ") + candidate.name;
      throw InputError("\"" + std::string(name) + "\" is not a key attribute of " + std::string(table) + " (its key: " +
                       names + ")");
    }
    if (key.contains(name)) throw InputError("key " + std::string(name) + " is given twice");
    key.insert_or_assign(std::string(name), parse_key_value(std::string_view(pair).substr(equals + 1), attribute->type, name));
  }
  for (const KeyAttribute& attribute : schema)
    if (!key.contains(attribute.name))
      throw InputError("missing key " + attribute.name + "=... (the key of " + std::string(table) + " is " +
                       [&] {
                         std::string names;
                         for (const KeyAttribute& a : schema) names += (names.empty() ? "" : " and ") + a.name;
                         return names;
                       }() +
                       ")");
  return key;
}

std::vector<AttributeValue> parse_parameters(std::string_view json) {
  // Read as the member of a wrapping object, so the plain reader's checks apply unchanged.
  std::string wrapped = "{\"p\":";
  wrapped.append(json);
  wrapped += '}';
  Item holder;
  try {
    holder = plain_object(wrapped);
  } catch (const InputError& error) {
    throw InputError(std::string("--parameters: ") + error.what());
  }
  const AttributeValue* array = holder.find("p");
  if (holder.size() != 1 || array == nullptr || !array->is(Type::list))
    throw InputError("--parameters: expected a JSON array such as [\"C++\", 3]");
  std::vector<AttributeValue> values;
  for (const AttributeValue& value : array->as_list()) {
    const auto* map = value.get_if<AttributeMap>();
    if (map != nullptr && map->size() == 1 && type_from_tag(map->begin()->first)) {
      // {"N": "1"}: a DynamoDB JSON value. Its plain JSON text is its DynamoDB JSON text.
      std::string text;
      append_plain_json(text, value);
      try {
        values.push_back(json::decode_value(text, "parameter"));
      } catch (const JsonError& error) {
        throw InputError(std::string("--parameters: ") + error.what());
      }
    } else {
      values.push_back(value);
    }
  }
  return values;
}

Item parse_import_line(std::string_view line) {
  od::parser parser;
  const simdjson::padded_string padded(line);
  std::string_view inner;
  bool export_format = false;
  try {
    od::document document = parser.iterate(padded);
    if (document.type().value() != od::json_type::object) throw InputError("expected a JSON object");
    od::object object = document.get_object();
    std::size_t fields = 0;
    for (auto field : object) {
      ++fields;
      std::string_view name = field.unescaped_key();
      od::value value = field.value();
      if (fields == 1 && name == "Item" && value.type().value() == od::json_type::object) {
        od::object inner_object = value.get_object();
        inner = inner_object.raw_json();
        export_format = true;
      } else {
        export_format = false;
        break;
      }
    }
    if (export_format && !at_end(document)) throw InputError("unexpected text after the JSON object");
  } catch (const simdjson::simdjson_error& error) {
    throw InputError(json_problem(error));
  }
  if (export_format) return dynamodb_object(inner);
  return plain_object(line);
}

}  // namespace dynamo::cli
