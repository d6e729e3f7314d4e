#include "api/wire.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "detail/quote.hpp"
#include "dynamo/value/utf8.hpp"

namespace dynamo::api::wire {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string_view describe_json(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "an unknown JSON value";
}

// The service reports at most this many constraint violations in one message.
constexpr std::size_t max_violations = 10;

template <class Integer>
Integer read_integer(element e, const Location& location, std::string_view expected) {
  constexpr auto low = std::numeric_limits<Integer>::min();
  constexpr auto high = std::numeric_limits<Integer>::max();
  auto out_of_range = [&](std::string text) {
    throw JsonError(error_code::serialization, location.json_path(),
                    text + " is out of range for " + std::string(expected));
  };
  switch (e.type()) {
    case element_type::INT64: {
      const std::int64_t value = e.get_int64().value_unsafe();
      if (value < low || value > high) out_of_range(std::to_string(value));
      return static_cast<Integer>(value);
    }
    case element_type::UINT64: {
      const std::uint64_t value = e.get_uint64().value_unsafe();
      if (value > static_cast<std::uint64_t>(high)) out_of_range(std::to_string(value));
      return static_cast<Integer>(value);
    }
    case element_type::DOUBLE: {
      // The service truncates a fractional number given for an integer member (Limit 2.5
      // means 2) rather than rejecting it; we do the same within range.
      const double value = std::floor(e.get_double().value_unsafe());
      if (!(value >= static_cast<double>(low) && value < static_cast<double>(high))) {
        out_of_range(std::to_string(e.get_double().value_unsafe()));
      }
      return static_cast<Integer>(value);
    }
    default:
      throw JsonError(error_code::serialization, location.json_path(),
                      "expected " + std::string(expected) + ", found " + std::string(describe_json(e.type())));
  }
}

std::string lower_first(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

// A separate parser for checking RawJson while encoding, so that a document the caller may
// still be reading (parsed by detail::parse_json's per-thread parser) stays valid.
bool is_json_object(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  element document;
  if (parser.parse(text.data(), text.size()).get(document) != simdjson::SUCCESS) return false;
  return document.type() == element_type::OBJECT;
}

}  // namespace

std::string Location::json_path() const {
  std::string out;
  for (const Step& step : steps_) {
    switch (step.kind) {
      case Kind::member:
      case Kind::key:
        if (!out.empty()) out.push_back('.');
        out.append(step.name);
        break;
      case Kind::index:
        out.push_back('[');
        out.append(std::to_string(step.index));
        out.push_back(']');
        break;
    }
  }
  return out.empty() ? std::string("body") : out;
}

std::string Location::member_path() const {
  // The service's own spelling: members in lower camel case, list elements as
  // "<1-based index>.member", map entries as "<key>.member".
  std::string out;
  for (const Step& step : steps_) {
    if (!out.empty()) out.push_back('.');
    switch (step.kind) {
      case Kind::member: out.append(lower_first(step.name)); break;
      case Kind::index:
        out.append(std::to_string(step.index + 1));
        out.append(".member");
        break;
      case Kind::key:
        out.append(step.name);
        out.append(".member");
        break;
    }
  }
  return out;
}

void Reader::finish() const {
  if (violations_.empty()) return;
  std::string message = std::to_string(violations_.size());
  message.append(violations_.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (std::size_t i = 0; i < violations_.size(); ++i) {
    if (i > 0) message.append("; ");
    message.append(violations_[i]);
  }
  throw Error::validation(std::move(message));
}

void Reader::wrong_type(std::string_view expected, element found) const {
  throw JsonError(error_code::serialization, location_.json_path(),
                  "expected " + std::string(expected) + ", found " + std::string(describe_json(found.type())));
}

std::string_view Reader::expect_string(element e) const {
  std::string_view text;
  if (e.get_string().get(text) != simdjson::SUCCESS) wrong_type("a string", e);
  return text;
}

simdjson::dom::array Reader::expect_array(element e) const {
  simdjson::dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS) wrong_type("an array", e);
  return array;
}

simdjson::dom::object Reader::expect_object(element e) const {
  simdjson::dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) wrong_type("an object", e);
  return object;
}

