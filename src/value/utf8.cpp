#include "dynamo/value/utf8.hpp"

#include <simdjson.h>

namespace dynamo {

bool is_valid_utf8(std::string_view text) noexcept { return simdjson::validate_utf8(text.data(), text.size()); }

}  // namespace dynamo
