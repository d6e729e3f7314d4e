// Transactions of model items: PynamoDB's TransactWrite and TransactGet, typed.
//
//   dynamo::TransactWrite tx(db, {.client_request_token = "order-17"});
//   tx.condition_check<User>("alice", field(&User::active) == true);
//   tx.save(order);                                   // PutItem; the version is checked
//   tx.update(account, {field(&Account::balance).set(field(&Account::balance) - 10)},
//             field(&Account::balance) >= 10);
//   tx.remove(cart);
//   tx.commit();   // all or nothing: TransactWriteError, whose cancellation_reasons()
//                  // say which action failed and why
//
//   dynamo::transact_write(db, [&](dynamo::TransactWrite& tx) { ... });   // commits when
//                  // the body returns, sends nothing when it throws: the form to prefer
//
//   dynamo::TransactGet reads(db);
//   auto user = reads.get<User>("alice");
//   auto thread = reads.get<Thread>({"C++", "Modules"});
//   reads.commit();                  // one consistent snapshot of both
//   User u = user.get();             // DoesNotExist when there was no such item
//   std::optional<Thread> t = thread.find();
//
// Actions are collected and sent by commit(), once; the limits are DynamoDB's (at most 100
// actions, no two on one item), and the 100 is checked as actions are added. Versioned
// models get the same optimistic-locking condition and increment as ModelTable::save,
// update and remove; after a successful commit the version member of an object passed by
// non-const reference holds the stored version. An update() does not refresh the object's
// other members (TransactWriteItems returns no attributes): call refresh() for those.
//
// save() and update() check the model's validation rules (validation.hpp) as they queue: an
// action that breaks one throws ValidationError and refuses the whole transaction, so a
// later commit() throws the same error and sends nothing, even if the first was caught.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/transactions.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/model/table.hpp"

namespace dynamo {

struct TransactWriteOptions {
  // DynamoDB's idempotency token: the same token and request within 10 minutes is applied once.
  std::optional<std::string> client_request_token{};
  // Ask for the item as it was in the cancellation reason of a failed condition.
  bool return_old_items_on_condition_failure{};
};

namespace detail {

// The non-template work of TransactWrite (src/model/transaction.cpp).
class TransactWriteCore {
 public:
  TransactWriteCore(Connection connection, TransactWriteOptions options);

  [[nodiscard]] const Connection& connection() const noexcept { return connection_; }
  // Queues one action; `after_commit` (may be empty) runs once the transaction succeeded.
  void add_put(api::PutItemRequest request, std::function<void()> after_commit);
  void add_delete(api::DeleteItemRequest request);
  void add_update(api::UpdateItemRequest request, std::function<void()> after_commit);
  void add_condition_check(const std::string& table_name, Item key, const expr::Condition& condition);
  // Throws ValidationError for an action that broke a rule, and remembers it: commit()
  // then throws it again and sends nothing.
  [[noreturn]] void refuse(const SchemaCore& schema, std::vector<Violation> violations);
  void commit();
  [[nodiscard]] std::size_t size() const noexcept { return actions_.size(); }
  [[nodiscard]] bool committed() const noexcept { return committed_; }
  // Whether commit() was called, successful or not.
  [[nodiscard]] bool commit_attempted() const noexcept { return commit_attempted_; }
  // Whether an action was refused by validation (the transaction will send nothing).
  [[nodiscard]] bool refused() const noexcept { return refused_ != nullptr; }

 private:
  void check_open_with_room() const;

  Connection connection_;
  TransactWriteOptions options_;
  std::vector<api::TransactWriteItem> actions_;
  std::vector<std::function<void()>> after_commit_;
  std::shared_ptr<const ValidationError> refused_;
  bool committed_ = false;
  bool commit_attempted_ = false;
};

// The non-template work of TransactGet; shared with the results, which read it after commit.
class TransactGetCore {
 public:
  explicit TransactGetCore(Connection connection) : connection_(std::move(connection)) {}

  // Queues a Get; returns its position.
  std::size_t add(const std::string& table_name, Item key, const std::vector<std::string>& attributes_to_get);
  void commit();
  // The item read by Get number `index`, or nullopt when it does not exist; throws
  // ModelUsageError before commit().
  [[nodiscard]] const std::optional<Item>& result(std::size_t index) const;
  // "Thread item {...}" for DoesNotExist.
  [[nodiscard]] std::string describe(std::size_t index) const;

