// Batch reads and writes of model items: PynamoDB's Model.batch_get() and
// Model.batch_write(), with DynamoDB's batch rules handled for the caller.
//
//   std::vector<Thread> found = threads.batch_get({{"C++", "Modules"}, {"C++", "Ranges"}});
//   for (const Thread& t : threads.batch_get_lazy(many_keys)) ...   // 100 keys per request, as the loop goes
//   for (const dynamo::Item& item : dynamo::batch_get_lazy(db.table("Thread"), raw_keys)) ...
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
// When a BatchWriteItem request fails (after the client's own retries), the batch stops and
// throws BatchIncomplete with the request's error as cause(). Its 25 writes are listed as
// unprocessed_writes() when the answer refused the request (a 4xx: nothing applied), and as
// unknown_writes() when its outcome is unknown (ConnectionError, a timeout, ChecksumError,
// a 5xx, an unreadable answer: DynamoDB may have applied any of them); the writes still
// queued behind it, never sent, are unprocessed_writes() too, and the queue is left empty.
// So no write goes unaccounted for: applied, not applied, or in doubt.
//
// batch_get() reads every key before it returns; batch_get_lazy() returns at once and sends
// each request of 100 keys only when the loop has used up the items of the one before
// (PynamoDB's batch_get is a generator too). Its keys are read in the same way, with the
// same retries; when it gives up, the loop throws BatchIncomplete listing the keys not read
// yet, and keeps them: looping again sends them again, with fresh retries.
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
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "dynamo/api/batch.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/client/table_connection.hpp"
#include "dynamo/error.hpp"
#include "dynamo/model/lazy_range.hpp"

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

// A batch stopped with work left: DynamoDB still left keys or writes unprocessed after every
// retry, or a batch write request failed. It says exactly where every write stands:
//
//   unprocessed_writes()  not applied: handed back unprocessed, refused with the request,
//                         or never sent (still queued behind the request that failed).
//   unknown_writes()      sent in a BatchWriteItem whose outcome is unknown: it failed with
//                         no usable answer (ConnectionError, a timeout, ChecksumError after the
//                         transport's retries, a 5xx, an answer that could not be read), so
//                         DynamoDB may or may not have applied them, and may have applied
//                         some and not others.
//   cause()               the error of that failed request (null when the batch gave up on
//                         unprocessed items); cause_code() is its code.
//
// Every write of the batch not listed in either was applied. Puts and deletes are
// idempotent on their own, so both lists may be sent again; keep their order (a later write
// to the same key must stay later).
class BatchIncomplete : public Error {
 public:
  BatchIncomplete(std::string message, std::vector<Item> unprocessed_keys, std::vector<api::WriteRequest> unprocessed_writes,
                  std::vector<api::WriteRequest> unknown_writes = {}, std::exception_ptr cause = {},
                  std::string cause_code = {})
      : Error(std::string(error_code::batch_incomplete), std::move(message), 500),
        unprocessed_keys_(std::move(unprocessed_keys)),
        unprocessed_writes_(std::move(unprocessed_writes)),
        unknown_writes_(std::move(unknown_writes)),
        cause_(std::move(cause)),
        cause_code_(std::move(cause_code)) {}

  // batch_get: the keys not read.
  [[nodiscard]] const std::vector<Item>& unprocessed_keys() const noexcept { return unprocessed_keys_; }
  // batch_write: the puts and deletes not applied, in the order they were queued.
  [[nodiscard]] const std::vector<api::WriteRequest>& unprocessed_writes() const noexcept { return unprocessed_writes_; }
  // batch_write: the puts and deletes that may or may not have been applied, in order.
  [[nodiscard]] const std::vector<api::WriteRequest>& unknown_writes() const noexcept { return unknown_writes_; }
  // The failed request's error (rethrow it with std::rethrow_exception), or null.
  [[nodiscard]] const std::exception_ptr& cause() const noexcept { return cause_; }
  // Its code (error_code::connection_error, ...); empty when cause() is null.
  [[nodiscard]] const std::string& cause_code() const noexcept { return cause_code_; }

 private:
  std::vector<Item> unprocessed_keys_;
  std::vector<api::WriteRequest> unprocessed_writes_;
  std::vector<api::WriteRequest> unknown_writes_;
  std::exception_ptr cause_;
  std::string cause_code_;
};

namespace detail {

// Reads keys of one table with BatchGetItem, a request at a time as its items are asked for
// (src/model/batch.cpp). Between a request that DynamoDB left keys of and the next one, it
// waits with backoff; a key is dropped from its list only once a response has read it.
class BatchGetReader {
 public:
  BatchGetReader(Connection connection, std::string table_name, std::vector<Item> keys,
                 const BatchGetOptions& options);

