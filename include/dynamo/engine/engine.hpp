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
#include <string_view>

#include "dynamo/api/messages.hpp"
#include "dynamo/api/operation_list.hpp"
#include "dynamo/engine/durable_store.hpp"
#include "dynamo/engine/errors.hpp"

namespace dynamo::engine {

struct EngineOptions {
  // Region and account id in ARNs (arn:aws:dynamodb:<region>:<account>:table/<name>). A
  // tag operation naming another region's or account's ARN finds no table, as on AWS.
  std::string region{"us-east-1"};
  std::string account_id{"000000000000"};
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

  // One method per operation of dynamo/api/operation_list.hpp, named as there:
  //   api::PutItemResponse put_item(const api::PutItemRequest&);
  // Tables (create_table ... describe_time_to_live) live in src/engine/tables.cpp; items
  // (get/put/update/delete_item) in items.cpp; query and scan in query_scan.cpp; batches in
  // batch.cpp; transactions in transactions.cpp; tags, limits and endpoints in account.cpp.
#define DYNAMO_ENGINE_METHOD(method, Name, ...) \
  [[nodiscard]] api::Name##Response method(const api::Name##Request& request);
  DYNAMO_OPERATIONS(DYNAMO_ENGINE_METHOD)
#undef DYNAMO_ENGINE_METHOD

  // GetItem for a caller that only reads the item it finds, as dynamo-server does to encode
  // it: `read` sees the item (projected when the request asks for it) under the table's
  // read lock and is not called when there is none; the response returned holds no Item.
  // `read` must not call the engine.
  [[nodiscard]] api::GetItemResponse visit_item(const api::GetItemRequest& request,
                                                const std::function<void(const Item&)>& read);

  // Query and Scan for a caller that only reads the page's items, as dynamo-server does to
  // encode them: `read` sees each item the response would hold, in the response's order
  // (projected when the request asks for it), under the table's read lock. The response
  // returned holds an empty `items` (none with Select COUNT); everything else is as query()
  // and scan() return it. `read` must not call the engine.
  [[nodiscard]] api::QueryResponse visit_query(const api::QueryRequest& request,
                                               const std::function<void(const Item&)>& read);
  [[nodiscard]] api::ScanResponse visit_scan(const api::ScanRequest& request,
                                             const std::function<void(const Item&)>& read);

  // The three visit forms for a caller that sends the items on as DynamoDB JSON, as
  // dynamo-server does: `read` gets each item as the JSON object json::encode would give
  // for it ({"pk":{"S":"a"},...}), written straight from the form the table stores it in,
  // and valid until `read` returns. Otherwise as visit_item, visit_query and visit_scan.
  [[nodiscard]] api::GetItemResponse visit_item_json(const api::GetItemRequest& request,
                                                     const std::function<void(std::string_view)>& read);
  [[nodiscard]] api::QueryResponse visit_query_json(const api::QueryRequest& request,
                                                    const std::function<void(std::string_view)>& read);
  [[nodiscard]] api::ScanResponse visit_scan_json(const api::ScanRequest& request,
                                                  const std::function<void(std::string_view)>& read);

  // PutItem and BatchWriteItem for a caller that gives its request up: the items are moved
  // into the table instead of copied. Same results and errors as the forms above; after the
  // call the request's items are unspecified.
  [[nodiscard]] api::PutItemResponse put_item(api::PutItemRequest&& request);
  [[nodiscard]] api::BatchWriteItemResponse batch_write_item(api::BatchWriteItemRequest&& request);

  // Runs one TTL sweep now (what the sweeper thread does every interval); returns the
  // number of items deleted.
  std::size_t sweep_expired_items();
  // Drops stream records older than DynamoDB Streams' 24 hours, and streams closed longer
  // ago than that (the sweeper thread does it too); returns the number of records dropped.
  std::size_t trim_streams();
  // Blocks until the shard `shard_iterator` reads (from GetShardIterator or GetRecords) has a
  // record at the iterator's position, or the shard is closed, or `timeout` passes; true
  // unless it timed out. An embedded reader waits here instead of polling GetRecords.
  bool wait_for_records(std::string_view shard_iterator, std::chrono::milliseconds timeout);

  struct State;  // the implementation (src/engine/state.hpp)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace dynamo::engine
