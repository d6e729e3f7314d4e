// docs/logging.md's code, compiled and run on the embedded engine.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "docs/snippets.hpp"

// "Routing the log into your logger"
#include <dynamo/log.hpp>

void route_dynamo_log_to(std::function<void(std::string_view, std::string_view)> write) {
  dynamo::set_log_sink([write](const dynamo::LogRecord& record) {
    std::string line = "dynamo/" + std::string(record.component) + ": " + std::string(record.message);
    write(dynamo::to_string(record.level), line);
  });
  dynamo::set_log_level(dynamo::LogLevel::info);
}

// "Consumed capacity"
#include <dynamo/dynamo.hpp>

void report_capacity() {
  auto db = dynamo::Connection::embedded({.return_consumed_capacity = dynamo::api::ReturnConsumedCapacity::indexes});
  // ... calls through db, its copies or its model tables ...
  const dynamo::CapacityTotals used = db.consumed_capacity();
  std::cout << used.read_units << " read units, " << used.write_units << " write units\n";
  for (const auto& [table, totals] : used.tables) {
    std::cout << table << ": " << totals.read_units << " R, " << totals.write_units << " W\n";
    for (const auto& [index, units] : totals.indexes) std::cout << "  " << index << ": " << units << "\n";
  }
  db.reset_consumed_capacity();
}

// "Call hooks" (the include again, as the page shows it)
#include <dynamo/dynamo.hpp>

dynamo::Connection connection_with_metrics() {
  return dynamo::Connection::embedded({
      .hooks = {.after = [](const dynamo::CallInfo& call, const dynamo::CallOutcome& outcome) {
        std::cout << call.operation << " " << call.table_name << " " << outcome.duration.count() << "us "
                  << outcome.attempts << " attempt(s) " << outcome.consumed_capacity_units << " units "
                  << (outcome.error_code.empty() ? "ok" : outcome.error_code) << "\n";
      }},
      .return_consumed_capacity = dynamo::api::ReturnConsumedCapacity::total,
  });
}

namespace {

TEST(LoggingDocs, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/logging.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/logging_test.cpp"),
            "");
}

// The routed sink receives the WARN line of a call that failed for good: the example
// against an address where nothing listens.
TEST(LoggingDocs, RoutedSinkReceivesLines) {
  std::vector<std::string> received;
  route_dynamo_log_to([&](std::string_view level, std::string_view line) {
    received.push_back(std::string(level) + " " + std::string(line));
  });
  dynamo::log(dynamo::LogLevel::debug, "test", "below the level");
  dynamo::log(dynamo::LogLevel::warn, "test", "kept");
  dynamo::set_log_level(dynamo::LogLevel::off);
  dynamo::set_log_sink({});
  EXPECT_EQ(received, (std::vector<std::string>{"WARN dynamo/test: kept"}));
}

TEST(LoggingDocs, SnippetsRun) {
  testing::internal::CaptureStdout();
  report_capacity();
  auto db = connection_with_metrics();
  (void)db.list_tables({});
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("0 read units, 0 write units"), std::string::npos) << out;
  EXPECT_NE(out.find("ListTables  "), std::string::npos) << out;
  EXPECT_NE(out.find(" 1 attempt(s) 0 units ok"), std::string::npos) << out;
}

}  // namespace
