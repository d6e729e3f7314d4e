#include "http/handle_pool.hpp"

#include <utility>

namespace dynamo::http::detail {

HandlePool::HandlePool(std::size_t limit, ChannelFactory make_channel)
    : limit_(limit), make_channel_(std::move(make_channel)) {}

HandlePool::Lease HandlePool::acquire() {
  std::unique_lock lock(mutex_);
  channel_returned_.wait(lock, [&] { return !idle_.empty() || created_ < limit_; });
  if (!idle_.empty()) {
    auto channel = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(channel));
  }
  // Count the channel before making it, outside the lock (creation may be slow), so that no
  // other thread can exceed the limit meanwhile.
  ++created_;
  lock.unlock();
  try {
    return Lease(*this, make_channel_());
  } catch (...) {
    lock.lock();
    --created_;
    lock.unlock();
    channel_returned_.notify_one();
    throw;
  }
}

void HandlePool::give_back(std::unique_ptr<Channel> channel) noexcept {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(channel));
  }
  channel_returned_.notify_one();
}

}  // namespace dynamo::http::detail
