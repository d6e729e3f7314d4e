// Client settings: timeouts, retries, connection pool, extra headers, region and endpoint.
//
// Three layers, later wins: PynamoDB's defaults (the member initializers of ClientSettings),
// then a JSON file (the one DYNAMO_SETTINGS_FILE names, else ~/.config/dynamo/settings.json
// or /etc/dynamo/settings.json when present), then what the caller passes for one
// connection. Only keys that are present override: a file or a
// per-connection struct may set just one field. docs/settings.md describes the file.
//
//   // settings.json: {"read_timeout_seconds": 10, "extra_headers": {"X-Proxy": "on"}}
//   dynamo::auth::ClientSettings s =
//       dynamo::auth::resolve_client_settings({.max_retry_attempts = 5});
//   // s.read_timeout_seconds == 10 (file), s.max_retry_attempts == 5 (explicit),
//   // s.connect_timeout_seconds == 15 (default)
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/auth/client_settings.hpp"
#include "dynamo/auth/environment.hpp"

namespace dynamo::auth {

// The environment variable naming the settings file.
inline constexpr std::string_view settings_file_variable = "DYNAMO_SETTINGS_FILE";

// Throws dynamo::Error (code "InvalidConfiguration") naming the field of `settings` that
// breaks a rule of ClientSettings' fields, or an extra header that cannot be sent
// (malformed, a line break in its value, or one the protocol sets itself).
void check_operation_settings(const OperationSettings& settings);

// Whether `name` (in any case) is a header the protocol sets itself, which extra headers
// may not replace: Host, Content-Type, Content-Length, X-Amz-Target, Authorization,
// X-Amz-Date, X-Amz-Security-Token, Expect.
[[nodiscard]] bool is_protocol_header(std::string_view name) noexcept;

// Reads a settings file. Throws dynamo::Error (code "InvalidConfiguration") naming the file
// and, where there is one, the key: unreadable file, invalid JSON, not an object, unknown
// or repeated key, wrong type, out-of-range value.
[[nodiscard]] ClientSettingsOverrides read_settings_file(const std::filesystem::path& path);

// Throws dynamo::Error (code "InvalidConfiguration") naming the first field that breaks its
// rule; `source` names where the values came from, for the message.
void validate_settings(const ClientSettingsOverrides& settings, std::string_view source);

// The settings file read when DYNAMO_SETTINGS_FILE is not set and the user has none.
inline constexpr std::string_view system_settings_file = "/etc/dynamo/settings.json";

// The settings file of `env`: the one DYNAMO_SETTINGS_FILE names (none when it is set to
// ""), else the first that exists of $XDG_CONFIG_HOME/dynamo/settings.json (or, without
// XDG_CONFIG_HOME, ~/.config/dynamo/settings.json) and /etc/dynamo/settings.json.
[[nodiscard]] std::optional<std::filesystem::path> settings_file_path(const Environment& env = process_environment());

// Defaults, then the settings file (settings_file_path()), then `per_connection`.
[[nodiscard]] ClientSettings resolve_client_settings(const ClientSettingsOverrides& per_connection = {},
                                                     const Environment& env = process_environment());

}  // namespace dynamo::auth
