#include "dynamo/auth/settings.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <limits>
#include <set>
#include <system_error>
#include <vector>

#include "auth/settings_file.hpp"
#include "dynamo/auth/credentials.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

[[noreturn]] void fail(std::string_view source, std::string message) {
  throw Error(std::string(error_code::invalid_configuration), std::string(source) + ": " + std::move(message),
              400);
}

std::string in_quotes(std::string_view key) { return "'" + std::string(key) + "'"; }

std::string_view type_name(simdjson::dom::element_type type) {
  using simdjson::dom::element_type;
  switch (type) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
      return "an integer";
    case element_type::DOUBLE:
      return "a fractional number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "an unknown JSON value";
}

void wrong_type(std::string_view source, std::string_view key, std::string_view expected,
                simdjson::dom::element value) {
  fail(source, "key " + in_quotes(key) + " must be " + std::string(expected) + ", not " +
                   std::string(type_name(value.type())));
}

double number_of_seconds(std::string_view source, std::string_view key, simdjson::dom::element value) {
  double seconds = 0;
  if (value.get_double().get(seconds) != simdjson::SUCCESS)
    wrong_type(source, key, "a number of seconds", value);
  return seconds;
}

int whole_number(std::string_view source, std::string_view key, simdjson::dom::element value) {
  std::int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS) {
    if (value.type() == simdjson::dom::element_type::UINT64) {
      fail(source, "key " + in_quotes(key) + " is too large");
    }
    wrong_type(source, key, "an integer", value);
  }
  if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
    fail(source, "key " + in_quotes(key) + " is out of range");
  }
  return static_cast<int>(number);
}

std::string text(std::string_view source, std::string_view key, simdjson::dom::element value) {
  std::string_view string;
  if (value.get_string().get(string) != simdjson::SUCCESS) wrong_type(source, key, "a string", value);
  return std::string(string);
}

std::map<std::string, std::string> string_map(std::string_view source, std::string_view key,
                                              simdjson::dom::element value) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    wrong_type(source, key, "an object of header names to string values", value);
  }
  std::map<std::string, std::string> headers;
  for (auto field : object) {
    const std::string name(field.key);
    headers[name] = text(source, std::string(key) + "." + name, field.value);
  }
  return headers;
}

// RFC 9110's token characters: anything else in a header name would break the request or
// smuggle a second header into it.
bool is_header_name(std::string_view name) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  });
}

}  // namespace

ClientSettings ClientSettings::overridden_by(const ClientSettingsOverrides& overrides) const {
  ClientSettings result = *this;
  if (overrides.connect_timeout_seconds) result.connect_timeout_seconds = *overrides.connect_timeout_seconds;
  if (overrides.read_timeout_seconds) result.read_timeout_seconds = *overrides.read_timeout_seconds;
  if (overrides.max_retry_attempts) result.max_retry_attempts = *overrides.max_retry_attempts;
  if (overrides.base_backoff_ms) result.base_backoff_ms = *overrides.base_backoff_ms;
  if (overrides.region) result.region = overrides.region;
  if (overrides.max_pool_connections) result.max_pool_connections = *overrides.max_pool_connections;
  if (overrides.extra_headers) result.extra_headers = *overrides.extra_headers;
  if (overrides.endpoint) result.endpoint = overrides.endpoint;
  if (overrides.call_timeout_seconds) result.call_timeout_seconds = *overrides.call_timeout_seconds;
  return result;
}

void validate_settings(const ClientSettingsOverrides& settings, std::string_view source) {
  const auto positive_seconds = [&](const std::optional<double>& value, std::string_view key) {
    if (value && !(std::isfinite(*value) && *value > 0)) {
      fail(source, "key " + in_quotes(key) + " must be a number of seconds greater than 0");
    }
  };
  const auto at_least = [&](const std::optional<int>& value, std::string_view key, int minimum) {
    if (value && *value < minimum) {
      fail(source, "key " + in_quotes(key) + " must be at least " + std::to_string(minimum));
    }
  };
  positive_seconds(settings.connect_timeout_seconds, "connect_timeout_seconds");
  positive_seconds(settings.read_timeout_seconds, "read_timeout_seconds");
  if (settings.call_timeout_seconds &&
      !(std::isfinite(*settings.call_timeout_seconds) && *settings.call_timeout_seconds >= 0)) {
    fail(source, "key 'call_timeout_seconds' must be a number of seconds, 0 or more (0: no deadline)");
  }
  at_least(settings.max_retry_attempts, "max_retry_attempts", 0);
  at_least(settings.base_backoff_ms, "base_backoff_ms", 0);
  at_least(settings.max_pool_connections, "max_pool_connections", 1);
  if (settings.region && settings.region->empty()) fail(source, "key 'region' must not be empty");
  if (settings.endpoint && !settings.endpoint->starts_with("http://") &&
      !settings.endpoint->starts_with("https://")) {
    fail(source, "key 'endpoint' must be a URL starting with http:// or https://");
  }
  if (settings.extra_headers) {
    for (const auto& [name, value] : *settings.extra_headers) {
      if (!is_header_name(name))
        fail(source, "extra_headers: " + in_quotes(name) + " is not a valid HTTP header name");
      if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos) {
        fail(source, "extra_headers: the value of " + in_quotes(name) + " contains a line break or NUL");
      }
    }
  }
}

