// A few threads running queued jobs in submission order. Internal.
//
// Threads start lazily, one per submitted job that finds no idle thread, up to the limit,
// so a transport used only synchronously never starts one. The destructor runs every job
// already queued, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dynamo::http::detail {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t max_threads) : max_threads_(max_threads) {}
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  // Queues `job`; it must not throw (callers wrap their work).
  void submit(std::function<void()> job);

 private:
  void run();

  const std::size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_threads_ = 0;
  bool stopping_ = false;
};

}  // namespace dynamo::http::detail
