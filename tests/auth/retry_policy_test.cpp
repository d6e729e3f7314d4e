#include "dynamo/auth/retry_policy.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace dynamo::auth {
namespace {

using std::chrono::milliseconds;

// A jitter source that always answers the upper bound, so the ceiling is observable.
std::uint64_t always_max(std::uint64_t upper) { return upper; }

// Exactly the throttling and transient codes, any 5xx, connection failures and CRC
// mismatches retry.
TEST(RetryPolicy, ClassificationTable) {
  struct Row {
    AttemptOutcome outcome;
    bool retryable;
  };
  const std::vector<Row> table = {
      {AttemptOutcome::response(400, "ProvisionedThroughputExceededException"), true},
      {AttemptOutcome::response(400, "ThrottlingException"), true},
      {AttemptOutcome::response(400, "RequestLimitExceeded"), true},
      {AttemptOutcome::response(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException"), true},
      // The standard retry mode's further throttling and transient codes.
      {AttemptOutcome::response(400, "TransactionInProgressException"), true},
      {AttemptOutcome::response(400, "com.amazonaws.dynamodb.v20120810#LimitExceededException"), true},
      {AttemptOutcome::response(400, "TooManyRequestsException"), true},
      {AttemptOutcome::response(400, "RequestTimeout"), true},
      {AttemptOutcome::response(400, "PriorRequestNotComplete"), true},
      {AttemptOutcome::response(500, "InternalServerError"), true},
      {AttemptOutcome::response(503, ""), true},
      {AttemptOutcome::response(599, ""), true},
      {AttemptOutcome::connection_failure(), true},
      {AttemptOutcome::crc32_mismatch(), true},
      {AttemptOutcome::response(200), false},
      {AttemptOutcome::response(400, "ValidationException"), false},
      {AttemptOutcome::response(400, "ConditionalCheckFailedException"), false},
      {AttemptOutcome::response(400, "TransactionConflictException"), false},
      {AttemptOutcome::response(400, "ResourceNotFoundException"), false},
      {AttemptOutcome::response(400, "com.amazon.coral.service#UnrecognizedClientException"), false},
      {AttemptOutcome::response(400, "ThrottlingExceptionX"), false},
      {AttemptOutcome::response(413, ""), false},
      {AttemptOutcome::response(429, ""), false},
      {AttemptOutcome::response(600, ""), false},
  };
  for (const auto& row : table) {
    EXPECT_EQ(is_retryable(row.outcome), row.retryable)
        << "status " << row.outcome.http_status << " code '" << row.outcome.error_code << "' kind "
        << static_cast<int>(row.outcome.kind);
  }
}

// Retries stop after max_retry_attempts, and never start for a non-retryable outcome.
TEST(RetryPolicy, ShouldRetryHonoursTheLimit) {
  const RetryPolicy policy{.max_retry_attempts = 3};
  const auto throttled = AttemptOutcome::response(400, "ThrottlingException");
  EXPECT_TRUE(policy.should_retry(throttled, 0));
  EXPECT_TRUE(policy.should_retry(throttled, 2));
  EXPECT_FALSE(policy.should_retry(throttled, 3));
  EXPECT_FALSE(policy.should_retry(AttemptOutcome::response(400, "ValidationException"), 0));
  EXPECT_FALSE(RetryPolicy{.max_retry_attempts = 0}.should_retry(throttled, 0));
}

// The ceiling doubles from base_backoff_ms and stops at max_backoff, even for huge indexes.
TEST(RetryPolicy, BackoffCeilingDoublesThenCaps) {
  const RetryPolicy policy{.base_backoff_ms = 25, .max_backoff = milliseconds(1000)};
  EXPECT_EQ(policy.backoff_ceiling(0), milliseconds(25));
  EXPECT_EQ(policy.backoff_ceiling(1), milliseconds(50));
  EXPECT_EQ(policy.backoff_ceiling(3), milliseconds(200));
  EXPECT_EQ(policy.backoff_ceiling(5), milliseconds(800));
  EXPECT_EQ(policy.backoff_ceiling(6), milliseconds(1000));
  EXPECT_EQ(policy.backoff_ceiling(63), milliseconds(1000));
  EXPECT_EQ(policy.backoff_ceiling(1'000'000), milliseconds(1000));
  EXPECT_EQ(RetryPolicy{.base_backoff_ms = 0}.backoff_ceiling(10), milliseconds(0));
}

// Full jitter: the delay is whatever the source picks in [0, ceiling], clamped to it.
TEST(RetryPolicy, BackoffDelayUsesTheJitterSource) {
  const RetryPolicy policy{.base_backoff_ms = 25};
  EXPECT_EQ(policy.backoff_delay(2, always_max), milliseconds(100));
  EXPECT_EQ(policy.backoff_delay(2, [](std::uint64_t) -> std::uint64_t { return 0; }), milliseconds(0));
  EXPECT_EQ(policy.backoff_delay(2, [](std::uint64_t) -> std::uint64_t { return 1'000'000; }),
            milliseconds(100));
  std::uint64_t asked = 0;
  (void)policy.backoff_delay(4, [&](std::uint64_t upper) {
    asked = upper;
    return std::uint64_t{7};
  });
  EXPECT_EQ(asked, 400U);
}

// The same seeded source yields the same delays; the system source stays within bounds.
TEST(RetryPolicy, DelaysAreDeterministicWithASeededSourceAndBounded) {
  const RetryPolicy policy{};
  const auto seeded = [](unsigned seed) {
    return [generator = std::make_shared<std::mt19937_64>(seed)](std::uint64_t upper) {
      return (*generator)() % (upper + 1);
    };
  };
  const JitterSource first = seeded(42);
  const JitterSource second = seeded(42);
  for (int retry = 0; retry < 10; ++retry) {
    EXPECT_EQ(policy.backoff_delay(retry, first), policy.backoff_delay(retry, second));
  }
  const JitterSource system = system_jitter();
  for (int i = 0; i < 200; ++i) {
    const auto delay = policy.backoff_delay(i % 12, system);
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay, policy.backoff_ceiling(i % 12));
  }
}

// crc32 matches zlib's known value, and x-amz-crc32 checks accept only an exact match.
TEST(Crc32, ChecksBodiesAgainstTheHeader) {
  EXPECT_EQ(crc32(""), 0U);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U);  // the standard CRC-32 check value
  EXPECT_TRUE(crc32_matches("123456789", "3421780262"));
  EXPECT_FALSE(crc32_matches("123456788", "3421780262"));
  EXPECT_FALSE(crc32_matches("123456789", ""));
  EXPECT_FALSE(crc32_matches("123456789", "3421780262 "));
  EXPECT_FALSE(crc32_matches("123456789", "-1"));
  EXPECT_FALSE(crc32_matches("123456789", "99999999999"));
}

// Bodies of 64 bytes and more take the carry-less multiplication path where the processor
// has it: every length around its block sizes (16 and 64 bytes) gives the CRC32 that the
// bit-at-a-time definition gives.
TEST(Crc32, AgreesWithTheDefinitionAtEveryLength) {
  const auto reference = [](std::string_view data) {
    std::uint32_t crc = 0xffffffffU;
    for (const char c : data) {
      crc ^= static_cast<unsigned char>(c);
      for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320U & (0U - (crc & 1U)));
    }
    return ~crc;
  };
  std::mt19937 random(7);
  std::string data(5000, '\0');
  for (char& c : data) c = static_cast<char>(random());
  for (std::size_t length = 0; length <= 400; ++length) {
    ASSERT_EQ(crc32(std::string_view(data).substr(0, length)), reference(std::string_view(data).substr(0, length)))
        << "length " << length;
  }
  for (const std::size_t length : {1023U, 1024U, 1100U, 4095U, 4096U, 4097U, 5000U}) {
    ASSERT_EQ(crc32(std::string_view(data).substr(0, length)), reference(std::string_view(data).substr(0, length)))
        << "length " << length;
  }
  // An unaligned start.
  EXPECT_EQ(crc32(std::string_view(data).substr(3, 1000)), reference(std::string_view(data).substr(3, 1000)));
}

}  // namespace
}  // namespace dynamo::auth

