#include "http/worker_pool.hpp"

#include <utility>

namespace dynamo::http::detail {

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    // Each queued job beyond the idle threads deserves a thread of its own, up to the limit.
    if (queue_.size() > idle_threads_ && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { run(); });
    }
  }
  work_available_.notify_one();
}

void WorkerPool::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_threads_;
    work_available_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    --idle_threads_;
    if (queue_.empty()) return;  // stopping, and nothing left to do
    auto job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace dynamo::http::detail
