// The list of DynamoDB operations the client layer exposes, as an X-macro, so that the
// Backend interface, its implementations and Connection declare one method per operation
// from a single list rather than seventeen hand-kept copies.
//
//   #define DECLARE(method, Name) api::Name##Response method(const api::Name##Request&);
//   DYNAMO_CLIENT_OPERATIONS(DECLARE)
//
// X(method_name, OperationName): the api layer's structs are OperationName##Request and
// OperationName##Response; `error` is the exception type Connection raises for it.
#pragma once

#define DYNAMO_CLIENT_OPERATIONS(X)                            \
  X(create_table, CreateTable, TableError)                     \
  X(delete_table, DeleteTable, TableError)                     \
  X(describe_table, DescribeTable, TableError)                 \
  X(list_tables, ListTables, TableError)                       \
  X(update_table, UpdateTable, TableError)                     \
  X(update_time_to_live, UpdateTimeToLive, TableError)         \
  X(describe_time_to_live, DescribeTimeToLive, TableError)     \
  X(get_item, GetItem, GetError)                               \
  X(put_item, PutItem, PutError)                               \
  X(update_item, UpdateItem, UpdateError)                      \
  X(delete_item, DeleteItem, DeleteError)                      \
  X(query, Query, QueryError)                                  \
  X(scan, Scan, ScanError)                                     \
  X(batch_get_item, BatchGetItem, GetError)                    \
  X(batch_write_item, BatchWriteItem, PutError)                \
  X(transact_get_items, TransactGetItems, TransactGetError)    \
  X(transact_write_items, TransactWriteItems, TransactWriteError)
