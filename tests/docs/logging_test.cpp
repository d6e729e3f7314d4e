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

// The model the per-call example works with.
struct Thread {
  std::string forum_name{};
  std::string subject{};
  std::int64_t views = 0;
};

template <>
struct dynamo::model<Thread> {
  static auto schema() {
    return dynamo::table<Thread>("Thread")
        .hash_key("forum_name", &Thread::forum_name)
        .range_key("subject", &Thread::subject)
        .attribute("views", &Thread::views);
  }
};

void capacity_of_one_call(const dynamo::ModelTable<Thread>& threads, Thread& thread) {
  dynamo::api::ConsumedCapacity consumed;
  threads.save(thread, {}, {.consumed_capacity = &consumed});
  std::cout << consumed.capacity_units.value_or(0) << " units written to " << consumed.table_name.value_or("") << "\n";
  Thread again = threads.get({thread.forum_name, thread.subject}, {.consistent_read = true, .consumed_capacity = &consumed});
  std::cout << consumed.capacity_units.value_or(0) << " units read\n";
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

TEST(LoggingDocs, CapacityOfOneCall) {
  auto threads = dynamo::table_of<Thread>(dynamo::Connection::embedded());
  threads.create_table({.wait = true});
  Thread thread{.forum_name = "C++", .subject = "Capacity"};
  testing::internal::CaptureStdout();
  capacity_of_one_call(threads, thread);
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out, "1 units written to Thread\n1 units read\n");
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
