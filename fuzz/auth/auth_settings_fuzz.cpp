// libFuzzer target for the client settings file (docs/settings.md): the reader of its JSON
// text and dynamo::auth::validate_settings.
//
// For every input: reading the bytes as a settings file either gives settings or throws
// dynamo::Error with code InvalidConfiguration and a message starting with the file's name,
// never another exception. Settings that were read pass validate_settings, and written
// back as JSON they read again to the same settings. Settings made directly from the
// bytes either pass validate_settings or fail it with InvalidConfiguration, and the
// settings of one call likewise pass or fail check_operation_settings.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "auth/settings_file.hpp"
#include "dynamo/auth/settings.hpp"
#include "dynamo/error.hpp"

namespace {

using dynamo::auth::ClientSettingsOverrides;

constexpr std::string_view source = "settings file fuzz.json";

bool operator_equal(const ClientSettingsOverrides& a, const ClientSettingsOverrides& b) {
  return a.connect_timeout_seconds == b.connect_timeout_seconds && a.read_timeout_seconds == b.read_timeout_seconds &&
         a.max_retry_attempts == b.max_retry_attempts && a.base_backoff_ms == b.base_backoff_ms &&
         a.region == b.region && a.max_pool_connections == b.max_pool_connections &&
         a.extra_headers == b.extra_headers && a.endpoint == b.endpoint &&
         a.call_timeout_seconds == b.call_timeout_seconds;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out.append(escape);
    } else {
      out.push_back(c);  // the reader validated UTF-8 already
    }
  }
  out.push_back('"');
  return out;
}

std::string json_number(double number) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", number);
  return text;
}

// The settings as a settings file would hold them.
std::string to_json(const ClientSettingsOverrides& s) {
  std::string out = "{";
  const auto key = [&](std::string_view name) {
    if (out.size() > 1) out.push_back(',');
    out.append(json_string(name)).push_back(':');
  };
  if (s.connect_timeout_seconds) key("connect_timeout_seconds"), out.append(json_number(*s.connect_timeout_seconds));
  if (s.read_timeout_seconds) key("read_timeout_seconds"), out.append(json_number(*s.read_timeout_seconds));
  if (s.max_retry_attempts) key("max_retry_attempts"), out.append(std::to_string(*s.max_retry_attempts));
  if (s.base_backoff_ms) key("base_backoff_ms"), out.append(std::to_string(*s.base_backoff_ms));
  if (s.region) key("region"), out.append(json_string(*s.region));
  if (s.max_pool_connections) key("max_pool_connections"), out.append(std::to_string(*s.max_pool_connections));
  if (s.extra_headers) {
    key("extra_headers");
    out.push_back('{');
    bool first = true;
    for (const auto& [name, value] : *s.extra_headers) {
      if (!first) out.push_back(',');
      first = false;
      out.append(json_string(name)).append(":").append(json_string(value));
    }
    out.push_back('}');
  }
  if (s.endpoint) key("endpoint"), out.append(json_string(*s.endpoint));
  if (s.call_timeout_seconds) key("call_timeout_seconds"), out.append(json_number(*s.call_timeout_seconds));
  out.push_back('}');
  return out;
}

std::optional<ClientSettingsOverrides> read(std::string_view text) {
  try {
    return dynamo::auth::detail::parse_settings_text(text, source);
  } catch (const dynamo::Error& error) {
    if (error.code() != "InvalidConfiguration" || !error.message().starts_with(source)) std::abort();
    return std::nullopt;
  }
}

template <typename Check>
void passes_or_refuses(Check check) {
  try {
    check();
  } catch (const dynamo::Error& error) {
    if (error.code() != "InvalidConfiguration") std::abort();
  }
}

template <typename T>
std::optional<T> maybe(FuzzedDataProvider& bytes, T value) {
  return bytes.ConsumeBool() ? std::optional<T>(value) : std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const std::optional<ClientSettingsOverrides> settings = read(text)) {
    dynamo::auth::validate_settings(*settings, "read settings");  // throws: the reader let a bad value in
    const std::optional<ClientSettingsOverrides> again = read(to_json(*settings));
    if (!again || !operator_equal(*settings, *again)) std::abort();
  }

  FuzzedDataProvider bytes(data, size);
  ClientSettingsOverrides made{
      .connect_timeout_seconds = maybe(bytes, bytes.ConsumeFloatingPoint<double>()),
      .read_timeout_seconds = maybe(bytes, bytes.ConsumeFloatingPoint<double>()),
      .max_retry_attempts = maybe(bytes, bytes.ConsumeIntegral<int>()),
      .base_backoff_ms = maybe(bytes, bytes.ConsumeIntegral<int>()),
      .region = maybe(bytes, bytes.ConsumeRandomLengthString(16)),
      .max_pool_connections = maybe(bytes, bytes.ConsumeIntegral<int>()),
      .extra_headers = std::nullopt,
      .endpoint = maybe(bytes, bytes.ConsumeRandomLengthString(32)),
      .call_timeout_seconds = maybe(bytes, bytes.ConsumeFloatingPoint<double>()),
  };
  if (bytes.ConsumeBool()) {
    made.extra_headers.emplace();
    for (int i = bytes.ConsumeIntegralInRange(0, 3); i > 0; --i) {
      std::string name = bytes.ConsumeRandomLengthString(16);
      (*made.extra_headers)[std::move(name)] = bytes.ConsumeRandomLengthString(16);
    }
  }
  passes_or_refuses([&] { dynamo::auth::validate_settings(made, "per-connection settings"); });
  passes_or_refuses([&] {
    dynamo::auth::check_operation_settings({.connect_timeout_seconds = made.connect_timeout_seconds,
                                            .read_timeout_seconds = made.read_timeout_seconds,
                                            .max_retry_attempts = made.max_retry_attempts,
                                            .base_backoff_ms = made.base_backoff_ms,
                                            .call_timeout_seconds = made.call_timeout_seconds,
                                            .extra_headers = made.extra_headers.value_or(
                                                std::map<std::string, std::string>{})});
  });
  return 0;
}
