// The fixture of the model tests that run on every backend (GoogleTest parameter = backend
// name, see tests/conformance/backends.hpp): a connection, and fresh tables.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "conformance/backends.hpp"
#include "dynamo/model/table.hpp"

namespace model_test {

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    try {
      db_.emplace(dynamo::testing::connect_to(GetParam()));
    } catch (const std::runtime_error& e) {
      GTEST_SKIP() << e.what();
    }
  }

  // The model's table, created empty (a peer server keeps tables between tests).
  template <class T>
  dynamo::ModelTable<T> fresh(dynamo::CreateTableOptions options = {.wait = true}) {
    auto table = dynamo::table_of<T>(*db_);
    if (table.exists()) table.delete_table({.wait = true});
    if (GetParam() == "dynalite") options.ignore_update_ttl_errors = true;
    table.create_table(options);
    return table;
  }

  std::optional<dynamo::Connection> db_;
};

}  // namespace model_test
