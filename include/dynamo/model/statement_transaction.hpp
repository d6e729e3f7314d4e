// Transactions of PartiQL statements over models: one ExecuteTransaction, typed.
//
//   dynamo::StatementTransaction tx(db, {.client_request_token = "reply-17"});
//   tx.insert(reply);                                 // INSERT INTO "Reply" VALUE {...}
//   tx.update<Thread>("SET replies = replies + 1 WHERE forum_name = ? AND subject = ?", "C++", "Modules");
//   tx.exists<Forum>("WHERE forum_name = ? AND locked = ?", "C++", false);  // EXISTS(SELECT ...)
//   tx.remove<Draft>("WHERE id = ?", draft.id);       // DELETE FROM "Draft" WHERE id = ?
//   tx.commit();   // all or nothing: TransactWriteError, whose cancellation_reasons() hold
//                  // one reason per statement, in the order they were added
//
//   dynamo::statement_transaction(db, [&](dynamo::StatementTransaction& tx) { ... });
//                  // commits when the body returns, sends nothing when it throws
//
//   dynamo::SelectTransaction reads(db);
//   auto thread = reads.select<Thread>("WHERE forum_name = ? AND subject = ?", "C++", "Modules");
//   auto forum = reads.select<Forum>("WHERE forum_name = ?", "C++");
//   reads.commit();                       // one consistent snapshot of both
//   Thread t = thread.get();              // DoesNotExist when there was no such item
//   std::optional<Forum> f = forum.find();
//
// As with ModelTable::select(), the statement is written from the model's table name on:
// each method writes `UPDATE "<table>"`, `DELETE FROM "<table>"`, `EXISTS(SELECT * FROM
// "<table>" ...)` or `SELECT * FROM "<table>"` before the clause it is given, and binds each
// `?` to the next argument, converted as the model converts that C++ type. insert() and the
// object form of remove() write the whole statement themselves, every value a parameter.
//
// Everything is checked as it is added, before anything is sent: the attribute names a
// statement uses against its model (an unknown one is a ModelUsageError naming it and the
// model's table), and DynamoDB's limit of 100 statements (dynamo::limits). A statement
// refused for a name, or an insert() refused by a validation rule, refuses the whole
// transaction: commit() throws the same error and sends nothing, even if the first was
// caught. Errors of the statement itself (syntax, a missing key term) come from the service.
//
// Optimistic locking: insert() stores version 1 and, given a non-const object, sets its
// version member after the commit; remove(object) checks the stored version. An update or
// delete written as a clause is sent as written: it neither checks nor increments the
// version (use TransactWrite for that; PartiQL has no if_not_exists).
//
// DynamoDB runs either writes (INSERT, UPDATE, DELETE, EXISTS) or reads (SELECT) in one
// ExecuteTransaction, never both; the two kinds are two types here, so a mix does not compile.
#pragma once

#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamo/api/partiql.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/model/statement.hpp"
#include "dynamo/model/transaction.hpp"

namespace dynamo {

namespace detail {

// The non-template work of StatementTransaction (src/model/statement_transaction.cpp).
class StatementTransactionCore {
 public:
  StatementTransactionCore(Connection connection, TransactWriteOptions options);

  // The statement `prefix` + `clause` + `suffix`, its names checked against `schema`.
  void add(const SchemaCore& schema, std::string_view prefix, std::string_view clause, std::string_view suffix,
           std::optional<std::vector<AttributeValue>> parameters);
  // INSERT INTO "<table>" VALUE {...} of `item` (version 1 for a versioned model);
  // `after_commit` (may be empty) runs once the transaction succeeded.
  void add_insert(const SchemaCore& schema, Item item, std::function<void()> after_commit);
  // DELETE FROM "<table>" WHERE <key> [AND <version>].
  void add_delete(const SchemaCore& schema, Item key, KnownVersion version);
  // Throws ValidationError for an insert that broke a rule, and remembers it.
  [[noreturn]] void refuse(const SchemaCore& schema, std::vector<Violation> violations);
  void commit();

