// The one list of the operations dynamo speaks. Everything that has one entry per operation
// is generated from it: the api::Operation enum and its names, wire targets, protocols and
// read-only flags; the codec's declarations; the Backend interface, both backends,
// Connection and TableConnection; the engine's methods; dynamo-server's routes; the codec
// fuzzer's selection. Adding an operation is: its request/response structs and their codec
// (src/api), its engine implementation, one line here, and tests (docs/architecture.md).
//
// X(method, Name, protocol, access, scope, error):
//   method    snake_case member name: Connection::method, Engine::method.
//   Name      the wire name ("PutItem"); the structs are api::Name##Request/Response.
//   protocol  dynamodb (X-Amz-Target "DynamoDB_20120810.Name") or streams
//             ("DynamoDBStreams_20120810.Name", served on the streams endpoint).
//   access    read (only reads: safe to retry after any failure) or write.
//   scope     table (the request names one table in TableName: TableConnection offers it)
//             or account (several tables, none, or a resource ARN).
//   error     the exception type Connection raises for it (dynamo/client/errors.hpp);
//             only the client layer reads this column.
#pragma once

// clang-format off
#define DYNAMO_OPERATIONS(X)                                                                   \
  X(create_table,           CreateTable,          dynamodb, write, table,   TableError)        \
  X(delete_table,           DeleteTable,          dynamodb, write, table,   TableError)        \
  X(describe_table,         DescribeTable,        dynamodb, read,  table,   TableError)        \
  X(list_tables,            ListTables,           dynamodb, read,  account, TableError)        \
  X(update_table,           UpdateTable,          dynamodb, write, table,   TableError)        \
  X(update_time_to_live,    UpdateTimeToLive,     dynamodb, write, table,   TableError)        \
  X(describe_time_to_live,  DescribeTimeToLive,   dynamodb, read,  table,   TableError)        \
  X(get_item,               GetItem,              dynamodb, read,  table,   GetError)          \
  X(put_item,               PutItem,              dynamodb, write, table,   PutError)          \
  X(update_item,            UpdateItem,           dynamodb, write, table,   UpdateError)       \
  X(delete_item,            DeleteItem,           dynamodb, write, table,   DeleteError)       \
  X(query,                  Query,                dynamodb, read,  table,   QueryError)        \
  X(scan,                   Scan,                 dynamodb, read,  table,   ScanError)         \
  X(batch_get_item,         BatchGetItem,         dynamodb, read,  account, GetError)          \
  X(batch_write_item,       BatchWriteItem,       dynamodb, write, account, PutError)          \
  X(transact_get_items,     TransactGetItems,     dynamodb, read,  account, TransactGetError)  \
  X(transact_write_items,   TransactWriteItems,   dynamodb, write, account, TransactWriteError)\
  X(tag_resource,           TagResource,          dynamodb, write, account, TableError)        \
  X(untag_resource,         UntagResource,        dynamodb, write, account, TableError)        \
  X(list_tags_of_resource,  ListTagsOfResource,   dynamodb, read,  account, TableError)        \
  X(describe_limits,        DescribeLimits,       dynamodb, read,  account, TableError)        \
  X(describe_endpoints,     DescribeEndpoints,    dynamodb, read,  account, TableError)        \
  X(execute_statement,      ExecuteStatement,     dynamodb, write, account, StatementError)    \
  X(batch_execute_statement, BatchExecuteStatement, dynamodb, write, account, StatementError)  \
  X(execute_transaction,    ExecuteTransaction,   dynamodb, write, account, TransactWriteError)\
  X(list_streams,           ListStreams,          streams,  read,  account, StreamError)       \
  X(describe_stream,        DescribeStream,       streams,  read,  account, StreamError)       \
  X(get_shard_iterator,     GetShardIterator,     streams,  read,  account, StreamError)       \
  X(get_records,            GetRecords,           streams,  read,  account, StreamError)
// clang-format on

// For code generated only for one scope: DYNAMO_IF_TABLE_SCOPE_##scope(code...) keeps the code
// for table-scoped operations and drops it for the others.
#define DYNAMO_IF_TABLE_SCOPE_table(...) __VA_ARGS__
#define DYNAMO_IF_TABLE_SCOPE_account(...)
