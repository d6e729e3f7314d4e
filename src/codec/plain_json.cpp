// Plain JSON of values and items (include/dynamo/codec/plain_json.hpp): written with our
// JsonWriter, read with simdjson's On-Demand API (numbers are taken from their raw token,
// so they keep every digit).
#include "dynamo/codec/plain_json.hpp"

#include <simdjson.h>

#include <type_traits>
#include <utility>
#include <vector>

#include "codec/base64.hpp"
#include "codec/json_writer.hpp"
#include "codec/value_json.hpp"
#include "dynamo/value/utf8.hpp"

namespace dynamo {
namespace {

using detail::JsonPath;
using detail::JsonPathStep;
using detail::JsonWriter;

// ---- writing ----

void check_depth(int depth, const JsonPath& path) {
  if (depth > max_nesting_depth) {
    path.fail(error_code::validation,
              "nesting of maps and lists exceeds the limit of " + std::to_string(max_nesting_depth) + " levels");
  }
}

void write_text(JsonWriter& writer, std::string_view text, const JsonPath& path, bool is_key) {
  if (!is_valid_utf8(text))
    path.fail(error_code::validation, std::string(is_key ? "attribute name" : "string") + " is not valid UTF-8");
  if (is_key) {
    writer.key(text);
  } else {
    writer.string(text);
  }
}

void write_number(JsonWriter& writer, const Number& number, std::string& scratch) {
  scratch.clear();
  number.append_to(scratch);  // canonical decimal text: valid JSON number syntax
  writer.raw_json(scratch);
}

void write_binary(JsonWriter& writer, const Binary& bytes, std::string& scratch) {
  scratch.clear();
  detail::base64_encode(bytes.view(), scratch);
  writer.string(scratch);
}

void write_members(JsonWriter& writer, const AttributeMap& map, JsonPath& path, int depth, std::string& scratch);

void write_value(JsonWriter& writer, const AttributeValue& value, JsonPath& path, int depth, std::string& scratch) {
  value.visit([&](const auto& v) {
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::string>) {
      write_text(writer, v, path, false);
    } else if constexpr (std::is_same_v<T, Number>) {
      write_number(writer, v, scratch);
    } else if constexpr (std::is_same_v<T, Binary>) {
      write_binary(writer, v, scratch);
    } else if constexpr (std::is_same_v<T, bool>) {
      writer.boolean(v);
    } else if constexpr (std::is_same_v<T, Null>) {
      writer.null();
    } else if constexpr (std::is_same_v<T, AttributeMap>) {
      check_depth(depth + 1, path);
      write_members(writer, v, path, depth + 1, scratch);
    } else if constexpr (std::is_same_v<T, List>) {
      check_depth(depth + 1, path);
      writer.start_array();
      std::size_t index = 0;
      for (const AttributeValue& element : v) {
        JsonPathStep step(path, index++);
        write_value(writer, element, path, depth + 1, scratch);
      }
      writer.end_array();
    } else {
      writer.start_array();
      std::size_t index = 0;
      for (const auto& element : v) {
        JsonPathStep step(path, index++);
        if constexpr (std::is_same_v<T, StringSet>) {
          write_text(writer, element, path, false);
        } else if constexpr (std::is_same_v<T, NumberSet>) {
          write_number(writer, element, scratch);
        } else {
          static_assert(std::is_same_v<T, BinarySet>);
          write_binary(writer, element, scratch);
        }
      }
      writer.end_array();
    }
  });
}

void write_members(JsonWriter& writer, const AttributeMap& map, JsonPath& path, int depth, std::string& scratch) {
  writer.start_object();
  for (const auto& [name, member] : map) {
    JsonPathStep step(path, name);
    write_text(writer, name, path, true);
    write_value(writer, member, path, depth, scratch);
  }
  writer.end_object();
}

// ---- reading ----

namespace od = simdjson::ondemand;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

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

// Reads plain JSON into values, keeping where it is as views (formatted only on error).
class PlainReader {
 public:
  explicit PlainReader(std::string_view root) : root_(root) {}

