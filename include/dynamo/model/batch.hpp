// Batch reads and writes of model items: PynamoDB's Model.batch_get() and
// Model.batch_write(), with DynamoDB's batch rules handled for the caller.
//
//   std::vector<Thread> found = threads.batch_get({{"C++", "Modules"}, {"C++", "Ranges"}});
//   threads.batch_write([&](dynamo::BatchWriter<Thread>& batch) {
//     for (const Thread& t : drafts) batch.save(t);
//     batch.remove_key({"C++", "Old"});
//   });   // what is still queued is sent here, also when the body throws
//
// What is done for you: keys and writes are sent in requests of at most 100 keys / 25
// writes; a key asked for twice is read once; two writes to one key in a row go in
// separate requests, in order, so the later one wins (DynamoDB refuses both in one); the
// UnprocessedKeys / UnprocessedItems DynamoDB returns when capacity runs short are sent
// again with exponential backoff and jitter. Only rounds that get nothing done count as
// retries (a round with progress starts the count again); after retry.max_retry_attempts
// of those in a row, BatchIncomplete is thrown holding exactly what was not done.
//
// What is not: a batch has no conditions, so saving a versioned model in a batch writes
// its version attribute as it is, without the optimistic-locking check (as in PynamoDB).
//
// Validation is per item: batch.save(item) checks the model's rules (validation.hpp) and
// throws ValidationError without queueing an item that breaks one. The writes queued before
// it are not withdrawn; if the error leaves the body, they are sent as the body ends, like
// any write queued when a body throws. For all or nothing, check every item with
// dynamo::validate() before the batch, or write them in a transaction.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "dynamo/api/batch.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/error.hpp"

namespace dynamo {

// How long to keep sending what DynamoDB left unprocessed: rounds in a row without progress.
inline auth::RetryPolicy default_batch_retry() { return auth::RetryPolicy{.max_retry_attempts = 8, .base_backoff_ms = 25}; }

struct BatchGetOptions {
  bool consistent_read{};
  std::vector<std::string> attributes_to_get{};  // stored names; empty = all
  auth::RetryPolicy retry = default_batch_retry();
};

struct BatchWriteOptions {
  auth::RetryPolicy retry = default_batch_retry();
  // On: every 25 queued writes go out at once. Off: nothing is sent before commit()
  // (or the end of the batch_write body), which then sends everything, 25 per request.
  bool auto_commit = true;
};

// DynamoDB still left keys or writes unprocessed after every retry. Everything not listed
// here was done; what is listed was not, and may be sent again.
class BatchIncomplete : public Error {
 public:
  BatchIncomplete(std::string message, std::vector<Item> unprocessed_keys, std::vector<api::WriteRequest> unprocessed_writes)
      : Error("BatchIncomplete", std::move(message), 500),
        unprocessed_keys_(std::move(unprocessed_keys)),
        unprocessed_writes_(std::move(unprocessed_writes)) {}

  // batch_get: the keys not read.
  [[nodiscard]] const std::vector<Item>& unprocessed_keys() const noexcept { return unprocessed_keys_; }
  // batch_write: the puts and deletes not applied, in the order they were queued.
  [[nodiscard]] const std::vector<api::WriteRequest>& unprocessed_writes() const noexcept { return unprocessed_writes_; }

 private:
  std::vector<Item> unprocessed_keys_;
  std::vector<api::WriteRequest> unprocessed_writes_;
};

namespace detail {

// BatchGetItem of `keys` (any number) on one table; the items found, in DynamoDB's order.
[[nodiscard]] std::vector<Item> batch_get(const Connection& connection, const std::string& table_name,
                                          std::vector<Item> keys, const BatchGetOptions& options);

// The queue behind BatchWriter<T>: requests of at most 25 writes with distinct keys, in
// order; sent as each fills up (auto_commit) or all at flush().
class BatchWriteCore {
 public:
  BatchWriteCore(Connection connection, std::string table_name, std::vector<std::string> key_names,
                 BatchWriteOptions options);

  void put(Item item);
  void remove(Item key);
  // Sends every queued write; returns once all are applied (or throws BatchIncomplete,
  // listing what was not applied, queued requests not sent included).
  void flush();
  [[nodiscard]] std::size_t pending() const noexcept { return pending_count_; }
  // Writes DynamoDB has applied so far.
  [[nodiscard]] std::size_t written() const noexcept { return written_; }

 private:
  void add(api::WriteRequest write, std::string key);
  void send(std::vector<api::WriteRequest> writes);

  Connection connection_;
  std::string table_name_;
  std::vector<std::string> key_names_;
  BatchWriteOptions options_;
  std::vector<std::vector<api::WriteRequest>> pending_;  // requests to send, in order
  std::unordered_set<std::string> open_keys_;  // canonical keys in pending_.back()
  std::size_t pending_count_ = 0;
  std::size_t written_ = 0;
};

}  // namespace detail
}  // namespace dynamo
