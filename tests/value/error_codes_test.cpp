// The one list of error codes: each code and name once, lookups by bare and namespaced code,
// and the facts of DynamoDB and the AWS SDKs that the list records.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <dynamo/error.hpp>
#include <dynamo/error_codes.hpp>

namespace {

using dynamo::ErrorNamespace;
using dynamo::ErrorOrigin;
using dynamo::ErrorRetry;

TEST(ErrorCodes, EachCodeAndNameOnce) {
  std::set<std::string_view> codes;
  std::set<std::string_view> names;
  for (const dynamo::ErrorCodeInfo& info : dynamo::error_codes()) {
    EXPECT_TRUE(codes.insert(info.code).second) << info.code;
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.meaning.empty()) << info.code;
    // Client-side codes never travel, so they have no status, namespace or short form.
    if (info.origin == ErrorOrigin::client) {
      EXPECT_EQ(info.http_status, 0) << info.code;
      EXPECT_EQ(info.wire_namespace, ErrorNamespace::none) << info.code;
      EXPECT_TRUE(info.short_code.empty()) << info.code;
    } else {
      EXPECT_GE(info.http_status, 400) << info.code;
    }
  }
  EXPECT_GE(codes.size(), 40U);
}

TEST(ErrorCodes, ConstantsAreTheListsCodes) {
  EXPECT_EQ(dynamo::error_code::validation, "ValidationException");
  EXPECT_EQ(dynamo::error_code::conditional_check_failed, "ConditionalCheckFailedException");
  EXPECT_EQ(dynamo::error_code::connection_error, "ConnectionError");
  EXPECT_EQ(dynamo::error_code::model_usage, "ModelUsageError");
  EXPECT_EQ(dynamo::Error::validation("x").code(), dynamo::error_code::validation);
}

TEST(ErrorCodes, FindsBareAndNamespacedCodes) {
  const dynamo::ErrorCodeInfo* bare = dynamo::find_error_code("ValidationException");
  ASSERT_NE(bare, nullptr);
  EXPECT_EQ(bare->name, "validation");
  EXPECT_EQ(dynamo::find_error_code("com.amazon.coral.validate#ValidationException"), bare);
  EXPECT_EQ(dynamo::find_error_code("NoSuchThingException"), nullptr);
  EXPECT_EQ(dynamo::find_error_code(""), nullptr);
}

// The __type namespaces DynamoDB answers with (as captured from the service by SDK tests).
TEST(ErrorCodes, WireNamespacesAreDynamoDbs) {
  const auto ns = [](std::string_view code) {
    return dynamo::wire_namespace_text(dynamo::find_error_code(code)->wire_namespace);
  };
  EXPECT_EQ(ns("ValidationException"), "com.amazon.coral.validate");
  EXPECT_EQ(ns("UnrecognizedClientException"), "com.amazon.coral.service");
  EXPECT_EQ(ns("ThrottlingException"), "com.amazon.coral.availability");
  EXPECT_EQ(ns("ResourceNotFoundException"), "com.amazonaws.dynamodb.v20120810");
  EXPECT_EQ(ns("ConditionalCheckFailedException"), "com.amazonaws.dynamodb.v20120810");
}

// The AWS SDKs' standard retry mode: throttling and transient codes.
TEST(ErrorCodes, RetryClassesAreTheStandardModes) {
  const auto retry = [](std::string_view code) { return dynamo::find_error_code(code)->retry; };
  for (const char* code : {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
                           "TransactionInProgressException", "LimitExceededException", "Throttling",
                           "TooManyRequestsException", "SlowDown"}) {
    EXPECT_EQ(retry(code), ErrorRetry::throttling) << code;
  }
  for (const char* code : {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalServerError"}) {
    EXPECT_EQ(retry(code), ErrorRetry::transient) << code;
  }
  for (const char* code : {"ValidationException", "ConditionalCheckFailedException", "ResourceNotFoundException",
                           "TransactionCanceledException", "ModelUsageError"}) {
    EXPECT_EQ(retry(code), ErrorRetry::no) << code;
  }
}

// Cancellation reasons and PartiQL batch errors use DynamoDB's short codes.
TEST(ErrorCodes, ShortCodes) {
  EXPECT_EQ(dynamo::short_error_code("ConditionalCheckFailedException"), "ConditionalCheckFailed");
  EXPECT_EQ(dynamo::short_error_code("ValidationException"), "ValidationError");
  EXPECT_EQ(dynamo::short_error_code("TransactionConflictException"), "TransactionConflict");
  EXPECT_EQ(dynamo::short_error_code("DuplicateItemException"), "DuplicateItem");
  EXPECT_EQ(dynamo::short_error_code("ThrottlingException"), "ThrottlingError");
  EXPECT_EQ(dynamo::short_error_code("ResourceInUseException"), "");
  EXPECT_EQ(dynamo::short_error_code("Unknown"), "");
}

}  // namespace
