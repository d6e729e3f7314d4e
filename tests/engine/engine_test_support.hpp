// Helpers shared by the engine tests: table definitions and an exact-error assertion.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "dynamo/engine.hpp"
#include "dynamo/value/item_size.hpp"

namespace dynamo::engine::test {

using namespace dynamo::api;

// Asserts that `statement` throws dynamo::Error with exactly this code and message.
#define EXPECT_DYNAMO_ERROR(statement, expected_code, expected_message)                       \
  do {                                                                                        \
    try {                                                                                     \
      (void)(statement);                                                                      \
      ADD_FAILURE() << "expected " << (expected_code) << ", nothing was thrown";              \
    } catch (const dynamo::Error& error_) {                                                   \
      EXPECT_EQ(error_.code(), (expected_code));                                              \
      EXPECT_EQ(std::string(error_.what()), std::string(expected_message));                   \
    }                                                                                         \
  } while (false)

inline constexpr const char* validation = "ValidationException";

// An on-demand table with partition key `pk` (S) and, when sort_type is given, sort key `sk`.
inline CreateTableRequest table_request(const std::string& name, std::optional<ScalarAttributeType> sort_type = std::nullopt,
                                        ScalarAttributeType partition_type = ScalarAttributeType::s) {
  CreateTableRequest request{.table_name = name,
                             .attribute_definitions = {{"pk", partition_type}},
                             .key_schema = {{"pk", KeyType::hash}},
                             .billing_mode = BillingMode::pay_per_request};
  if (sort_type) {
    request.attribute_definitions.push_back({"sk", *sort_type});
    request.key_schema.push_back({"sk", KeyType::range});
  }
  return request;
}

// An engine without a sweeper thread (tests that need one make their own).
inline EngineOptions quiet_options() {
  EngineOptions options;
  options.ttl_sweep_interval = std::chrono::milliseconds(0);
  return options;
}

inline void put(Engine& engine, const std::string& table, Item item) {
  (void)engine.put_item({.table_name = table, .item = std::move(item)});
}

}  // namespace dynamo::engine::test
