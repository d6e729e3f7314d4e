// Reading the settings file's text (docs/settings.md). Internal to the auth layer; declared
// here so that the fuzz target can feed it text without writing files.
#pragma once

#include <string_view>

#include "dynamo/auth/settings.hpp"

namespace dynamo::auth::detail {

// Parses and validates the JSON text of a settings file. Throws dynamo::Error (code
// "InvalidConfiguration") whose message starts with `source`, as read_settings_file does.
[[nodiscard]] ClientSettingsOverrides parse_settings_text(std::string_view json_text, std::string_view source);

}  // namespace dynamo::auth::detail
