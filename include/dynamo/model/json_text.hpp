// dynamo::JsonText — JSON text stored as a string attribute (PynamoDB's JSONAttribute).
//
//   struct Settings { std::string user; dynamo::JsonText prefs; };
//   Settings s{.user = "ann", .prefs = dynamo::JsonText{R"({"theme":"dark"})"}};
//
// The text is checked to be one well-formed JSON document when it is stored and when it is
// read, so a typo fails at save() instead of when another program reads the item.
#pragma once

#include <string>

#include "dynamo/model/traits.hpp"

namespace dynamo {

struct JsonText {
  std::string text{};
  friend bool operator==(const JsonText&, const JsonText&) = default;
};

namespace detail {
[[noreturn]] void throw_invalid_json(const std::string& text);
}  // namespace detail

template <>
struct attribute_traits<JsonText> {
  static constexpr StoredAs stored_as = StoredAs::string;
  static AttributeValue to_attribute(const JsonText& v) {
    if (!detail::is_valid_json(v.text)) detail::throw_invalid_json(v.text);
    return AttributeValue(v.text);
  }
  static JsonText from_attribute(const AttributeValue& a) {
    const auto* s = a.get_if<std::string>();
    if (!s) detail::throw_wrong_type(stored_as, a);
    if (!detail::is_valid_json(*s)) detail::throw_invalid_json(*s);
    return JsonText{*s};
  }
};

}  // namespace dynamo