  AttributeMap object(od::object object, int depth) {
    std::vector<AttributeMap::value_type> entries;
    for (auto field : object) {
      std::string_view raw_name = field.unescaped_key();
      std::string name(raw_name);
      if (!is_valid_utf8(name)) fail(error_code::validation, "an attribute name is not valid UTF-8");
      AttributeValue value;
      {
        Step step(*this, name);
        value = this->value(field.value(), depth + 1);
      }
      entries.emplace_back(std::move(name), std::move(value));
    }
    AttributeMap map;
    if (auto duplicate = map.assign_entries(std::move(entries)))
      fail(error_code::validation, "attribute \"" + *duplicate + "\" appears twice");
    return map;
  }

  AttributeValue value(od::value value, int depth) {
    // Maps and lists nest at most max_nesting_depth levels in DynamoDB; deeper input is
    // refused here rather than followed without bound.
    if (depth > max_nesting_depth)
      fail(error_code::validation, "nested deeper than " + std::to_string(max_nesting_depth) + " levels");
    switch (value.type().value()) {
      case od::json_type::object: return object(value.get_object(), depth);
      case od::json_type::array: {
        List list;
        std::size_t index = 0;
        for (auto element : value.get_array()) {
          Step step(*this, index++);
          list.push_back(this->value(element.value(), depth + 1));
        }
        return list;
      }
      case od::json_type::number: {
        const std::string_view text = trim(value.raw_json_token());
        Number::Problem problem{};
        if (auto number = Number::try_parse(text, &problem)) return *number;
        fail(error_code::validation,
             "\"" + std::string(text) + "\" is not a DynamoDB number (" + std::string(Number::describe(problem)) + ")");
      }
      case od::json_type::string: {
        std::string_view text = value.get_string();
        return std::string(text);
      }
      case od::json_type::boolean: return AttributeValue(static_cast<bool>(value.get_bool()));
      case od::json_type::null:
        if (!value.is_null()) fail(error_code::serialization, "invalid literal");
        return AttributeValue::null();
    }
    fail(error_code::serialization, "unexpected JSON value");
  }

  [[noreturn]] void fail(std::string_view code, std::string reason) const {
    throw JsonError(code, path(), std::move(reason));
  }

 private:
  struct Place {
    std::string_view name;  // used when index == npos
    std::size_t index;
  };
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  class Step {
   public:
    Step(PlainReader& reader, std::string_view name) : reader_(reader) { reader_.places_.push_back({name, npos}); }
    Step(PlainReader& reader, std::size_t index) : reader_(reader) { reader_.places_.push_back({{}, index}); }
    ~Step() { reader_.places_.pop_back(); }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

   private:
    PlainReader& reader_;
  };

  [[nodiscard]] std::string path() const {
    std::string out(root_);
    for (const Place& place : places_) {
      if (place.index == npos) {
        if (!out.empty()) out.push_back('.');
        out.append(place.name);
      } else {
        out += "[" + std::to_string(place.index) + "]";
      }
    }
    return out;
  }

  std::string_view root_;
  std::vector<Place> places_;
};

}  // namespace

void append_plain_json(std::string& out, const AttributeValue& value) {
  JsonWriter writer(out);
  JsonPath path("value");
  std::string scratch;
  write_value(writer, value, path, 0, scratch);
}

void append_plain_json(std::string& out, const Item& item) {
  JsonWriter writer(out);
  JsonPath path("Item");
  std::string scratch;
  write_members(writer, item, path, 0, scratch);
}

std::string to_plain_json(const AttributeValue& value) {
  std::string out;
  append_plain_json(out, value);
  return out;
}

std::string to_plain_json(const Item& item) {
  std::string out;
  append_plain_json(out, item);
  return out;
}

Item item_from_plain_json(std::string_view text, std::string_view root) {
  PlainReader reader(root);
  thread_local od::parser parser;  // reused: its buffers grow once per thread
  const simdjson::padded_string padded(text);
  try {
    od::document document = parser.iterate(padded);
    if (document.type().value() != od::json_type::object) reader.fail(error_code::serialization, "expected a JSON object");
    Item item = reader.object(document.get_object(), 1);
    if (!at_end(document)) reader.fail(error_code::serialization, "unexpected text after the JSON object");
    return item;
  } catch (const simdjson::simdjson_error& error) {
    reader.fail(error_code::serialization, json_problem(error));
  }
}

}  // namespace dynamo
