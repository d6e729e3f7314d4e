#include "dynamo/auth/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <random>


#include "detail/crc32.hpp"
#include "dynamo/error_codes.hpp"

namespace dynamo::auth {

AttemptOutcome AttemptOutcome::response(int http_status, std::string_view error_code) {
  return AttemptOutcome{
      .kind = Kind::response, .http_status = http_status, .error_code = std::string(error_code)};
}

AttemptOutcome AttemptOutcome::connection_failure() {
  return AttemptOutcome{.kind = Kind::connection_failure};
}

AttemptOutcome AttemptOutcome::crc32_mismatch() { return AttemptOutcome{.kind = Kind::crc32_mismatch}; }

// The standard retry mode's lists (botocore, the AWS SDK for C++ and Java agree) are the
// rows of the one error list marked throttling or transient; find_error_code accepts a
// namespaced "ns#Code" as well as the bare code.
bool is_throttling_error(std::string_view error_code) noexcept {
  const ErrorCodeInfo* info = find_error_code(error_code);
  return info != nullptr && info->retry == ErrorRetry::throttling;
}

bool is_transient_error(std::string_view error_code) noexcept {
  const ErrorCodeInfo* info = find_error_code(error_code);
  return info != nullptr && info->retry == ErrorRetry::transient;
}

int RetryQuota::acquire(const AttemptOutcome& outcome) noexcept {
  const int cost = outcome.kind == AttemptOutcome::Kind::connection_failure ? timeout_retry_cost : retry_cost;
  int tokens = tokens_.load(std::memory_order_relaxed);
  do {
    if (tokens < cost) return 0;
  } while (!tokens_.compare_exchange_weak(tokens, tokens - cost, std::memory_order_relaxed));
  return cost;
}

void RetryQuota::on_success(int taken) noexcept {
  const int refund = taken > 0 ? taken : no_retry_increment;
  int tokens = tokens_.load(std::memory_order_relaxed);
  while (tokens < capacity &&
         !tokens_.compare_exchange_weak(tokens, std::min(capacity, tokens + refund), std::memory_order_relaxed)) {
  }
}

bool is_retryable(const AttemptOutcome& outcome) noexcept {
  switch (outcome.kind) {
    case AttemptOutcome::Kind::connection_failure:
    case AttemptOutcome::Kind::crc32_mismatch:
      return true;
    case AttemptOutcome::Kind::response:
      return (outcome.http_status >= 500 && outcome.http_status <= 599) ||
             is_throttling_error(outcome.error_code) || is_transient_error(outcome.error_code);
  }
  return false;
}

JitterSource system_jitter() {
  return [](std::uint64_t upper_inclusive) {
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return std::uniform_int_distribution<std::uint64_t>(0, upper_inclusive)(generator);
  };
}

bool RetryPolicy::should_retry(const AttemptOutcome& outcome, int retries_done) const noexcept {
  return retries_done < max_retry_attempts && is_retryable(outcome);
}

std::chrono::milliseconds RetryPolicy::backoff_ceiling(int retry_index) const noexcept {
  const auto cap =
      static_cast<std::uint64_t>(std::max<std::chrono::milliseconds::rep>(0, max_backoff.count()));
  const auto base = static_cast<std::uint64_t>(std::max(0, base_backoff_ms));
  const auto exponent = static_cast<unsigned>(std::max(0, retry_index));
  // base * 2^exponent exceeds the cap as soon as base exceeds cap >> exponent; checking
  // that way round never overflows, whatever the index.
  std::uint64_t ceiling = cap;
  if (exponent < 64 && base <= (cap >> exponent)) ceiling = base << exponent;
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(ceiling));
}

std::chrono::milliseconds RetryPolicy::backoff_delay(int retry_index, const JitterSource& jitter) const {
  const auto ceiling = static_cast<std::uint64_t>(backoff_ceiling(retry_index).count());
  const std::uint64_t delay = std::min(jitter(ceiling), ceiling);
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(delay));
}

std::uint32_t crc32(std::string_view data) noexcept { return detail::crc32(0, data); }

bool crc32_matches(std::string_view body, std::string_view header_value) noexcept {
  std::uint32_t expected = 0;
  const char* end = header_value.data() + header_value.size();
  const auto [stop, error] = std::from_chars(header_value.data(), end, expected);
  if (header_value.empty() || error != std::errc{} || stop != end) return false;
  return crc32(body) == expected;
}

}  // namespace dynamo::auth
