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

#include "dynamo/auth/environment.hpp"

namespace dynamo::auth {

// The environment variable naming the settings file.
inline constexpr std::string_view settings_file_variable = "DYNAMO_SETTINGS_FILE";

// What one connection (or the settings file) asks for. Unset fields fall through to the
// next layer down. Validation rules are those of ClientSettings' fields. (Every member has
// an initializer so that a designated initializer may leave any of them out without
// GCC's -Wmissing-field-initializers firing; the same holds for the other option structs.)
struct ClientSettingsOverrides {
  std::optional<double> connect_timeout_seconds{};
  std::optional<double> read_timeout_seconds{};
  std::optional<int> max_retry_attempts{};
  std::optional<int> base_backoff_ms{};
  std::optional<std::string> region{};
  std::optional<int> max_pool_connections{};
  std::optional<std::map<std::string, std::string>> extra_headers{};
  std::optional<std::string> endpoint{};
  std::optional<double> call_timeout_seconds{};
};

// Settings of one call, over those of its connection (PynamoDB's OperationSettings):
// each field that is set replaces the connection's for that call only, and extra_headers
// are sent besides the connection's (a header of the same name, in any case, replaces the
// connection's). The rules of ClientSettings' fields apply; a header the protocol sets
// itself or one with a line break is refused.
//   db.with_settings({.read_timeout_seconds = 2, .extra_headers = {{"X-Trace", id}}}).get_item(...)
struct OperationSettings {
  std::optional<double> connect_timeout_seconds{};
  std::optional<double> read_timeout_seconds{};
  std::optional<int> max_retry_attempts{};
  std::optional<int> base_backoff_ms{};
  std::optional<double> call_timeout_seconds{};
  std::map<std::string, std::string> extra_headers{};
};

// Throws dynamo::Error (code "InvalidConfiguration") naming the field of `settings` that
// breaks a rule of ClientSettings' fields, or an extra header that cannot be sent
// (malformed, a line break in its value, or one the protocol sets itself).
void check_operation_settings(const OperationSettings& settings);

// Whether `name` (in any case) is a header the protocol sets itself, which extra headers
// may not replace: Host, Content-Type, Content-Length, X-Amz-Target, Authorization,
// X-Amz-Date, X-Amz-Security-Token, Expect.
[[nodiscard]] bool is_protocol_header(std::string_view name) noexcept;

// The settings a connection runs with.
struct ClientSettings {
  double connect_timeout_seconds = 15;  // > 0
  double read_timeout_seconds = 30;     // > 0
  int max_retry_attempts = 3;           // >= 0; retries after the first attempt
  int base_backoff_ms = 25;             // >= 0; see RetryPolicy
  // Unset: resolve_region()'s chain (AWS_REGION, config file, ..., "us-east-1") decides.
  // Set (here or in the file): it is the explicit region of that chain.
  std::optional<std::string> region{};
  int max_pool_connections = 10;  // >= 1
  // Sent with every request, and signed. A proxy that strips them must do so before the
  // request reaches AWS, or AWS answers InvalidSignatureException. A per-connection map
  // replaces the file's map as a whole.
  std::map<std::string, std::string> extra_headers{};
  // PynamoDB's `host`: a full URL such as "http://localhost:8000". Unset: AWS's endpoint
  // for the region.
  std::optional<std::string> endpoint{};
  // A deadline for a whole call, retries and their waits included (>= 0; 0: none, each
  // attempt is bounded by the timeouts above). No retry starts that could not end in time,
  // and the last attempt is cut off at the deadline.
  double call_timeout_seconds = 0;

  // A copy with every field that `overrides` sets replaced.
  [[nodiscard]] ClientSettings overridden_by(const ClientSettingsOverrides& overrides) const;
};

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
