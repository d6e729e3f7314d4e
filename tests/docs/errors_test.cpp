// docs/errors.md's code, compiled and run, and its table of codes checked against the one
// list in dynamo/error_codes.hpp: every listed code has its row, with its constant, and the
// page lists no code the library does not know.
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include <dynamo/error.hpp>
#include <dynamo/error_codes.hpp>
#include <dynamo/value.hpp>

#include "docs/snippets.hpp"

namespace {

// "Checking a code"
bool already_changed(const dynamo::Error& e) {
  return e.code() == dynamo::error_code::conditional_check_failed;
}

bool worth_retrying_later(const dynamo::Error& e) {
  const dynamo::ErrorCodeInfo* info = dynamo::find_error_code(e.code());
  return info != nullptr && info->retry != dynamo::ErrorRetry::no;
}

TEST(ErrorsPage, CheckingACode) {
  EXPECT_TRUE(already_changed(dynamo::Error("ConditionalCheckFailedException", "The conditional request failed")));
  EXPECT_FALSE(already_changed(dynamo::Error::validation("bad")));
  EXPECT_TRUE(worth_retrying_later(dynamo::Error("ProvisionedThroughputExceededException", "slow down")));
  EXPECT_TRUE(worth_retrying_later(dynamo::Error("InternalServerError", "oops", 500)));
  EXPECT_FALSE(worth_retrying_later(dynamo::Error::validation("bad")));
  EXPECT_FALSE(worth_retrying_later(dynamo::Error("SomethingNobodyKnows", "?")));
  try {
    (void)dynamo::Number::parse("12e");
    FAIL() << "12e parsed";
  } catch (const dynamo::Error& e) {
    EXPECT_FALSE(worth_retrying_later(e));
  }
}

TEST(ErrorsPage, PrintsTheList) {
  std::ostringstream printed;
  std::streambuf* const saved = std::cout.rdbuf(printed.rdbuf());
  for (const dynamo::ErrorCodeInfo& info : dynamo::error_codes()) {
    std::cout << info.code << '\t' << info.meaning << '\n';
  }
  std::cout.rdbuf(saved);
  EXPECT_NE(printed.str().find("ValidationException\tThe request broke"), std::string::npos);
}

// The rows "| `Code` | `error_code::name` | ..." of the page.
std::set<std::pair<std::string, std::string>> table_rows(const std::string& page) {
  std::set<std::pair<std::string, std::string>> rows;
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    const auto code_end = line.find('`', 3);
    const auto name_start = line.find("`error_code::", code_end + 1);
    if (code_end == std::string::npos || name_start == std::string::npos) continue;
    const auto name_end = line.find('`', name_start + 1);
    rows.emplace(line.substr(3, code_end - 3), line.substr(name_start + 13, name_end - name_start - 13));
  }
  return rows;
}

TEST(ErrorsPage, TableMatchesTheList) {
  const auto rows = table_rows(docs_test::read_file(std::string(DYNAMO_SOURCE_DIR) + "/docs/errors.md"));
  std::set<std::pair<std::string, std::string>> listed;
  for (const dynamo::ErrorCodeInfo& info : dynamo::error_codes()) listed.emplace(info.code, info.name);
  for (const auto& row : listed) EXPECT_TRUE(rows.contains(row)) << "docs/errors.md has no row for " << row.first;
  for (const auto& row : rows) EXPECT_TRUE(listed.contains(row)) << "docs/errors.md lists unknown " << row.first;
}

TEST(ErrorsPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/errors.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/errors_test.cpp"),
            "");
}

}  // namespace
