// dynamo::engine::Engine — an embedded, in-memory DynamoDB: every operation of the
// DynamoDB API with the service's semantics, limits and error messages.
//
//   #include <dynamo/engine.hpp>
//   using namespace dynamo::api;
//   dynamo::engine::Engine engine;   // in memory, TTL sweeper every second
//   engine.create_table({.table_name = "Thread",
//                        .attribute_definitions = {{"forum", ScalarAttributeType::s}},
//                        .key_schema = {{"forum", KeyType::hash}},
//                        .billing_mode = BillingMode::pay_per_request});
//   engine.put_item({.table_name = "Thread", .item = {{"forum", "C++"}, {"views", 1}}});
//   auto got = engine.get_item({.table_name = "Thread", .key = {{"forum", "C++"}}});
//
// Each method takes the api request struct and returns the api response struct, or throws
// dynamo::Error carrying DynamoDB's error code and message (ConditionalCheckFailed and
// TransactionCanceled, from dynamo/engine/errors.hpp, carry the extra data of theirs).
//
// Thread safety: every method may be called from any number of threads at once.
// Single-item operations are linearizable; transactions are serializable. Tables are
// ACTIVE as soon as CreateTable returns; secondary indexes are updated in the same critical
// section as their table, so they are never stale (DynamoDB's GSIs are eventually
// consistent: code that works here also works there, not necessarily the reverse).
// docs/engine.md describes paging, capacity, TTL and the known differences from DynamoDB.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "dynamo/api/batch.hpp"
#include "dynamo/api/item_operations.hpp"
#include "dynamo/api/query_scan.hpp"
#include "dynamo/api/table_operations.hpp"
#include "dynamo/api/transactions.hpp"
#include "dynamo/api/ttl.hpp"
#include "dynamo/engine/durable_store.hpp"
#include "dynamo/engine/errors.hpp"

namespace dynamo::engine {

struct EngineOptions {
  // Region in ARNs (arn:aws:dynamodb:<region>:000000000000:table/<name>).
  std::string region{"us-east-1"};
  // How often the TTL sweeper looks for expired items. An expired item is deleted within
  // about one interval of its expiry time. Zero disables the sweeper thread (call
  // Engine::sweep_expired_items() yourself).
  std::chrono::milliseconds ttl_sweep_interval{std::chrono::seconds(1)};
  // The wall clock TTL compares against (injectable for tests); system_clock when empty.
  std::function<std::chrono::system_clock::time_point()> clock{};
  // Persistence; nullptr keeps everything in memory only (see durable_store.hpp).
  std::shared_ptr<DurableStore> store{};
};

class Engine {
 public:
  Engine();
  explicit Engine(EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Tables.
  [[nodiscard]] api::CreateTableResponse create_table(const api::CreateTableRequest& request);
  [[nodiscard]] api::DeleteTableResponse delete_table(const api::DeleteTableRequest& request);
  [[nodiscard]] api::DescribeTableResponse describe_table(const api::DescribeTableRequest& request);
  [[nodiscard]] api::ListTablesResponse list_tables(const api::ListTablesRequest& request);
  [[nodiscard]] api::UpdateTableResponse update_table(const api::UpdateTableRequest& request);
  [[nodiscard]] api::UpdateTimeToLiveResponse update_time_to_live(const api::UpdateTimeToLiveRequest& request);
  [[nodiscard]] api::DescribeTimeToLiveResponse describe_time_to_live(const api::DescribeTimeToLiveRequest& request);

  // Items.
  [[nodiscard]] api::GetItemResponse get_item(const api::GetItemRequest& request);
  [[nodiscard]] api::PutItemResponse put_item(const api::PutItemRequest& request);
  [[nodiscard]] api::UpdateItemResponse update_item(const api::UpdateItemRequest& request);
  [[nodiscard]] api::DeleteItemResponse delete_item(const api::DeleteItemRequest& request);

  // Reads of many items.
  [[nodiscard]] api::QueryResponse query(const api::QueryRequest& request);
  [[nodiscard]] api::ScanResponse scan(const api::ScanRequest& request);

  // Batches and transactions.
  [[nodiscard]] api::BatchGetItemResponse batch_get_item(const api::BatchGetItemRequest& request);
  [[nodiscard]] api::BatchWriteItemResponse batch_write_item(const api::BatchWriteItemRequest& request);
  [[nodiscard]] api::TransactGetItemsResponse transact_get_items(const api::TransactGetItemsRequest& request);
  [[nodiscard]] api::TransactWriteItemsResponse transact_write_items(const api::TransactWriteItemsRequest& request);

  // Runs one TTL sweep now (what the sweeper thread does every interval); returns the
  // number of items deleted.
  std::size_t sweep_expired_items();

  struct State;  // the implementation (src/engine/state.hpp)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace dynamo::engine
