// RateLimiter: sleeps before a call as long as the units of the previous calls require.
#include "dynamo/model/rate_limiter.hpp"

#include <thread>

#include "dynamo/model/errors.hpp"

namespace dynamo {

RateLimiter::RateLimiter(double units_per_second)
    : RateLimiter(units_per_second, [] { return clock::now(); },
                  [](clock::duration d) { std::this_thread::sleep_for(d); }) {}

RateLimiter::RateLimiter(double units_per_second, std::function<clock::time_point()> now,
                         std::function<void(clock::duration)> sleep)
    : rate_(units_per_second), now_(std::move(now)), sleep_(std::move(sleep)) {
  if (!(units_per_second > 0)) throw ModelUsageError("rate_limit must be a positive number of units per second");
}

void RateLimiter::acquire() {
  const auto now = now_();
  if (started_ && consumed_ > 0) {
    // The units consumed since the last call are paid for by time: units / rate seconds.
    const auto owed = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(consumed_ / rate_));
    const auto ready = last_ + owed;
    if (ready > now) {
      sleep_(ready - now);
      last_ = ready;
      consumed_ = 0;
      return;
    }
  }
  started_ = true;
  last_ = now;
  consumed_ = 0;
}

}  // namespace dynamo
