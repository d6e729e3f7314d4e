#include "dynamo/auth/retry_policy.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <random>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

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

namespace {

std::uint32_t zlib_crc32(std::uint32_t crc, std::string_view data) noexcept {
  // zlib takes a 32-bit length; feed larger bodies in pieces.
  constexpr std::size_t chunk = std::numeric_limits<uInt>::max();
  uLong value = crc;
  while (!data.empty()) {
    const std::size_t length = std::min(data.size(), chunk);
    value = ::crc32(value, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(length));
    data.remove_prefix(length);
  }
  return static_cast<std::uint32_t>(value);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DYNAMO_CRC32_FOLDING 1

#define DYNAMO_CRC32_TARGET __attribute__((target("pclmul,sse4.1")))

DYNAMO_CRC32_TARGET inline __m128i load(const char* at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
}

// x folded forward by the distance k's constants stand for, onto `next`.
DYNAMO_CRC32_TARGET inline __m128i fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x11), _mm_clmulepi64_si128(x, k, 0x00)), next);
}

// The CRC32 of `size` bytes (at least 64, a multiple of 16) by carry-less multiplication:
// Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction" (2009),
// folding 64 bytes a step and then 16, with a Barrett reduction at the end; the constants
// are the paper's for the bit-reflected polynomial 0x04c11db7 (the same code is in Linux and
// Chromium's zlib). `crc` and the result are the running register, the complement of zlib's
// value. Several times faster than zlib's tables, for a checksum that the server computes on
// every response and the client on every answer it receives.
DYNAMO_CRC32_TARGET std::uint32_t folded_crc32(std::uint32_t crc, const char* data, std::size_t size) noexcept {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
  const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124LL);
  const __m128i poly = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);

  __m128i x1 = _mm_xor_si128(load(data), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = load(data + 16);
  __m128i x3 = load(data + 32);
  __m128i x4 = load(data + 48);
  data += 64;
  size -= 64;
  for (; size >= 64; data += 64, size -= 64) {
    x1 = fold(x1, k1k2, load(data));
    x2 = fold(x2, k1k2, load(data + 16));
    x3 = fold(x3, k1k2, load(data + 32));
    x4 = fold(x4, k1k2, load(data + 48));
  }
  x1 = fold(x1, k3k4, x2);
  x1 = fold(x1, k3k4, x3);
  x1 = fold(x1, k3k4, x4);
  for (; size >= 16; data += 16, size -= 16) x1 = fold(x1, k3k4, load(data));

  // 128 bits to 64, then to 32 by Barrett reduction.
  const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k3k4, 0x10));
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5k0, 0x00), _mm_srli_si128(x1, 4));
  __m128i reduced = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x10);
  reduced = _mm_clmulepi64_si128(_mm_and_si128(reduced, mask32), poly, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, reduced), 1));
}

bool has_folding_instructions() noexcept {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return has;
}
#endif

}  // namespace

std::uint32_t crc32(std::string_view data) noexcept {
#ifdef DYNAMO_CRC32_FOLDING
  if (data.size() >= 64 && has_folding_instructions()) {
    const std::size_t folded = data.size() & ~std::size_t{15};
    const std::uint32_t crc = ~folded_crc32(0xffffffffU, data.data(), folded);
    return zlib_crc32(crc, data.substr(folded));
  }
#endif
  return zlib_crc32(0, data);
}

bool crc32_matches(std::string_view body, std::string_view header_value) noexcept {
  std::uint32_t expected = 0;
  const char* end = header_value.data() + header_value.size();
  const auto [stop, error] = std::from_chars(header_value.data(), end, expected);
  if (header_value.empty() || error != std::errc{} || stop != end) return false;
  return crc32(body) == expected;
}

}  // namespace dynamo::auth
