// dynamo::RateLimiter — keeps a sequence of reads under a number of capacity units per
// second (PynamoDB's rate_limit= on query, scan and count), driven by the ConsumedCapacity
// DynamoDB returns.
//
//   dynamo::RateLimiter limiter(5.0);          // 5 read units per second
//   for (;;) {
//     limiter.acquire();                       // sleeps as long as the last call requires
//     auto page = db.scan(request);            // with ReturnConsumedCapacity=TOTAL
//     limiter.consume(page.consumed_capacity->capacity_units.value_or(0));
//   }
//
// It can only slow calls down: a rate higher than the service allows changes nothing.
#pragma once

#include <chrono>
#include <functional>

namespace dynamo {

class RateLimiter {
 public:
  using clock = std::chrono::steady_clock;

  // `units_per_second` must be positive (throws dynamo::ModelUsageError otherwise).
  explicit RateLimiter(double units_per_second);
  // For tests: a clock and a sleep function to use instead of the real ones.
  RateLimiter(double units_per_second, std::function<clock::time_point()> now,
              std::function<void(clock::duration)> sleep);

  // Waits until the units consumed since the previous acquire() fit the rate.
  void acquire();
  // Records units consumed by the call made after the last acquire().
  void consume(double units) noexcept { consumed_ += units; }

  [[nodiscard]] double rate_limit() const noexcept { return rate_; }

 private:
  double rate_;
  double consumed_ = 0;
  clock::time_point last_{};
  bool started_ = false;
  std::function<clock::time_point()> now_;
  std::function<void(clock::duration)> sleep_;
};

}  // namespace dynamo
