// Internal: quoting user input inside error messages.
#pragma once

#include <string>
#include <string_view>

namespace dynamo::detail {

// `text` in double quotes, cut after 64 bytes so that a megabyte of bad input does not
// become a megabyte of error message.
inline std::string quote_for_message(std::string_view text) {
  constexpr std::size_t max_shown = 64;
  std::string quoted = "\"";
  quoted.append(text.substr(0, max_shown));
  if (text.size() > max_shown) quoted.append("...");
  quoted.push_back('"');
  return quoted;
}

}  // namespace dynamo::detail