 private:
  Connection connection_;
  std::vector<api::TransactGetItem> gets_;
  std::vector<std::optional<Item>> results_;
  bool committed_ = false;
};

// Calls the uncommitted-transaction handler (below).
void report_uncommitted_transaction(std::size_t dropped_actions) noexcept;

}  // namespace detail

// Called when a TransactWrite holding actions is destroyed without commit(), other than
// by an exception (then nothing being sent is the point). Receives the number of actions
// that were never sent. The default handler writes one line to std::cerr; a program can
// log it its own way, or count it in tests. It must not throw.
using UncommittedTransactionHandler = void (*)(std::size_t dropped_actions);
// Installs `handler` (nullptr: the default) and returns the previous one.
UncommittedTransactionHandler set_uncommitted_transaction_handler(UncommittedTransactionHandler handler) noexcept;

class TransactWrite {
 public:
  explicit TransactWrite(Connection connection, TransactWriteOptions options = {})
      : core_(std::move(connection), std::move(options)) {}
  TransactWrite(const TransactWrite&) = delete;
  TransactWrite& operator=(const TransactWrite&) = delete;
  TransactWrite(TransactWrite&&) = default;
  TransactWrite& operator=(TransactWrite&&) = delete;
  // Actions never committed are not sent. Unless an exception is unwinding the scope, or
  // a commit() was tried and failed, that is a forgotten commit(): it is reported to the
  // uncommitted-transaction handler. dynamo::transact_write(connection, body) cannot forget.
  ~TransactWrite() {
    if (!core_.commit_attempted() && !core_.refused() && core_.size() > 0 &&
        std::uncaught_exceptions() <= exceptions_at_start_)
      detail::report_uncommitted_transaction(core_.size());
  }

  // Put of the whole item, optionally conditional; with a version attribute, the stored
  // version is checked and incremented (and `item`'s version member updated on commit).
  template <class T>
  void save(T& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) {
    schema_of<T>().core().apply_defaults(&item);  // as ModelTable::save: defaults kept in the object
    check(item);
    std::optional<std::int64_t> version;
    auto request = table<T>().put_request(serialize(item), condition, options, version);
    T* target = &item;
    core_.add_put(std::move(request), version ? std::function<void()>([target, v = *version] {
      detail::set_version(*target, v);
    })
                                               : std::function<void()>());
  }
  template <class T>
  void save(const T& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) {
    check(item);
    std::optional<std::int64_t> version;
    core_.add_put(table<T>().put_request(serialize(item), condition, options, version), {});
  }

  // Update of `item`'s key (its version checked and incremented when it has one).
  template <class T>
  void update(T& item, const expr::Update& actions, const expr::Condition& condition = {},
              const WriteOptions& options = {}) {
    check_update<T>(actions);
    const detail::KnownVersion version = detail::version_of(item);
    auto request = table<T>().update_request(schema_of<T>().core().key_of(&item), version, actions, condition, options);
    std::function<void()> after;
    // Only a checked version is known after the commit: version + 1 (1 for a new object).
    // Unchecked, the stored version was incremented from a value this object never saw.
    if (version && options.add_version_condition) {
      after = [target = &item, next = *version + 1] { detail::set_version(*target, next); };
    }
    core_.add_update(std::move(request), std::move(after));
  }
  // Update by key: update<Thread>({"C++", "Modules"}, actions). As with UpdateItem, a
  // missing item is created unless the condition says otherwise.
  template <class T>
  void update(const typename ModelTable<T>::Key& key, const expr::Update& actions,
              const expr::Condition& condition = {}) {
    check_update<T>(actions);
    core_.add_update(table<T>().update_request(key.to_item(), std::nullopt, actions, condition, {}), {});
  }

  // Delete of `item`'s key (its version checked when it has one), or of a key.
  template <class T>
  void remove(const T& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) {
    core_.add_delete(
        table<T>().delete_request(schema_of<T>().core().key_of(&item), detail::version_of(item), condition, options));
  }
  template <class T>
  void remove_key(const typename ModelTable<T>::Key& key, const expr::Condition& condition = {}) {
    core_.add_delete(table<T>().delete_request(key.to_item(), std::nullopt, condition, {.add_version_condition = false}));
  }

