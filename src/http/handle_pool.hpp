// A bounded pool of CurlEasy handles. Internal.
//
// At most `limit` handles exist, so at most `limit` connections are ever open or in use.
// acquire() hands out the most recently returned handle (last in, first out): its
// connection is the one most likely still alive, and a lightly loaded client keeps using
// a single connection. When all handles are lent, acquire() waits.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "http/curl_easy.hpp"

namespace dynamo::http::detail {

class HandlePool {
 public:
  HandlePool(std::size_t limit, CurlEasyConfig config);

  // A lent handle; gives it back on destruction.
  class Lease {
   public:
    Lease(HandlePool& pool, std::unique_ptr<CurlEasy> handle) : pool_(&pool), handle_(std::move(handle)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->give_back(std::move(handle_)); }
    [[nodiscard]] CurlEasy& operator*() const noexcept { return *handle_; }
    [[nodiscard]] CurlEasy* operator->() const noexcept { return handle_.get(); }

   private:
    HandlePool* pool_;
    std::unique_ptr<CurlEasy> handle_;
  };

  // Waits until a handle is free (or may be created) and lends it. Throws dynamo::Error
  // when a new handle cannot be created.
  [[nodiscard]] Lease acquire();

 private:
  void give_back(std::unique_ptr<CurlEasy> handle) noexcept;

  const std::size_t limit_;
  const CurlEasyConfig config_;
  std::mutex mutex_;
  std::condition_variable handle_returned_;
  std::vector<std::unique_ptr<CurlEasy>> idle_;
  std::size_t created_ = 0;
};

}  // namespace dynamo::http::detail
