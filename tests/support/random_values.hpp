// Test support: random AttributeValues and Items covering every type, for round-trip and
// property tests. Deterministic for a given seed.
#pragma once

#include <random>
#include <string>

#include "dynamo/value/attribute_value.hpp"

namespace dynamo::testing {

class RandomValues {
 public:
  explicit RandomValues(std::uint64_t seed) : rng_(seed) {}

  // Any value; containers nest at most `max_depth` levels.
  AttributeValue value(int max_depth = 4) {
    const int kinds = max_depth > 0 ? 10 : 8;
    switch (pick(kinds)) {
      case 0: return text();
      case 1: return number();
      case 2: return binary();
      case 3: return pick(2) == 0;
      case 4: return Null{};
      case 5: {
        StringSet set;
        for (int i = 0, n = 1 + pick(5); i < n; ++i) set.insert(text());
        return set;
      }
      case 6: {
        NumberSet set;
        for (int i = 0, n = 1 + pick(5); i < n; ++i) set.insert(number());
        return set;
      }
      case 7: {
        BinarySet set;
        for (int i = 0, n = 1 + pick(5); i < n; ++i) set.insert(binary());
        return set;
      }
      case 8: {
        List list;
        for (int i = 0, n = pick(5); i < n; ++i) list.push_back(value(max_depth - 1));
        return list;
      }
      default: return item(max_depth - 1, 4);
    }
  }

  Item item(int max_depth = 3, int max_attributes = 12) {
    Item result;
    for (int i = 0, n = pick(max_attributes + 1); i < n; ++i) result.insert_or_assign(text(), value(max_depth));
    return result;
  }

  // Text mixing ASCII, characters that JSON must escape, and multi-byte UTF-8.
  std::string text() {
    static const char* const pieces[] = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
                                         "\xc3\xa9", "\xe2\x9c\x93", "\xf0\x9f\x98\x80", "key", "."};
    std::string out;
    for (int i = 0, n = pick(12); i < n; ++i) out += pieces[pick(static_cast<int>(std::size(pieces)))];
    return out;
  }

  Number number() {
    std::string digits = pick(2) ? "-" : "";
    for (int i = 0, n = 1 + pick(38); i < n; ++i) digits.push_back(static_cast<char>('0' + pick(10)));
    digits += "e" + std::to_string(pick(160) - 90);
    return Number::parse(digits);
  }

  Binary binary() {
    std::string bytes;
    for (int i = 0, n = pick(20); i < n; ++i) bytes.push_back(static_cast<char>(pick(256)));
    return Binary(std::move(bytes));
  }

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

 private:
  std::mt19937_64 rng_;
};

}  // namespace dynamo::testing
