// dynamo's log lines routed into spdlog: one call, and every line dynamo makes becomes a
// line of an spdlog logger at the matching level, prefixed with its component.
//
//   #include <dynamo/log_spdlog.hpp>   // target dynamo::spdlog (built when spdlog is found)
//   dynamo::log_to_spdlog(spdlog::default_logger());   // dynamo's level follows the logger's
//   dynamo::log_to_spdlog(my_logger, dynamo::LogLevel::debug);
//
// The logger is shared with the sink and kept alive by it until another sink replaces it
// (dynamo::set_log_sink). spdlog's loggers are thread-safe, as dynamo's sink must be.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <utility>

#include "dynamo/log.hpp"

namespace dynamo {

// The spdlog level of a dynamo level (off for off).
[[nodiscard]] inline spdlog::level::level_enum spdlog_level_of(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warn:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
    case LogLevel::off:
      break;
  }
  return spdlog::level::off;
}

// The dynamo level that makes exactly the lines an spdlog level lets through (trace: debug;
// critical: error, dynamo's highest).
[[nodiscard]] inline LogLevel log_level_of(spdlog::level::level_enum level) noexcept {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return LogLevel::debug;
    case spdlog::level::info:
      return LogLevel::info;
    case spdlog::level::warn:
      return LogLevel::warn;
    case spdlog::level::err:
    case spdlog::level::critical:
      return LogLevel::error;
    default:
      return LogLevel::off;
  }
}

// Sends every dynamo line to `logger` as "<component>: <message>". dynamo's level becomes
// `level`, or, when none is given, the one matching the logger's level now (so lines the
// logger would drop are not even made).
inline void log_to_spdlog(std::shared_ptr<spdlog::logger> logger, std::optional<LogLevel> level = std::nullopt) {
  const LogLevel chosen = level ? *level : log_level_of(logger->level());
  set_log_sink([logger = std::move(logger)](const LogRecord& record) {
    logger->log(spdlog_level_of(record.level), "{}: {}", record.component, record.message);
  });
  set_log_level(chosen);
}

}  // namespace dynamo