  [[nodiscard]] std::size_t size() const noexcept { return statements_.size(); }
  [[nodiscard]] bool committed() const noexcept { return committed_; }
  [[nodiscard]] bool commit_attempted() const noexcept { return commit_attempted_; }
  [[nodiscard]] bool refused() const noexcept { return refused_ != nullptr; }
  [[nodiscard]] const std::vector<api::ParameterizedStatement>& statements() const noexcept { return statements_; }

 private:
  void check_open_with_room() const;
  void push(const SchemaCore& schema, api::ParameterizedStatement statement);

  Connection connection_;
  TransactWriteOptions options_;
  std::vector<api::ParameterizedStatement> statements_;
  std::vector<std::function<void()>> after_commit_;
  std::exception_ptr refused_;
  bool committed_ = false;
  bool commit_attempted_ = false;
};

// The non-template work of SelectTransaction; shared with its results, read after commit.
class SelectTransactionCore {
 public:
  explicit SelectTransactionCore(Connection connection) : connection_(std::move(connection)) {}

  // Queues `SELECT * FROM "<table>" <clause>`; returns its position.
  std::size_t add(const SchemaCore& schema, std::string_view clause, std::optional<std::vector<AttributeValue>> parameters);
  void commit();
  // The item read by statement `index`, or nullopt when there was none; throws
  // ModelUsageError before commit().
  [[nodiscard]] const std::optional<Item>& result(std::size_t index) const;
  // "the item of SELECT ...", for DoesNotExist.
  [[nodiscard]] std::string describe(std::size_t index) const;

 private:
  Connection connection_;
  std::vector<api::ParameterizedStatement> statements_;
  std::vector<std::optional<Item>> results_;
  bool committed_ = false;
};

}  // namespace detail

class StatementTransaction {
 public:
  // `options.client_request_token` makes the commit idempotent for ten minutes;
  // `options.return_old_items_on_condition_failure` puts the item as it was in the
  // cancellation reason of a statement whose condition failed.
  explicit StatementTransaction(Connection connection, TransactWriteOptions options = {})
      : core_(std::move(connection), std::move(options)) {}
  StatementTransaction(const StatementTransaction&) = delete;
  StatementTransaction& operator=(const StatementTransaction&) = delete;
  StatementTransaction(StatementTransaction&&) = default;
  StatementTransaction& operator=(StatementTransaction&&) = delete;
  // As for TransactWrite: statements never committed are not sent, and unless an exception
  // is unwinding the scope, or a commit() was tried, or the transaction was refused, that is
  // a forgotten commit(), reported to the uncommitted-transaction handler (transaction.hpp).
  ~StatementTransaction() {
    if (!core_.commit_attempted() && !core_.refused() && core_.size() > 0 &&
        std::uncaught_exceptions() <= exceptions_at_start_)
      detail::report_uncommitted_transaction(core_.size());
  }

  // `UPDATE "<T's table>" <clause>`: "SET views = views + 1 WHERE forum_name = ? AND subject = ?".
  template <class T, class... Params>
  void update(std::string_view clause, const Params&... parameters) {
    core_.add(schema_of<T>().core(), "UPDATE " + table_name<T>() + " ", clause, "",
              detail::statement_parameters(parameters...));
  }

  // `DELETE FROM "<T's table>" <clause>`: "WHERE forum_name = ? AND subject = ?".
  template <class T, class... Params>
  void remove(std::string_view clause, const Params&... parameters) {
    core_.add(schema_of<T>().core(), "DELETE FROM " + table_name<T>() + " ", clause, "",
              detail::statement_parameters(parameters...));
  }
  // DELETE of `item`'s key, its version checked when its model has one.
  template <class T>
  void remove(const T& item) {
    const auto& schema = schema_of<T>().core();
    core_.add_delete(schema, schema.key_of(&item), detail::version_of(item));
  }
  // DELETE of a key: remove_key<Thread>({"C++", "Modules"}).
  template <class T>
  void remove_key(const typename ModelTable<T>::Key& key) {
    core_.add_delete(schema_of<T>().core(), key.to_item(), std::nullopt);
  }