void Reader::violation(std::string text) {
  if (violations_.size() < max_violations) violations_.push_back(std::move(text));
}

void Reader::missing(std::string_view name) {
  location_.push({Location::Kind::member, name, 0});
  std::string path = location_.member_path();
  location_.pop();
  violation("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
}

void Reader::invalid_enum(std::string_view value, std::string_view value_set) {
  // The service echoes the value in full; cut it so that a huge value does not make a huge
  // message.
  std::string shown(value.substr(0, 256));
  violation("Value '" + shown + "' at '" + location_.member_path() +
            "' failed to satisfy constraint: Member must satisfy enum value set: " + std::string(value_set));
}

void Reader::read(element e, std::string& out) { out = expect_string(e); }

void Reader::read(element e, bool& out) {
  if (e.get_bool().get(out) != simdjson::SUCCESS) wrong_type("a boolean", e);
}

void Reader::read(element e, int& out) { out = read_integer<int>(e, location_, "an integer"); }

void Reader::read(element e, std::int64_t& out) {
  out = read_integer<std::int64_t>(e, location_, "a 64-bit integer");
}

void Reader::read(element e, double& out) {
  switch (e.type()) {
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: out = e.get_double().value_unsafe(); return;
    default: wrong_type("a number", e);
  }
}

namespace {

constexpr std::string_view invalid_values = "One or more parameter values were invalid: ";

// The strings of a set's JSON array, as given.
std::vector<std::string_view> set_members(simdjson::dom::array array) {
  std::vector<std::string_view> members;
  for (element member : array) {
    std::string_view text;
    if (member.get_string().get(text) == simdjson::SUCCESS) members.push_back(text);
  }
  return members;
}

std::string join_members(const std::vector<std::string_view>& members) {
  std::string out = "[";
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += ", ";
    out += members[i];
  }
  return out + "]";
}

bool has_duplicate(const std::vector<std::string_view>& members, bool numbers) {
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      if (members[i] == members[j]) return true;
      if (numbers) {
        const auto a = Number::try_parse(members[i]);
        const auto b = Number::try_parse(members[j]);
        if (a && b && *a == *b) return true;
      }
    }
  }
  return false;
}

// DynamoDB's own words for the attribute values it refuses that the codec also refuses (in
// its own words): NULL false, empty sets, sets holding a value twice. The texts, odd spacing
// included, are the service's as dynalite's tests (written against it) give them. Only run
// once decoding has failed, so a valid request pays nothing for it.
std::optional<std::string> service_value_problem(element e) {
  simdjson::dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  for (auto field : object) {
    const std::string_view tag = field.key;
    const element content = field.value;
    if (tag == "NULL") {
      bool flag = true;
      if (content.get_bool().get(flag) == simdjson::SUCCESS && !flag) {
        return std::string(invalid_values) + "Null attribute value types must have the value of true";
      }
    } else if (tag == "SS" || tag == "NS" || tag == "BS") {
      simdjson::dom::array array;
      if (content.get_array().get(array) != simdjson::SUCCESS) continue;
      const auto members = set_members(array);
      if (array.size() == 0) {
        if (tag == "SS") return std::string(invalid_values) + "An string set  may not be empty";
        if (tag == "NS") return std::string(invalid_values) + "An number set  may not be empty";
        return std::string(invalid_values) + "Binary sets should not be empty";
      }
      if (has_duplicate(members, tag == "NS")) {
        if (tag == "SS") return std::string(invalid_values) + "Input collection " + join_members(members) + " contains duplicates.";
        if (tag == "NS") return std::string("Input collection contains duplicates");
        return std::string(invalid_values) + "Input collection " + join_members(members) + "of type BS contains duplicates.";
      }
    } else if (tag == "M") {
      simdjson::dom::object members;
      if (content.get_object().get(members) != simdjson::SUCCESS) continue;
      for (auto member : members) {
        if (auto problem = service_value_problem(member.value)) return problem;
      }
    } else if (tag == "L") {
      simdjson::dom::array elements;
      if (content.get_array().get(elements) != simdjson::SUCCESS) continue;
      for (element member : elements) {
        if (auto problem = service_value_problem(member)) return problem;
      }
    }
  }
  return std::nullopt;
}

