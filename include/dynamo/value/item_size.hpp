// DynamoDB's size accounting for items and values: what the 400 KB item limit and the
// read/write capacity units are measured in.
//
// The rules are the Developer Guide's ("Item sizes and formats"):
//   * a string counts its UTF-8 bytes; a binary its raw bytes (not its base64 text);
//   * a number counts 1 byte per two significant digits, rounded up, plus 1 byte;
//   * BOOL and NULL count 1 byte;
//   * a list or map counts 3 bytes, plus 1 byte per element, plus its elements (a map's
//     element also counts its name's UTF-8 bytes);
//   * a set counts the sum of its elements;
//   * an item counts, for each attribute, its name's UTF-8 bytes plus its value.
// DynamoDB calls its number rule approximate; dynamo applies the documented formula.
//
//   if (dynamo::item_size(item) > dynamo::max_item_size) { ... }
#pragma once

#include <cstddef>

#include "dynamo/value/attribute_value.hpp"

namespace dynamo {

// The largest item DynamoDB stores: 400 KB.
inline constexpr std::size_t max_item_size = limits::item_bytes;

// Size of one value, without the name of the attribute holding it.
[[nodiscard]] std::size_t value_size(const AttributeValue& value) noexcept;
// Size of a number value: ceil(significant digits / 2) + 1.
[[nodiscard]] std::size_t number_size(const Number& number) noexcept;
// Size of an item: the sum of its attribute names and values.
[[nodiscard]] std::size_t item_size(const Item& item) noexcept;

}  // namespace dynamo
