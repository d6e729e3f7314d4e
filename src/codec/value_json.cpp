#include "codec/value_json.hpp"

#include <algorithm>
#include <ostream>

#include "codec/base64.hpp"
#include "detail/quote.hpp"
#include "dynamo/value/utf8.hpp"

namespace dynamo {

JsonError::JsonError(std::string_view code, std::string path, std::string reason)
    : Error(std::string(code), path + ": " + reason, 400), path_(std::move(path)), reason_(std::move(reason)) {}

namespace detail {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view describe_json_type(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a JSON number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "an unknown JSON value";
}


[[noreturn]] void wrong_shape(const JsonPath& path, std::string_view expected, element found) {
  path.fail(error_code::serialization,
            "expected " + std::string(expected) + ", found " + std::string(describe_json_type(found.type())));
}

std::string_view get_string(element e, const JsonPath& path, std::string_view expected) {
  std::string_view text;
  if (e.get_string().get(text) != simdjson::SUCCESS) wrong_shape(path, expected, e);
  return text;
}

simdjson::dom::array get_array(element e, const JsonPath& path, std::string_view expected) {
  simdjson::dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS) wrong_shape(path, expected, e);
  return array;
}

simdjson::dom::object get_object(element e, const JsonPath& path, std::string_view expected) {
  simdjson::dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) wrong_shape(path, expected, e);
  return object;
}

Number decode_number(std::string_view text, const JsonPath& path) {
  Number::Problem problem{};
  if (auto number = Number::try_parse(text, &problem)) return *number;
  switch (problem) {
    case Number::Problem::syntax: path.fail(error_code::validation, quote_for_message(text) + " is not a number");
    default:
      path.fail(error_code::validation, quote_for_message(text) + " is out of range: " + std::string(Number::describe(problem)));
  }
}

Binary decode_binary(std::string_view text, const JsonPath& path) {
  std::string bytes;
  if (auto problem = base64_decode(text, bytes)) {
    path.fail(error_code::validation, "invalid base64 (" + std::string(problem->reason) + " at offset " +
                                          std::to_string(problem->offset) + ")");
  }
  return Binary(std::move(bytes));
}

// Reports the second occurrence of a duplicate set element, by position in the input.
template <class T, class Decode>
[[noreturn]] void fail_duplicate(simdjson::dom::array array, JsonPath& path, const T& duplicate, Decode decode,
                                 std::string_view set_name) {
  bool seen = false;
  std::size_t index = 0;
  for (element e : array) {
    JsonPathStep step(path, index);
    if (decode(get_string(e, path, "a string"), path) == duplicate) {
      if (seen) {
        path.fail(error_code::validation, "duplicate element in " + std::string(set_name) +
                                              ": sets may not hold the same value twice");
      }
      seen = true;
    }
    ++index;
  }
  path.fail(error_code::validation, "duplicate element in " + std::string(set_name));
}

template <class T, class Decode>
Set<T> decode_set(element e, JsonPath& path, Decode decode, std::string_view set_name) {
  auto array = get_array(e, path, "an array of strings");
  std::vector<T> elements;
  elements.reserve(array.size());
  std::size_t index = 0;
  for (element member : array) {
    JsonPathStep step(path, index++);
    elements.push_back(decode(get_string(member, path, "a string"), path));
  }
  if (elements.empty()) {
    path.fail(error_code::validation, "an empty " + std::string(set_name) + " is invalid: DynamoDB sets may not be empty");
  }
  std::sort(elements.begin(), elements.end());
  if (auto dup = std::adjacent_find(elements.begin(), elements.end()); dup != elements.end()) {
    fail_duplicate(array, path, *dup, decode, set_name);
  }
  return Set<T>::from_sorted_unique(std::move(elements));
}

void check_depth(int depth, const JsonPath& path) {
  if (depth > max_nesting_depth) {
    path.fail(error_code::validation, "nesting of maps and lists exceeds the limit of " +
                                          std::to_string(max_nesting_depth) + " levels");
  }
}

std::string_view first_invalid_utf8_hint(std::string_view text, std::size_t& offset) {
  // Scalar scan, only run after the vectorised check has failed, to say where.
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size() || !is_valid_utf8(text.substr(i, length))) {
      offset = i;
      return "invalid UTF-8";
    }
    i += length;
  }
  offset = text.size();
  return "invalid UTF-8";
}

}  // namespace

