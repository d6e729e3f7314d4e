// A bounded pool of channels (keep-alive connections to the endpoint). Internal.
//
// At most `limit` channels exist, so at most `limit` connections are ever open or in use.
// acquire() hands out the most recently returned channel (last in, first out): its
// connection is the one most likely still alive, and a lightly loaded client keeps using
// a single connection. When all channels are lent, acquire() waits.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "http/channel.hpp"

namespace dynamo::http::detail {

// Makes a new channel; may throw dynamo::Error when it cannot.
using ChannelFactory = std::function<std::unique_ptr<Channel>()>;

class HandlePool {
 public:
  HandlePool(std::size_t limit, ChannelFactory make_channel);

  // A lent channel; gives it back on destruction.
  class Lease {
   public:
    Lease(HandlePool& pool, std::unique_ptr<Channel> channel) : pool_(&pool), channel_(std::move(channel)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->give_back(std::move(channel_)); }
    [[nodiscard]] Channel& operator*() const noexcept { return *channel_; }
    [[nodiscard]] Channel* operator->() const noexcept { return channel_.get(); }

   private:
    HandlePool* pool_;
    std::unique_ptr<Channel> channel_;
  };

  // Waits until a channel is free (or may be created) and lends it. Throws dynamo::Error
  // when a new channel cannot be created.
  [[nodiscard]] Lease acquire();

 private:
  void give_back(std::unique_ptr<Channel> channel) noexcept;

  const std::size_t limit_;
  const ChannelFactory make_channel_;
  std::mutex mutex_;
  std::condition_variable channel_returned_;
  std::vector<std::unique_ptr<Channel>> idle_;
  std::size_t created_ = 0;
};

}  // namespace dynamo::http::detail
