// The library's logger: levelled, off by default, with a callback as its sink so that an
// application routes dynamo's lines into its own logging (spdlog, glog, syslog, ...).
//
//   dynamo::set_log_level(dynamo::LogLevel::debug);
//   dynamo::set_log_sink([](const dynamo::LogRecord& r) {
//     my_logger.write(dynamo::to_string(r.level), r.component, r.message);
//   });
//
// Without code, the environment variable DYNAMO_LOG=debug|info|warn|error|off sets the
// starting level, and lines go to stderr. At DEBUG each call is one line (operation, table,
// outcome, attempts, latency, request ids, consumed capacity); at WARN, retries, throttling
// and refused requests. No line ever holds a secret, a signature or item contents.
//
// What each component logs: "client" (one line per Connection call, any backend), "http"
// (one line per HTTP call and one per retry), "server" (dynamo-server: one line per request,
// refused authentications, server errors).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace dynamo {

enum class LogLevel : int { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// One log line, as handed to the sink. The views are valid during the sink's call only.
struct LogRecord {
  LogLevel level{LogLevel::info};
  std::string_view component{};  // "client", "http", "server"
  std::string_view message{};    // one line, no trailing newline
};

// Called for every line at or above the level, from whichever thread logged it; calls may
// be concurrent, so the sink must be thread-safe. An exception it throws is dropped.
using LogSink = std::function<void(const LogRecord&)>;

// Lines below `level` are not made at all (their cost is one atomic load).
void set_log_level(LogLevel level) noexcept;
[[nodiscard]] LogLevel log_level() noexcept;
[[nodiscard]] bool log_enabled(LogLevel level) noexcept;

// Replaces the sink; an empty function restores the default, which writes
// "2026-12-01T10:00:00.123Z DEBUG http: ..." lines to stderr, each with one write.
void set_log_sink(LogSink sink);

// Hands one line to the sink when `level` is enabled.
void log(LogLevel level, std::string_view component, std::string_view message);

// "debug" -> LogLevel::debug, ... (case-insensitive; also "warning"); nullopt otherwise.
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;
// "DEBUG", "INFO", "WARN", "ERROR", "OFF".
[[nodiscard]] std::string_view to_string(LogLevel level) noexcept;

}  // namespace dynamo
