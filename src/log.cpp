#include "dynamo/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>

namespace dynamo {
namespace {

// The level DYNAMO_LOG asks for; a value that names no level is reported once on stderr
// (logging cannot be asked for and then silently stay off).
int level_from_environment() noexcept {
  const char* text = std::getenv("DYNAMO_LOG");
  if (text == nullptr || *text == '\0') return static_cast<int>(LogLevel::off);
  if (const auto level = parse_log_level(text)) return static_cast<int>(*level);
  std::fprintf(stderr, "dynamo: DYNAMO_LOG=%s is not one of debug, info, warn, error, off; logging stays off\n", text);
  return static_cast<int>(LogLevel::off);
}

std::atomic<int>& current_level() noexcept {
  static std::atomic<int> level{level_from_environment()};
  return level;
}

// "2026-12-01T10:00:00.123Z LEVEL component: message\n", written with one write(2) so that
// lines from several threads or processes do not interleave.
void write_to_stderr(const LogRecord& record) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[40];
  const std::size_t length = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string line(stamp, length);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ ", static_cast<int>(millis));
  line.append(fraction).append(to_string(record.level)).append(" ");
  line.append(record.component).append(": ").append(record.message).push_back('\n');
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n <= 0) return;  // nowhere to report a failure to write the log
    written += static_cast<std::size_t>(n);
  }
}

struct SinkSlot {
  std::mutex mutex;
  std::shared_ptr<const LogSink> sink;  // null: stderr
};

SinkSlot& sink_slot() {
  static SinkSlot slot;
  return slot;
}

}  // namespace

void set_log_level(LogLevel level) noexcept { current_level().store(static_cast<int>(level), std::memory_order_relaxed); }

LogLevel log_level() noexcept { return static_cast<LogLevel>(current_level().load(std::memory_order_relaxed)); }

bool log_enabled(LogLevel level) noexcept {
  return level != LogLevel::off && static_cast<int>(level) >= current_level().load(std::memory_order_relaxed);
}

void set_log_sink(LogSink sink) {
  auto replacement = sink ? std::make_shared<const LogSink>(std::move(sink)) : nullptr;
  SinkSlot& slot = sink_slot();
  const std::lock_guard lock(slot.mutex);
  slot.sink = std::move(replacement);
}

void log(LogLevel level, std::string_view component, std::string_view message) {
  if (!log_enabled(level)) return;
  std::shared_ptr<const LogSink> sink;
  {
    SinkSlot& slot = sink_slot();
    const std::lock_guard lock(slot.mutex);
    sink = slot.sink;
  }
  const LogRecord record{level, component, message};
  try {
    if (sink) {
      (*sink)(record);
    } else {
      write_to_stderr(record);
    }
  } catch (...) {  // a failing sink must not break the call that logged
  }
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
  std::string lower(text.substr(0, 16));
  if (text.size() > 16) return std::nullopt;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  if (lower == "debug") return LogLevel::debug;
  if (lower == "info") return LogLevel::info;
  if (lower == "warn" || lower == "warning") return LogLevel::warn;
  if (lower == "error") return LogLevel::error;
  if (lower == "off" || lower == "none") return LogLevel::off;
  return std::nullopt;
}

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug: return "DEBUG";
    case LogLevel::info: return "INFO";
    case LogLevel::warn: return "WARN";
    case LogLevel::error: return "ERROR";
    case LogLevel::off: return "OFF";
  }
  return "OFF";
}

}  // namespace dynamo