ClientSettingsOverrides read_settings_file(const std::filesystem::path& path) {
  const std::string source = "settings file " + path.string();
  simdjson::padded_string json;
  if (auto error = simdjson::padded_string::load(path.string()).get(json); error != simdjson::SUCCESS) {
    fail(source, std::string("cannot be read (") + simdjson::error_message(error) + ")");
  }
  return detail::parse_settings_text(std::string_view(json.data(), json.size()), source);
}

namespace detail {

ClientSettingsOverrides parse_settings_text(std::string_view json_text, std::string_view source) {
  const simdjson::padded_string json(json_text);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json).get(root); error != simdjson::SUCCESS) {
    fail(source, std::string("is not valid JSON (") + simdjson::error_message(error) + ")");
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    fail(source, "must hold a JSON object, not " + std::string(type_name(root.type())));
  }

  ClientSettingsOverrides settings;
  std::set<std::string, std::less<>> seen;
  for (auto field : object) {
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    if (!seen.emplace(key).second) fail(source, "key " + in_quotes(key) + " appears twice");
    if (key == "connect_timeout_seconds")
      settings.connect_timeout_seconds = number_of_seconds(source, key, value);
    else if (key == "read_timeout_seconds")
      settings.read_timeout_seconds = number_of_seconds(source, key, value);
    else if (key == "max_retry_attempts")
      settings.max_retry_attempts = whole_number(source, key, value);
    else if (key == "base_backoff_ms")
      settings.base_backoff_ms = whole_number(source, key, value);
    else if (key == "region")
      settings.region = text(source, key, value);
    else if (key == "max_pool_connections")
      settings.max_pool_connections = whole_number(source, key, value);
    else if (key == "extra_headers")
      settings.extra_headers = string_map(source, key, value);
    else if (key == "endpoint")
      settings.endpoint = text(source, key, value);
    else if (key == "call_timeout_seconds")
      settings.call_timeout_seconds = number_of_seconds(source, key, value);
    else if (key == "host")
      fail(source, "unknown key 'host' (PynamoDB's 'host' is called 'endpoint' here)");
    else {
      fail(source, "unknown key " + in_quotes(key) +
                       " (known keys: connect_timeout_seconds, read_timeout_seconds, max_retry_attempts, "
                       "base_backoff_ms, region, max_pool_connections, extra_headers, endpoint, call_timeout_seconds)");
    }
  }
  validate_settings(settings, source);
  return settings;
}

}  // namespace detail

std::optional<std::filesystem::path> settings_file_path(const Environment& env) {
  if (auto named = env.variable(settings_file_variable)) {
    if (named->empty()) return std::nullopt;
    return std::filesystem::path(*named);
  }
  std::vector<std::filesystem::path> candidates;
  if (auto config = env.variable("XDG_CONFIG_HOME"); config && !config->empty()) {
    candidates.push_back(std::filesystem::path(*config) / "dynamo" / "settings.json");
  } else if (auto home = env.home_directory()) {
    candidates.push_back(*home / ".config" / "dynamo" / "settings.json");
  }
  candidates.emplace_back(system_settings_file);
  for (const auto& candidate : candidates) {
    std::error_code ignored;
    if (std::filesystem::exists(candidate, ignored)) return candidate;
  }
  return std::nullopt;
}

ClientSettings resolve_client_settings(const ClientSettingsOverrides& per_connection,
                                       const Environment& env) {
  ClientSettings settings;
  if (auto file = settings_file_path(env)) settings = settings.overridden_by(read_settings_file(*file));
  validate_settings(per_connection, "per-connection settings");
  return settings.overridden_by(per_connection);
}

bool is_protocol_header(std::string_view name) noexcept {
  static constexpr std::string_view reserved[] = {"host",          "content-type", "content-length",
                                                  "x-amz-target",  "authorization", "x-amz-date",
                                                  "x-amz-security-token", "expect"};
  return std::any_of(std::begin(reserved), std::end(reserved), [&](std::string_view protocol_header) {
    return name.size() == protocol_header.size() &&
           std::equal(name.begin(), name.end(), protocol_header.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  });
}

void check_operation_settings(const OperationSettings& settings) {
  constexpr std::string_view source = "settings of one call";
  validate_settings({.connect_timeout_seconds = settings.connect_timeout_seconds,
                     .read_timeout_seconds = settings.read_timeout_seconds,
                     .max_retry_attempts = settings.max_retry_attempts,
                     .base_backoff_ms = settings.base_backoff_ms,
                     .extra_headers = settings.extra_headers,
                     .call_timeout_seconds = settings.call_timeout_seconds},
                    source);
  for (const auto& [name, value] : settings.extra_headers) {
    if (is_protocol_header(name)) {
      fail(source, "extra_headers: " + in_quotes(name) + " would replace a header the protocol sets");
    }
  }
}

}  // namespace dynamo::auth
