// The settings structs of a connection and of one call (timeouts, retries, pool size,
// extra headers, region, endpoint), on their own so that ConnectionOptions can hold them
// without the functions that read and check them (dynamo/auth/settings.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace dynamo::auth {

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

}  // namespace dynamo::auth