  // ConditionCheck: the transaction fails unless the item with this key satisfies `condition`.
  template <class T>
  void condition_check(const typename ModelTable<T>::Key& key, const expr::Condition& condition) {
    core_.add_condition_check(schema_of<T>().core().table_name, key.to_item(), condition);
  }

  // Sends every action as one TransactWriteItems; throws TransactWriteError (with
  // cancellation_reasons()) when DynamoDB cancels it. With no actions it sends nothing.
  void commit() { core_.commit(); }
  [[nodiscard]] std::size_t size() const noexcept { return core_.size(); }
  [[nodiscard]] bool committed() const noexcept { return core_.committed(); }

 private:
  template <class T>
  detail::TableCore table() const {
    return detail::TableCore(core_.connection(), schema_of<T>().core());
  }

  // Validation of an action; a broken rule refuses the transaction.
  template <class T>
  void check(const T& item) {
    const auto& schema = schema_of<T>().core();
    if (!schema.validates()) return;
    if (auto problems = detail::violations_of(schema, &item); !problems.empty()) core_.refuse(schema, std::move(problems));
  }
  template <class T>
  void check_update(const expr::Update& actions) {
    const auto& schema = schema_of<T>().core();
    if (!schema.validates()) return;
    if (auto problems = detail::update_violations(schema, actions); !problems.empty())
      core_.refuse(schema, std::move(problems));
  }

  detail::TransactWriteCore core_;
  int exceptions_at_start_ = std::uncaught_exceptions();
};

// PynamoDB's `with TransactWrite(connection=...) as transaction:`: runs `body(tx)` and
// commits its actions when it returns; when it throws, nothing is sent and the exception
// propagates. The form to prefer: a commit cannot be forgotten.
//
//   dynamo::transact_write(db, [&](dynamo::TransactWrite& tx) {
//     tx.update<Account>("alice", {balance.add(-10)}, balance >= 10);
//     tx.update<Account>("bob", {balance.add(10)});
//   });
namespace detail {

// The scoped form of a write transaction: `body(transaction)`, then commit() unless the
// body committed itself; when the body throws, nothing is sent.
template <class Transaction, class Body, class Options>
void run_transaction_body(Connection connection, Body& body, Options options) {
  Transaction transaction(std::move(connection), std::move(options));
  body(transaction);
  if (!transaction.committed()) transaction.commit();
}

}  // namespace detail

template <class Body>
  requires std::invocable<Body&, TransactWrite&>
void transact_write(Connection connection, Body&& body, TransactWriteOptions options = {}) {
  detail::run_transaction_body<TransactWrite>(std::move(connection), body, std::move(options));
}

// One read of a read transaction (a Get of a TransactGet, a SELECT of a
// SelectTransaction): read it after commit(). `Core` holds the transaction's answers.
template <class T, class Core = detail::TransactGetCore>
class TransactGetResult {
 public:
  TransactGetResult(std::shared_ptr<const Core> core, std::size_t index)
      : core_(std::move(core)), index_(index) {}

  // The item; throws DoesNotExist when there is none.
  [[nodiscard]] T get() const {
    const auto& item = core_->result(index_);
    if (!item) throw DoesNotExist(core_->describe(index_));
    return deserialize<T>(*item);
  }
  // The item, or nullopt when there is none.
  [[nodiscard]] std::optional<T> find() const {
    const auto& item = core_->result(index_);
    if (!item) return std::nullopt;
    return deserialize<T>(*item);
  }

 private:
  std::shared_ptr<const Core> core_;
  std::size_t index_;
};

class TransactGet {
 public:
  explicit TransactGet(Connection connection) : core_(std::make_shared<detail::TransactGetCore>(std::move(connection))) {}

  template <class T>
  [[nodiscard]] TransactGetResult<T> get(const typename ModelTable<T>::Key& key,
                                         const std::vector<std::string>& attributes_to_get = {}) {
    return TransactGetResult<T>(core_, core_->add(schema_of<T>().core().table_name, key.to_item(), attributes_to_get));
  }

  // Reads every queued item in one TransactGetItems (a consistent snapshot); throws
  // TransactGetError when DynamoDB refuses or cancels it.
  void commit() { core_->commit(); }

 private:
  std::shared_ptr<detail::TransactGetCore> core_;
};

}  // namespace dynamo
