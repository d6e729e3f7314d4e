// UTF-8 validation: DynamoDB strings (values and attribute names) must be valid UTF-8.
//
//   if (!dynamo::is_valid_utf8(name)) throw ...;
#pragma once

#include <string_view>

namespace dynamo {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
// Vectorised (simdjson's validator), so it is cheap enough to run on every encode.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace dynamo
