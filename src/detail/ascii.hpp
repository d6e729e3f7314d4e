// Internal: ASCII case folding, for the names and keywords the protocols and languages define
// as case-insensitive (HTTP header names, media types, URL schemes, expression and PartiQL
// keywords). ASCII only, whatever the process's locale: std::tolower would fold other bytes
// in some single-byte locales.
#pragma once

#include <algorithm>
#include <string_view>

namespace dynamo::detail {

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Whether `a` and `b` are equal once ASCII letters are folded to one case.
constexpr bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

}  // namespace dynamo::detail
