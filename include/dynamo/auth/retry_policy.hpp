// When to retry a DynamoDB call, how long to wait first, and the x-amz-crc32 check.
//
// Pure logic, no clock and no sleeping, so the HTTP layer owns the waiting and tests can
// pin every decision. Retryable, as in the AWS SDKs' standard retry mode: the throttling
// codes (ProvisionedThroughputExceededException, ThrottlingException, RequestLimitExceeded,
// TransactionInProgressException, LimitExceededException, ...), the transient ones
// (RequestTimeout, PriorRequestNotComplete, ...), any 5xx, a failure before any response
// arrived, and a body whose CRC32 does not match x-amz-crc32. Nothing else: a
// ValidationException or ConditionalCheckFailedException will fail the same way again.
// Backoff is exponential with full jitter: before retry n (0-based) wait a uniformly random
// time in [0, min(base_backoff_ms * 2^n, max_backoff)]. RetryQuota bounds how many retries
// a client makes while an endpoint keeps failing.
//
//   dynamo::auth::RetryPolicy policy{.max_retry_attempts = 3, .base_backoff_ms = 25};
//   for (int retries = 0;; ++retries) {
//     auto outcome = send_once();   // an AttemptOutcome
//     if (!policy.should_retry(outcome, retries)) break;
//     std::this_thread::sleep_for(policy.backoff_delay(retries, dynamo::auth::system_jitter()));
//   }
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dynamo::auth {

// How one attempt ended, as far as retrying cares.
struct AttemptOutcome {
  enum class Kind {
    response,            // an HTTP response arrived (success or error)
    connection_failure,  // no response: connect refused, reset, timed out, DNS failure
    crc32_mismatch,      // a response arrived but its body does not match x-amz-crc32
  };
  Kind kind = Kind::response;
  int http_status = 0;       // for Kind::response
  std::string error_code{};  // DynamoDB's code, with or without the "...#" prefix; may be empty

  [[nodiscard]] static AttemptOutcome response(int http_status, std::string_view error_code = {});
  [[nodiscard]] static AttemptOutcome connection_failure();
  [[nodiscard]] static AttemptOutcome crc32_mismatch();
};

// True for the codes the AWS SDKs' standard retry mode treats as throttling:
// ProvisionedThroughputExceededException, ThrottlingException, RequestLimitExceeded,
// TransactionInProgressException, LimitExceededException and the other services' spellings
// (Throttling, ThrottledException, TooManyRequestsException, ...): the rows marked so in
// dynamo/error_codes.hpp. Matched on the part after '#', if any.
[[nodiscard]] bool is_throttling_error(std::string_view error_code) noexcept;

// True for the transient codes of the standard retry mode: RequestTimeout,
// RequestTimeoutException, PriorRequestNotComplete, and the 5xx codes (InternalServerError,
// ServiceUnavailable, ...). The rows marked so in dynamo/error_codes.hpp.
[[nodiscard]] bool is_transient_error(std::string_view error_code) noexcept;

// Whether trying the same request again can succeed, per the rules at the top.
[[nodiscard]] bool is_retryable(const AttemptOutcome& outcome) noexcept;

// Picks an integer uniformly in [0, upper_inclusive]. Injected so tests are deterministic.
using JitterSource = std::function<std::uint64_t(std::uint64_t upper_inclusive)>;

// A JitterSource drawing from a per-thread generator seeded from std::random_device.
[[nodiscard]] JitterSource system_jitter();

struct RetryPolicy {
  int max_retry_attempts = 3;  // retries after the first attempt (PynamoDB's default)
  int base_backoff_ms = 25;
  // The cap on any single wait, so a large attempt count cannot mean minutes of sleep
  // (botocore caps at 20 s as well).
  std::chrono::milliseconds max_backoff{20'000};

  // Whether to retry after `outcome`, given that `retries_done` retries were already made.
  [[nodiscard]] bool should_retry(const AttemptOutcome& outcome, int retries_done) const noexcept;

  // The largest wait before retry `retry_index` (0 for the first retry):
  // min(base_backoff_ms * 2^retry_index, max_backoff), without overflow for any index.
  [[nodiscard]] std::chrono::milliseconds backoff_ceiling(int retry_index) const noexcept;

  // The wait before retry `retry_index`: jitter(backoff_ceiling(retry_index)), clamped to
  // the ceiling in case the source misbehaves.
  [[nodiscard]] std::chrono::milliseconds backoff_delay(int retry_index, const JitterSource& jitter) const;
};

// The retry quota of the AWS SDKs' standard mode: a bucket of tokens shared by all the calls
// of one client. A retry takes retry_cost tokens (timeout_retry_cost after a connection
// failure or timeout); a call that succeeds returns what its retries took, or
// no_retry_increment when it needed none, up to the capacity. When the bucket cannot pay
// for a retry, the failure is returned at once: during an outage a client stops
// multiplying its load by its retry count. Thread-safe.
class RetryQuota {
 public:
  static constexpr int capacity = 500;
  static constexpr int retry_cost = 5;
  static constexpr int timeout_retry_cost = 10;
  static constexpr int no_retry_increment = 1;

  // Takes the cost of a retry after `outcome`; returns the tokens taken, 0 when the bucket
  // could not pay (then do not retry).
  [[nodiscard]] int acquire(const AttemptOutcome& outcome) noexcept;
  // A call succeeded; `taken` is the sum acquire() returned for its retries.
  void on_success(int taken) noexcept;
  [[nodiscard]] int available() const noexcept { return tokens_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int> tokens_{capacity};
};

// The CRC32 (zlib's, the one x-amz-crc32 uses) of `data`.
[[nodiscard]] std::uint32_t crc32(std::string_view data) noexcept;

// Whether `body` matches an x-amz-crc32 header value (a decimal unsigned 32-bit number).
// A malformed header value counts as a mismatch.
[[nodiscard]] bool crc32_matches(std::string_view body, std::string_view header_value) noexcept;

}  // namespace dynamo::auth
