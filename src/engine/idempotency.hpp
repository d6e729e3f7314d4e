// The ClientRequestToken records of TransactWriteItems (and ExecuteTransaction): which
// tokens were used in the last 10 minutes, with the request and the response of each.
//
// Lookups go through a hash map; finished records also wait in a queue ordered by the time
// they finished, so expiry pops them from its front instead of scanning every record.
// Times are the engine's clock (Engine::State::now()) truncated to milliseconds, the
// precision a DurableStore keeps them with.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "dynamo/api/messages.hpp"
#include "dynamo/engine/durable_store.hpp"

namespace dynamo::engine::detail {

class IdempotencyRecords {
 public:
  using Clock = std::chrono::system_clock;
  // How long a finished call's token keeps its meaning (API reference, TransactWriteItems).
  static constexpr std::chrono::minutes window{10};

  // Starts a call with `token` at `now`. A finished identical call's response is returned
  // (the caller answers with it and applies nothing); a different request with the token
  // throws IdempotentParameterMismatchException, a call still running with it
  // TransactionInProgressException. Otherwise the call is recorded as running and nullopt
  // is returned: the caller then ends it with finish() or abandon().
  std::optional<api::TransactWriteItemsResponse> begin(const std::string& token,
                                                       const api::TransactWriteItemsRequest& request,
                                                       Clock::time_point now);
  // The running call with `token` succeeded at `finished_at`.
  void finish(const std::string& token, const api::TransactWriteItemsResponse& response,
              Clock::time_point finished_at);
  // The running call with `token` failed: it leaves no record.
  void abandon(const std::string& token);

  // A record read back from a store at open; false (and nothing kept) when it has expired
  // by `now`, in which case the store holds a token to trim. A record that does not decode
  // throws InternalServerError.
  bool restore(const StoredToken& stored, Clock::time_point now);

  // Drops the records expired at `now`; returns how many.
  std::size_t expire(Clock::time_point now);
  // Whether records dropped (or found expired at open) since the last call may still be in
  // the store; clears the flag. A store trim that fails calls store_trim_failed() to set it again.
  bool take_store_trim_due();
  void store_trim_failed();

  // The number of records, running or finished.
  [[nodiscard]] std::size_t size() const;

  // The time a token finished at `at` is stamped with: milliseconds, as stores keep it.
  [[nodiscard]] static Clock::time_point stamp(Clock::time_point at) {
    return std::chrono::floor<std::chrono::milliseconds>(at);
  }
  // Milliseconds since the Unix epoch, a store's form of a time, and back.
  [[nodiscard]] static std::int64_t to_milliseconds(Clock::time_point at) {
    return std::chrono::floor<std::chrono::milliseconds>(at.time_since_epoch()).count();
  }
  [[nodiscard]] static Clock::time_point from_milliseconds(std::int64_t ms) {
    return Clock::time_point(std::chrono::milliseconds(ms));
  }

 private:
  struct Record {
    api::TransactWriteItemsRequest request;
    api::TransactWriteItemsResponse response;
    Clock::time_point finished_at;
    bool finished = false;
  };
  struct Expiry {
    Clock::time_point finished_at;
    std::string token;
  };

  void expire_locked(Clock::time_point now);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  // The finished records, oldest first. A clock that steps back can leave an entry behind a
  // later one, which then waits for it: expiry is late by that step, never early.
  std::deque<Expiry> expiry_;
  bool store_trim_due_ = false;
};

}  // namespace dynamo::engine::detail