  // The next item read, or nullptr when every key has been read: sends requests until one
  // reads an item or no key is left. Throws the client's GetError when a request
  // fails, and BatchIncomplete when DynamoDB left keys unread for options.retry rounds in
  // a row; either way the keys not read are kept, for the next call to send again.
  [[nodiscard]] Item* next();
  // BatchGetItem requests sent so far (those that got a response).
  [[nodiscard]] int requests_sent() const noexcept { return requests_; }
  // Keys not read yet: handed back unprocessed, or not sent.
  [[nodiscard]] std::size_t keys_left() const noexcept { return waiting_.size() + (keys_.size() - next_); }

 private:
  bool fetch();
  [[noreturn]] void give_up();

  Connection connection_;
  std::string table_name_;
  std::vector<Item> keys_;  // distinct keys, in the caller's order
  std::size_t next_ = 0;    // keys_[next_...] were never sent
  std::vector<Item> waiting_;  // sent and not read (unprocessed, or the request failed)
  api::KeysAndAttributes shape_;  // consistency and projection of every request
  auth::RetryPolicy retry_;
  int retries_ = 0;            // rounds in a row in which DynamoDB read none of the keys sent
  bool backoff_due_ = false;   // the last response left keys unread
  bool progress_ = false;      // ...and read some of those it was sent
  std::vector<Item> page_;     // the items of the last response
  std::size_t position_ = 0;   // items of page_ handed out
  int requests_ = 0;
};

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
  // Sends every queued write; returns once all are applied. Otherwise throws
  // BatchIncomplete: what was not applied (queued requests not sent included) and what may
  // have been (a request whose outcome is unknown); the queue is then empty.
  void flush();
  [[nodiscard]] std::size_t pending() const noexcept { return pending_count_; }
  // Writes DynamoDB has applied so far.
  [[nodiscard]] std::size_t written() const noexcept { return written_; }

 private:
  void add(api::WriteRequest write, std::string key);
  // Sends `requests` in order; on failure, `held_back` (writes not queued yet) is listed
  // as not applied too.
  void send_all(std::vector<std::vector<api::WriteRequest>> requests, std::vector<api::WriteRequest> held_back);
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

// The scope of a batch writer's body: runs `body(batch)`, then commits what is still queued,
// also when the body throws (PynamoDB's context manager). The body's exception is the one
// that propagates, even if that last commit failed too: a batch is not atomic, and what was
// sent stays written either way.
template <class Writer, class Body>
void run_batch_body(Writer& batch, Body& body) {
  try {
    body(batch);
  } catch (...) {
    try {
      batch.commit();
    } catch (...) {  // the body's error is the one to report
    }
    throw;
  }
  batch.commit();
}

}  // namespace detail

// The items of a lazy batch get: models (T) or raw items (dynamo::Item), read from the
// table as the loop goes. An input range like ResultIterator: a second loop continues where
// the first one stopped, copies share their position, and a loop that threw (a failed
// request, BatchIncomplete) hands out nothing new: looping again sends the unread keys again.
template <class T>
class BatchGetResults : public detail::LazyRange<BatchGetResults<T>, T> {
 public:
  explicit BatchGetResults(std::shared_ptr<detail::BatchGetReader> reader) : reader_(std::move(reader)) {}

  // BatchGetItem requests sent so far.
  [[nodiscard]] int requests_sent() const noexcept { return reader_->requests_sent(); }
  // Keys not read yet (0 once the loop has finished).
  [[nodiscard]] std::size_t keys_left() const noexcept { return reader_->keys_left(); }

 private:
  friend class detail::LazyRange<BatchGetResults<T>, T>;

  std::optional<T> produce() {
    Item* item = reader_->next();
    if (!item) return std::nullopt;
    if constexpr (std::is_same_v<T, Item>) return std::move(*item);  // handed out once: no copy needed
    else return deserialize<T>(*item);
  }

  std::shared_ptr<detail::BatchGetReader> reader_;
};

// Raw items (boto's `users.batch_get(keys=[...])`): BatchGetItem of `keys` on `table`, every
// key read before it returns (the items found, in DynamoDB's order), or lazily, as the loop
// goes. Keys are Items of the key attributes; the rules are those of a model's batch_get.
//   std::vector<dynamo::Item> keys = {dynamo::Item{{"username", "alice"}}, dynamo::Item{{"username", "bob"}}};
//   for (const dynamo::Item& user : dynamo::batch_get_lazy(db.table("users"), keys)) ...
[[nodiscard]] std::vector<Item> batch_get(const TableConnection& table, std::vector<Item> keys,
                                          const BatchGetOptions& options = {});
[[nodiscard]] BatchGetResults<Item> batch_get_lazy(const TableConnection& table, std::vector<Item> keys,
                                                   const BatchGetOptions& options = {});

}  // namespace dynamo
