#include "http/handle_pool.hpp"

#include <utility>

namespace dynamo::http::detail {

HandlePool::HandlePool(std::size_t limit, CurlEasyConfig config) : limit_(limit), config_(std::move(config)) {}

HandlePool::Lease HandlePool::acquire() {
  std::unique_lock lock(mutex_);
  handle_returned_.wait(lock, [&] { return !idle_.empty() || created_ < limit_; });
  if (!idle_.empty()) {
    auto handle = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(handle));
  }
  // Count the handle before making it, outside the lock (creation may be slow), so that no
  // other thread can exceed the limit meanwhile.
  ++created_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<CurlEasy>(config_));
  } catch (...) {
    lock.lock();
    --created_;
    lock.unlock();
    handle_returned_.notify_one();
    throw;
  }
}

void HandlePool::give_back(std::unique_ptr<CurlEasy> handle) noexcept {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(handle));
  }
  handle_returned_.notify_one();
}

}  // namespace dynamo::http::detail
