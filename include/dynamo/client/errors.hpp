// The exceptions Connection raises, mirroring PynamoDB's hierarchy so that code ported
// from it reads the same:
//
//   dynamo::Error                       (code, message, HTTP status, request id)
//   └── OperationError                  PynamoDB's PynamoDBConnectionError: any failed call
//       ├── TableError                  Create/Delete/Describe/Update/ListTables, TTL calls
//       ├── GetError                    GetItem, BatchGetItem
//       ├── PutError                    PutItem, BatchWriteItem
//       ├── UpdateError                 UpdateItem
//       ├── DeleteError                 DeleteItem
//       ├── QueryError                  Query
//       ├── ScanError                   Scan
//       ├── TransactGetError            TransactGetItems
//       ├── TransactWriteError          TransactWriteItems, ExecuteTransaction (cancellation_reasons())
//       ├── StatementError              ExecuteStatement, BatchExecuteStatement
//       └── StreamError                 ListStreams, DescribeStream, GetShardIterator, GetRecords
//
// Each carries the service's error code and message unchanged (PynamoDB's
// cause_response_code and cause_response_message), the request id, the operation and the
// table, so this works:
//
//   try { table.put_item(request); }
//   catch (const dynamo::PutError& e) {
//     if (e.code() == "ConditionalCheckFailedException") ...   // e.cause_message() is the service's text
//   }
//
// When the service could not be reached at all, code() is "ConnectionError" and
// is_connection_failure() is true. On a table that does not exist, every operation's error
// is also a TableDoesNotExist (below).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/api/service_error.hpp"
#include "dynamo/error.hpp"

namespace dynamo {

class OperationError : public Error {
 public:
  // Wraps `cause` (the backend's error) for a call of `operation` on `table_name`.
  OperationError(std::string_view operation, std::string_view table_name, const Error& cause);

  // "PutItem", "Query", ...
  [[nodiscard]] const std::string& operation() const noexcept { return operation_; }
  // The table the call addressed (empty for calls on several tables or none).
  [[nodiscard]] const std::string& table_name() const noexcept { return table_name_; }
  // The service's own message, without the operation and table this error adds.
  [[nodiscard]] const std::string& cause_message() const noexcept { return cause_message_; }
  // True when no response was received (network failure, timeout) after all retries.
  [[nodiscard]] bool is_connection_failure() const noexcept { return code() == "ConnectionError"; }
  // The old item of a failed condition, when the request asked for ALL_OLD.
  [[nodiscard]] const std::optional<Item>& item() const noexcept { return item_; }
  // One reason per action of a cancelled transaction, in request order (empty otherwise).
  // An action that did not cause the cancellation has no code (the wire's "None").
  [[nodiscard]] const std::vector<api::CancellationReason>& cancellation_reasons() const noexcept {
    return cancellation_reasons_;
  }

 private:
  std::string operation_;
  std::string table_name_;
  std::string cause_message_;
  std::optional<Item> item_;
  std::vector<api::CancellationReason> cancellation_reasons_;
};

#define DYNAMO_OPERATION_ERROR(Name, Base) \
  class Name : public Base {               \
   public:                                 \
    using Base::Base;                      \
  };
DYNAMO_OPERATION_ERROR(TableError, OperationError)
DYNAMO_OPERATION_ERROR(GetError, OperationError)
DYNAMO_OPERATION_ERROR(PutError, OperationError)
DYNAMO_OPERATION_ERROR(UpdateError, OperationError)
DYNAMO_OPERATION_ERROR(DeleteError, OperationError)
DYNAMO_OPERATION_ERROR(QueryError, OperationError)
DYNAMO_OPERATION_ERROR(ScanError, OperationError)
DYNAMO_OPERATION_ERROR(TransactGetError, OperationError)
DYNAMO_OPERATION_ERROR(TransactWriteError, OperationError)
DYNAMO_OPERATION_ERROR(StatementError, OperationError)
DYNAMO_OPERATION_ERROR(StreamError, OperationError)
#undef DYNAMO_OPERATION_ERROR

// Every operation on a table that does not exist (ResourceNotFoundException) raises an
// exception that is both the operation's own type and a TableDoesNotExist, as PynamoDB
// raises TableDoesNotExist from any call on a missing table:
//
//   try { threads.save(thread); }
//   catch (const dynamo::TableDoesNotExist& e) { ... e.table_name() ... }
//   catch (const dynamo::PutError& e) { ... }   // other failures (a missing table also is one)
//
// TableDoesNotExist is not itself a dynamo::Error (the operation's type is); error() gives
// that error, and the accessors below forward to it.
class TableDoesNotExist {
 public:
  virtual ~TableDoesNotExist() = default;
  // The operation's error (a TableError, PutError, QueryError, ...).
  [[nodiscard]] virtual const OperationError& error() const noexcept = 0;

  [[nodiscard]] const std::string& code() const noexcept { return error().code(); }  // "ResourceNotFoundException"
  [[nodiscard]] std::string_view message() const noexcept { return error().message(); }
  [[nodiscard]] const char* what() const noexcept { return error().what(); }
  [[nodiscard]] const std::string& operation() const noexcept { return error().operation(); }
  // The table the call named (empty for batches and transactions over several tables).
  [[nodiscard]] const std::string& table_name() const noexcept { return error().table_name(); }

 protected:
  TableDoesNotExist() = default;
  TableDoesNotExist(const TableDoesNotExist&) = default;
  TableDoesNotExist& operator=(const TableDoesNotExist&) = default;
};

// The exception thrown for operation error type Base on a missing table.
template <class Base>
class MissingTableError final : public Base, public TableDoesNotExist {
 public:
  using Base::Base;
  [[nodiscard]] const OperationError& error() const noexcept override { return *this; }
  using Base::code;
  using Base::message;
  using Base::operation;
  using Base::table_name;
  using Base::what;
};

}  // namespace dynamo