  // `EXISTS(SELECT * FROM "<T's table>" <clause>)`, a condition check: the transaction
  // fails unless the item the clause names exists and satisfies the rest of it.
  template <class T, class... Params>
  void exists(std::string_view clause, const Params&... parameters) {
    core_.add(schema_of<T>().core(), "EXISTS(SELECT * FROM " + table_name<T>() + " ", clause, ")",
              detail::statement_parameters(parameters...));
  }

  // `INSERT INTO "<T's table>" VALUE {...}` of the whole item, each value a parameter. It
  // fails (cancellation reason DuplicateItem) when the key is taken. The lvalue form first
  // fills unset members that have a default_to(), as ModelTable::save does, and sets the
  // version member after the commit.
  template <class T>
  void insert(T& item) {
    schema_of<T>().core().apply_defaults(&item);
    check(item);
    std::function<void()> after;
    if (schema_of<T>().core().version_field()) after = [target = &item] { detail::set_version(*target, 1); };
    core_.add_insert(schema_of<T>().core(), serialize(item), std::move(after));
  }
  template <class T>
  void insert(const T& item) {
    check(item);
    core_.add_insert(schema_of<T>().core(), serialize(item), {});
  }

  // Sends every statement as one ExecuteTransaction; throws TransactWriteError (with
  // cancellation_reasons(), one per statement) when DynamoDB cancels it. With no
  // statements it sends nothing.
  void commit() { core_.commit(); }
  [[nodiscard]] std::size_t size() const noexcept { return core_.size(); }
  [[nodiscard]] bool committed() const noexcept { return core_.committed(); }
  // The statements as they will be sent.
  [[nodiscard]] const std::vector<api::ParameterizedStatement>& statements() const noexcept {
    return core_.statements();
  }

 private:
  template <class T>
  static std::string table_name() {
    return detail::partiql_name(schema_of<T>().core().table_name);
  }
  template <class T>
  void check(const T& item) {
    const auto& schema = schema_of<T>().core();
    if (!schema.validates()) return;
    if (auto problems = detail::violations_of(schema, &item); !problems.empty()) core_.refuse(schema, std::move(problems));
  }

  detail::StatementTransactionCore core_;
  int exceptions_at_start_ = std::uncaught_exceptions();
};

// Runs `body(tx)` and commits its statements when it returns; when it throws, nothing is
// sent and the exception propagates. The form to prefer: a commit cannot be forgotten.
template <class Body>
  requires std::invocable<Body&, StatementTransaction&>
void statement_transaction(Connection connection, Body&& body, TransactWriteOptions options = {}) {
  detail::run_transaction_body<StatementTransaction>(std::move(connection), body, std::move(options));
}

// One SELECT of a SelectTransaction: read it after commit() with get() or find().
template <class T>
using SelectTransactionResult = TransactGetResult<T, detail::SelectTransactionCore>;

// SELECTs of whole items, each naming one item's full primary key, read together as one
// consistent snapshot.
class SelectTransaction {
 public:
  explicit SelectTransaction(Connection connection)
      : core_(std::make_shared<detail::SelectTransactionCore>(std::move(connection))) {}

  // `SELECT * FROM "<T's table>" <clause>`: "WHERE forum_name = ? AND subject = ?".
  template <class T, class... Params>
  [[nodiscard]] SelectTransactionResult<T> select(std::string_view clause, const Params&... parameters) {
    return SelectTransactionResult<T>(core_,
                                      core_->add(schema_of<T>().core(), clause, detail::statement_parameters(parameters...)));
  }

  // Reads every SELECT in one ExecuteTransaction; throws TransactWriteError (the client's
  // error for every ExecuteTransaction) when DynamoDB refuses or cancels it.
  void commit() { core_->commit(); }

 private:
  std::shared_ptr<detail::SelectTransactionCore> core_;
};

}  // namespace dynamo
