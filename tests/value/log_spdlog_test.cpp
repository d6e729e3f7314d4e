// The spdlog adapter (dynamo/log_spdlog.hpp): dynamo's lines reach an spdlog logger at the
// matching level with their component, and dynamo's level follows the logger's.
#include "dynamo/log_spdlog.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>

namespace {

class LogSpdlog : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_);
    logger_ = std::make_shared<spdlog::logger>("dynamo-test", sink);
    logger_->set_pattern("%l|%v");
  }
  void TearDown() override {
    dynamo::set_log_sink({});
    dynamo::set_log_level(dynamo::LogLevel::off);
  }

  std::ostringstream lines_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(LogSpdlog, LinesArriveAtTheirLevelWithTheirComponent) {
  logger_->set_level(spdlog::level::debug);
  dynamo::log_to_spdlog(logger_);
  EXPECT_EQ(dynamo::log_level(), dynamo::LogLevel::debug);
  dynamo::log(dynamo::LogLevel::debug, "http", "GetItem table=Thread status=200");
  dynamo::log(dynamo::LogLevel::warn, "client", "retrying PutItem");
  dynamo::log(dynamo::LogLevel::error, "server", "store failed");
  EXPECT_EQ(lines_.str(),
            "debug|http: GetItem table=Thread status=200\n"
            "warning|client: retrying PutItem\n"
            "error|server: store failed\n");
}

// dynamo does not make the lines the logger would drop; an explicit level wins.
TEST_F(LogSpdlog, LevelFollowsTheLoggerUnlessGiven) {
  logger_->set_level(spdlog::level::warn);
  dynamo::log_to_spdlog(logger_);
  EXPECT_EQ(dynamo::log_level(), dynamo::LogLevel::warn);
  EXPECT_FALSE(dynamo::log_enabled(dynamo::LogLevel::info));
  dynamo::log(dynamo::LogLevel::info, "client", "not made");
  EXPECT_EQ(lines_.str(), "");

  logger_->set_level(spdlog::level::trace);
  dynamo::log_to_spdlog(logger_, dynamo::LogLevel::error);
  EXPECT_EQ(dynamo::log_level(), dynamo::LogLevel::error);
  dynamo::log(dynamo::LogLevel::warn, "client", "not made either");
  EXPECT_EQ(lines_.str(), "");

  EXPECT_EQ(dynamo::log_level_of(spdlog::level::critical), dynamo::LogLevel::error);
  EXPECT_EQ(dynamo::log_level_of(spdlog::level::off), dynamo::LogLevel::off);
  EXPECT_EQ(dynamo::spdlog_level_of(dynamo::LogLevel::off), spdlog::level::off);
}

}  // namespace
