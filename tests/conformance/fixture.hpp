// The fixture of the conformance suites: a Connection to the backend named by the test's
// parameter (see backends.hpp), fresh table names, tables created and waited for until
// ACTIVE, and every table a test created deleted after it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance/backends.hpp"

namespace dynamo::testing {

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    try {
      db_.emplace(connect_to(GetParam()));
    } catch (const std::runtime_error& e) {
      if (GetParam() == "moto") GTEST_SKIP() << e.what();
      FAIL() << e.what();
    }
  }

  void TearDown() override {
    if (!db_) return;
    for (const auto& name : created_) {
      try {
        db_->delete_table({.table_name = name});
      } catch (const Error&) {  // already deleted by the test
      }
    }
  }

  Connection& db() { return *db_; }

  // A fresh table name per test, so backends shared across tests never see leftovers.
  std::string fresh_name(const std::string& stem) {
    static std::atomic<int> counter{0};
    return "conf_" + stem + "_" + std::to_string(counter.fetch_add(1)) + "_" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
  }

  // Creates a table and waits until it is ACTIVE (peers may pass through CREATING); the
  // CreateTable response goes to `response` when one is given.
  std::string create(api::CreateTableRequest request, api::CreateTableResponse* response = nullptr) {
    if (request.table_name.empty()) request.table_name = fresh_name("t");
    if (!request.billing_mode && !request.provisioned_throughput) {
      request.provisioned_throughput = api::ProvisionedThroughput{.read_capacity_units = 5, .write_capacity_units = 5};
    }
    auto created = db().create_table(request);
    if (response != nullptr) *response = std::move(created);
    created_.push_back(request.table_name);
    wait_active(request.table_name);
    return request.table_name;
  }

  void wait_active(const std::string& name) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      const auto described = db().describe_table({.table_name = name});
      const auto& table = described.table.value();
      bool indexes_active = true;
      for (const auto& index : table.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndexDescription>{})) {
        indexes_active = indexes_active && index.index_status == api::IndexStatus::active;
      }
      if (table.table_status == api::TableStatus::active && indexes_active) return;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << name << " never became ACTIVE";
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

 private:
  std::optional<Connection> db_;
  std::vector<std::string> created_;
};

}  // namespace dynamo::testing
