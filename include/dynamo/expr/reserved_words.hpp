// DynamoDB's reserved words: names that may not appear unquoted in an expression.
//
//   dynamo::expr::is_reserved_word("Size");   // true (case-insensitive): write `#s` instead
//
// The list is the Developer Guide's "Reserved words in DynamoDB" (573 words), kept in one
// place: src/expr/reserved_words.cpp.
#pragma once

#include <span>
#include <string_view>

namespace dynamo::expr {

// True when `word` (any case) is reserved.
[[nodiscard]] bool is_reserved_word(std::string_view word) noexcept;

// The whole list, upper case, sorted.
[[nodiscard]] std::span<const std::string_view> reserved_words() noexcept;

}  // namespace dynamo::expr