bool is_expression_values(std::string_view root) {
  constexpr std::string_view name = "ExpressionAttributeValues";
  return root.size() >= name.size() && root.substr(root.size() - name.size()) == name;
}

}  // namespace

void Reader::read(element e, AttributeMap& out) {
  const std::string root = location_.json_path();
  detail::JsonPath path(root);
  try {
    out = detail::decode_item(e, path);
  } catch (const JsonError& error) {
    simdjson::dom::object object;
    if (error.code() != error_code::validation || e.get_object().get(object) != simdjson::SUCCESS) throw;
    for (auto member : object) {
      auto problem = service_value_problem(member.value);
      if (!problem) continue;
      // In ExpressionAttributeValues the service names the placeholder.
      if (is_expression_values(root)) {
        throw Error::validation("ExpressionAttributeValues contains invalid value: " + *problem + " for key " +
                                std::string(member.key));
      }
      throw Error::validation(std::move(*problem));
    }
    throw;
  }
}

void Reader::read(element e, AttributeValue& out) {
  const std::string root = location_.json_path();
  detail::JsonPath path(root);
  try {
    out = detail::decode_value(e, path);
  } catch (const JsonError& error) {
    if (error.code() != error_code::validation) throw;
    if (auto problem = service_value_problem(e)) throw Error::validation(std::move(*problem));
    throw;
  }
}

void Reader::read(element e, RawJson& out) {
  (void)expect_object(e);
  out.text = simdjson::minify(e);
}

void Writer::write(std::string_view, const std::string& value) {
  if (!is_valid_utf8(value)) throw JsonError(error_code::validation, "request", "string is not valid UTF-8");
  json_.string(value);
}

void Writer::write(std::string_view, bool value) { json_.boolean(value); }
void Writer::write(std::string_view, int value) { json_.integer(value); }
void Writer::write(std::string_view, std::int64_t value) { json_.integer(value); }

void Writer::write(std::string_view name, double value) {
  if (!std::isfinite(value)) {
    throw JsonError(error_code::validation, std::string(name), "a number to encode is not finite");
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  // The service writes capacities as 1.0, not 1; keep the decimal point so that our
  // output reads like its output.
  if (text.find_first_of(".eE") == std::string_view::npos) {
    std::string with_fraction(text);
    with_fraction.append(".0");
    json_.raw_json(with_fraction);
    return;
  }
  json_.raw_json(text);
}

void Writer::write(std::string_view name, const AttributeMap& value) {
  detail::JsonPath path(name);
  detail::write_item(json_, value, path);
}

void Writer::write(std::string_view name, const AttributeValue& value) {
  detail::JsonPath path(name);
  detail::write_value(json_, value, path);
}

void Writer::write(std::string_view name, const RawJson& value) {
  if (!is_json_object(value.text)) {
    throw JsonError(error_code::validation, std::string(name), "RawJson text is not a JSON object");
  }
  // raw_json appends its argument verbatim after the separator: exactly what a
  // pre-encoded JSON value needs.
  json_.raw_json(value.text);
}

void Writer::write_key(std::string_view key) {
  if (!is_valid_utf8(key)) throw JsonError(error_code::validation, "request", "map key is not valid UTF-8");
  json_.key(key);
}

simdjson::dom::object parse_root(std::string_view json) {
  const element document = detail::parse_json(json, "body");
  simdjson::dom::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) {
    throw JsonError(error_code::serialization, "body",
                    "expected a JSON object, found " + std::string(describe_json(document.type())));
  }
  return object;
}

}  // namespace dynamo::api::wire