namespace dynamo::auth {
namespace {

// The retry quota: 500 tokens, 5 per retry and 10 after a connection failure; a success
// returns its retries' tokens (or 1); an empty bucket refuses.
TEST(RetryQuota, TakesRefundsAndRunsDry) {
  dynamo::auth::RetryQuota quota;
  EXPECT_EQ(quota.available(), 500);
  EXPECT_EQ(quota.acquire(AttemptOutcome::response(503)), 5);
  EXPECT_EQ(quota.acquire(AttemptOutcome::connection_failure()), 10);
  EXPECT_EQ(quota.available(), 485);
  quota.on_success(15);
  EXPECT_EQ(quota.available(), 500);
  quota.on_success(0);  // never above the capacity
  EXPECT_EQ(quota.available(), 500);

  int taken = 0;
  while (const int cost = quota.acquire(AttemptOutcome::response(503))) taken += cost;
  EXPECT_EQ(taken, 500);
  EXPECT_EQ(quota.available(), 0);
  EXPECT_EQ(quota.acquire(AttemptOutcome::response(503)), 0);
  quota.on_success(0);  // a success without retries adds one token
  EXPECT_EQ(quota.available(), 1);
  EXPECT_EQ(quota.acquire(AttemptOutcome::response(503)), 0);
}

}  // namespace
}  // namespace dynamo::auth
