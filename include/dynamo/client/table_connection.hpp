// dynamo::TableConnection — PynamoDB's TableConnection: a Connection bound to one table.
//
//   auto thread = dynamo::Connection::embedded().table("Thread");
//   thread.put_item({.item = {{"forum", "C++"}, {"subject", "Modules"}}});
//   auto got = thread.get_item({.key = {{"forum", "C++"}, {"subject", "Modules"}}});
//   thread.put(item);                  // shorthand for put_item({.item = item})
//   std::optional<dynamo::Item> it = thread.get(key);
//
// Each single-table operation takes the api request with its table name left empty: the
// TableConnection fills it in (a request naming another table is an error, not silently
// redirected). Multi-table operations (batches, transactions, ListTables) stay on Connection.
#pragma once

#include <future>
#include <optional>
#include <string>

#include "dynamo/client/connection.hpp"

namespace dynamo {

class TableConnection {
 public:
  TableConnection(Connection connection, std::string table_name)
      : connection_(std::move(connection)), table_name_(std::move(table_name)) {}

  // Every operation whose scope is `table` in dynamo/api/operation_list.hpp.
#define DYNAMO_TABLE_METHOD(method, Name, protocol, access, scope, error) \
  DYNAMO_IF_TABLE_SCOPE_##scope(                                        \
      api::Name##Response method(api::Name##Request request = {}) const; \
      [[nodiscard]] std::future<api::Name##Response> method##_async(api::Name##Request request = {}) const; \
      void method##_async(api::Name##Request request, CompletionHandler<api::Name##Response> handler) const;)
  DYNAMO_OPERATIONS(DYNAMO_TABLE_METHOD)
#undef DYNAMO_TABLE_METHOD

  // Shorthands for the commonest calls.
  void put(Item item) const { (void)put_item({.item = std::move(item)}); }
  // The item with this key, or nullopt. Strongly consistent when `consistent_read`.
  [[nodiscard]] std::optional<Item> get(Item key, bool consistent_read = false) const {
    return get_item({.key = std::move(key), .consistent_read = consistent_read}).item;
  }
  void remove(Item key) const { (void)delete_item({.key = std::move(key)}); }

  [[nodiscard]] const std::string& table_name() const noexcept { return table_name_; }
  [[nodiscard]] const Connection& connection() const noexcept { return connection_; }

 private:
  // Sets request.table_name, refusing a request that names a different table.
  template <class Request>
  Request bind(Request request) const;

  Connection connection_;
  std::string table_name_;
};

inline TableConnection Connection::table(std::string table_name) const {
  return TableConnection(*this, std::move(table_name));
}

}  // namespace dynamo