std::string JsonPath::to_string() const {
  std::string out(root_);
  for (std::size_t i = 0; i < std::min(depth_, capacity); ++i) {
    const Step& step = steps_[i];
    if (step.index == npos) {
      out.push_back('.');
      out.append(step.name);
    } else {
      out.push_back('[');
      out.append(std::to_string(step.index));
      out.push_back(']');
    }
  }
  if (depth_ > capacity) out.append("...");
  return out;
}

void JsonPath::fail(std::string_view code, std::string reason) const {
  throw JsonError(code, to_string(), std::move(reason));
}

AttributeValue decode_value(element e, JsonPath& path, int depth) {
  auto object = get_object(e, path, "an attribute value object such as {\"S\": \"text\"}");
  auto field = object.begin();
  if (field == object.end()) {
    path.fail(error_code::validation,
              "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  const std::string_view tag = field.key();
  const element content = field.value();
  if (++field != object.end()) {
    path.fail(error_code::validation,
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
              "supported datatypes");
  }
  const auto type = type_from_tag(tag);
  if (!type) {
    path.fail(error_code::serialization,
              "unknown type tag " + quote_for_message(tag) + " (expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
  }
  JsonPathStep step(path, tag);
  switch (*type) {
    case Type::string: return std::string(get_string(content, path, "a string"));
    case Type::number: return decode_number(get_string(content, path, "a number in a string"), path);
    case Type::binary: return decode_binary(get_string(content, path, "base64 text"), path);
    case Type::boolean: {
      bool flag = false;
      if (content.get_bool().get(flag) != simdjson::SUCCESS) wrong_shape(path, "true or false", content);
      return flag;
    }
    case Type::null: {
      bool flag = false;
      if (content.get_bool().get(flag) != simdjson::SUCCESS) wrong_shape(path, "true", content);
      if (!flag) path.fail(error_code::validation, "Null attribute value types must have the value of true");
      return Null{};
    }
    case Type::map: {
      check_depth(depth + 1, path);
      return decode_item(content, path, depth + 1);
    }
    case Type::list: {
      check_depth(depth + 1, path);
      auto array = get_array(content, path, "an array of attribute values");
      List list;
      list.reserve(array.size());
      std::size_t index = 0;
      for (element member : array) {
        JsonPathStep element_step(path, index++);
        list.push_back(decode_value(member, path, depth + 1));
      }
      return list;
    }
    case Type::string_set:
      return decode_set<std::string>(
          content, path, [](std::string_view text, const JsonPath&) { return std::string(text); }, "string set (SS)");
    case Type::number_set: return decode_set<Number>(content, path, decode_number, "number set (NS)");
    case Type::binary_set: return decode_set<Binary>(content, path, decode_binary, "binary set (BS)");
  }
  path.fail(error_code::serialization, "unknown type");
}

Item decode_item(element e, JsonPath& path, int depth) {
  auto object = get_object(e, path, "an object of attribute values");
  std::vector<AttributeMap::value_type> entries;
  entries.reserve(object.size());
  for (auto field : object) {
    JsonPathStep step(path, field.key);
    entries.emplace_back(std::string(field.key), decode_value(field.value, path, depth));
  }
  Item item;
  if (auto duplicate = item.assign_entries(std::move(entries))) {
    path.fail(error_code::validation, "attribute name " + quote_for_message(*duplicate) + " appears more than once");
  }
  return item;
}

simdjson::dom::element parse_json(std::string_view text, std::string_view root) {
  thread_local simdjson::dom::parser parser;
  element document;
  const auto error = parser.parse(text.data(), text.size()).get(document);
  if (error == simdjson::SUCCESS) return document;
  JsonPath path(root);
  if (error == simdjson::UTF8_ERROR) {
    std::size_t offset = 0;
    const auto reason = first_invalid_utf8_hint(text, offset);
    path.fail(error_code::serialization, std::string(reason) + " at byte " + std::to_string(offset));
  }
  path.fail(error_code::serialization, std::string("malformed JSON: ") + simdjson::error_message(error));
}

namespace {

void write_text(JsonWriter& writer, std::string_view text, JsonPath& path, bool is_key) {
  if (!is_valid_utf8(text)) {
    std::size_t offset = 0;
    const auto reason = first_invalid_utf8_hint(text, offset);
    path.fail(error_code::validation, std::string(is_key ? "attribute name" : "string") + " is not valid UTF-8 (" +
                                          std::string(reason) + " at byte " + std::to_string(offset) + ")");
  }
  if (is_key) {
    writer.key(text);
  } else {
    writer.string(text);
  }
}

void write_number(JsonWriter& writer, const Number& number) {
  thread_local std::string scratch;
  scratch.clear();
  number.append_to(scratch);
  writer.string(scratch);
}

void write_binary(JsonWriter& writer, const Binary& bytes) {
  thread_local std::string scratch;
  scratch.clear();
  base64_encode(bytes.view(), scratch);
  writer.string(scratch);
}

}  // namespace

void write_value(JsonWriter& writer, const AttributeValue& value, JsonPath& path, int depth) {
  writer.start_object();
  const std::string_view tag = type_tag(value.type());
  writer.key(tag);
  JsonPathStep step(path, tag);
  value.visit([&](const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      write_text(writer, v, path, false);
    } else if constexpr (std::is_same_v<T, Number>) {
      write_number(writer, v);
    } else if constexpr (std::is_same_v<T, Binary>) {
      write_binary(writer, v);
    } else if constexpr (std::is_same_v<T, bool>) {
      writer.boolean(v);
    } else if constexpr (std::is_same_v<T, Null>) {
      writer.boolean(true);
    } else if constexpr (std::is_same_v<T, AttributeMap>) {
      check_depth(depth + 1, path);
      write_item(writer, v, path, depth + 1);
    } else if constexpr (std::is_same_v<T, List>) {
      check_depth(depth + 1, path);
      writer.start_array();
      std::size_t index = 0;
      for (const auto& element : v) {
        JsonPathStep element_step(path, index++);
        write_value(writer, element, path, depth + 1);
      }
      writer.end_array();
    } else {
      writer.start_array();
      std::size_t index = 0;
      for (const auto& element : v) {
        JsonPathStep element_step(path, index++);
        if constexpr (std::is_same_v<T, StringSet>) {
          write_text(writer, element, path, false);
        } else if constexpr (std::is_same_v<T, NumberSet>) {
          write_number(writer, element);
        } else {
          write_binary(writer, element);
        }
      }
      writer.end_array();
    }
  });
  writer.end_object();
}

void write_item(JsonWriter& writer, const Item& item, JsonPath& path, int depth) {
  writer.start_object();
  for (const auto& [name, value] : item) {
    JsonPathStep step(path, name);
    write_text(writer, name, path, true);
    write_value(writer, value, path, depth);
  }
  writer.end_object();
}

}  // namespace detail

namespace json {

void encode_to(std::string& out, const Item& item) {
  detail::JsonWriter writer(out);
  detail::JsonPath path("Item");
  detail::write_item(writer, item, path);
}

void encode_to(std::string& out, const AttributeValue& value) {
  detail::JsonWriter writer(out);
  detail::JsonPath path("value");
  detail::write_value(writer, value, path);
}

std::string encode(const AttributeValue& value) {
  std::string out;
  encode_to(out, value);
  return out;
}

std::string encode(const Item& item) {
  std::string out;
  encode_to(out, item);
  return out;
}

AttributeValue decode_value(std::string_view text, std::string_view root) {
  const auto document = detail::parse_json(text, root);
  detail::JsonPath path(root);
  return detail::decode_value(document, path);
}

Item decode_item(std::string_view text, std::string_view root) {
  const auto document = detail::parse_json(text, root);
  detail::JsonPath path(root);
  return detail::decode_item(document, path);
}

}  // namespace json

namespace {
template <class T>
std::ostream& print(std::ostream& out, const T& value) {
  try {
    return out << json::encode(value);
  } catch (const JsonError& e) {
    return out << "<unencodable: " << e.what() << ">";
  }
}
}  // namespace

std::ostream& operator<<(std::ostream& out, const AttributeValue& value) { return print(out, value); }
std::ostream& operator<<(std::ostream& out, const AttributeMap& map) { return print(out, map); }

}  // namespace dynamo
