// The INI dialect of ~/.aws/credentials and ~/.aws/config. Internal to the auth layer.
//
// Follows Python's configparser as botocore uses it: "[section]" headers, "key = value" or
// "key: value", keys case-insensitive (stored lowercase), '#' and ';' comments on their own
// line only (a '#' inside a value is part of the value), indented lines after a key are
// that key's continuation (skipped: no lookup here needs one) or, after a key with an empty
// value, nested sub-settings, stored as "key.sub" (the `services` sections use them). A repeated section merges into the earlier one.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dynamo::auth::detail {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection, std::less<>>;

// Throws dynamo::Error (InvalidConfiguration) naming `file_name` and the line number of a
// line that is neither a section, a setting nor a comment. The line itself is not quoted:
// it may hold a secret.
[[nodiscard]] IniFile parse_ini(std::string_view text, std::string_view file_name);

// nullopt when the file does not exist; throws as parse_ini does, or when it cannot be read.
[[nodiscard]] std::optional<IniFile> read_ini_file(const std::filesystem::path& path);

}  // namespace dynamo::auth::detail
