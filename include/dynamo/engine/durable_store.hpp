// dynamo::engine::DurableStore — the seam through which the engine persists what it
// acknowledges, and from which it rebuilds its state when it opens.
//
// The engine keeps every table in memory; a store only makes that state survive a restart.
// Without a store (the default) the engine does no encoding at all.
//
//   class MyStore : public dynamo::engine::DurableStore { ... };   // LMDB, SQLite, a log file
//   auto store = std::make_shared<MyStore>("/var/lib/dynamo");
//   dynamo::engine::Engine engine({.store = store});               // load() runs here
//
// Contract (what the engine promises, and what it expects):
//
//   * Write before acknowledge. Every change the engine makes is handed to the store
//     before the operation returns to its caller, and before the change becomes visible to
//     other callers. If the store throws, the operation fails with that exception and the
//     engine's memory is left unchanged, so a caller never sees a success the store did not
//     record.
//
//   * Atomic batches. apply() receives every item change of one operation: one change for
//     PutItem/UpdateItem/DeleteItem and a TTL deletion, all of a BatchWriteItem, all of a
//     TransactWriteItems. The store must make the batch durable all-or-nothing; after a
//     crash, load() must see either the whole batch or none of it.
//
//   * Encodings. A key is the DynamoDB JSON of the item's primary-key attributes (for
//     example {"pk":{"S":"a"},"sk":{"N":"1"}}), written canonically (attributes sorted by
//     name, numbers in canonical text), so equal keys have equal bytes and a store can use
//     them as its own keys. An item is the DynamoDB JSON of the whole item. A table's
//     metadata is the JSON of a DescribeTableResponse ({"Table": {...}}), decodable with
//     dynamo::api::decode<dynamo::api::DescribeTableResponse>; item counts and sizes in it
//     are not meaningful (the engine recomputes them on load).
//
//   * Ordering. Calls arrive in an order consistent with the engine's own: changes to one
//     table are serialised by that table's lock, so a store sees them in commit order.
//     Calls for different tables may arrive concurrently from several threads: an
//     implementation must be thread-safe.
//
//   * Table lifecycle. put_table() is called when a table is created and whenever its
//     metadata changes (UpdateTable, UpdateTimeToLive). delete_table() is called when a
//     table is deleted and must drop its items as well. Items are only written for tables
//     that exist.
//
//   * Loading. load() is called once, from the Engine's constructor, before any other
//     call. It reports every table (on_table) before any of that table's items (on_item).
//     Exceptions from load() propagate out of the constructor.
//
//   * Streams. A table with an enabled stream produces one stream record per changed item;
//     the engine hands the records to apply_with_records() together with the item changes
//     that produced them, and the store must make both durable in one transaction (a crash
//     never keeps a change without its record, or a record without its change). A stream's
//     own state (its shards and whether it is closed) is written with put_stream() whenever
//     it changes; records older than the retention period are dropped with trim_stream(),
//     and a stream that has expired entirely with delete_stream(). A store that does not
//     override these refuses to persist a stream (CreateTable or UpdateTable enabling a
//     stream then fails with its error) and everything else keeps working.
//
//   * Idempotency tokens. A TransactWriteItems (or ExecuteTransaction) call with a
//     ClientRequestToken reaches apply_with_token() with the token, the request and the
//     response, to be made durable in the same transaction as the call's item changes and
//     stream records; it is called even when the call changed no item (only condition
//     checks), so that a retry after a restart is still recognised. load() reports the
//     stored tokens (on_token) after everything else; the engine keeps those younger than
//     10 minutes (by its clock) and drops the rest with trim_tokens(), which its sweeper
//     also calls as tokens expire. A store that does not override these applies the changes
//     without the token: everything works, but a retry after a restart is applied again.
//
// Not persisted: consumed-capacity figures.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dynamo::engine {

// One table's persistent metadata.
struct StoredTable {
  std::string name{};
  // {"Table": {...}}: the DescribeTableResponse JSON of the table.
  std::string description_json{};
  // The TTL attribute when Time to Live is enabled; empty otherwise.
  std::string ttl_attribute{};
};

// One item change of a batch: a put (item set) or a delete (item empty).
struct StoredItemChange {
  std::string_view table{};
  std::string_view key{};                  // canonical DynamoDB JSON of the key attributes
  std::optional<std::string_view> item{};  // DynamoDB JSON of the new item; nullopt = delete
};

// One stream's persistent state: the JSON of a DescribeStreamResponse listing all of its
// shards (the engine reads it back with the api codec).
struct StoredStream {
  std::string arn{};
  std::string description_json{};
};

// One stream record of a batch. Sequence numbers of one stream have equal length, so their
// bytes order as their values.
struct StoredStreamRecord {
  std::string_view stream_arn{};
  std::string_view sequence_number{};
  std::string_view record_json{};  // a GetRecords record
};

// One ClientRequestToken of a transaction: the request and response JSON (the api codec's
// TransactWriteItemsRequest and TransactWriteItemsResponse) and when the call finished, in
// milliseconds since the Unix epoch by the engine's clock.
struct StoredToken {
  std::string_view token{};
  std::string_view request_json{};
  std::string_view response_json{};
  std::int64_t written_at_ms = 0;
};

class DurableStore {
 public:
  // Receives the store's content during load().
  class Loader {
   public:
    virtual ~Loader() = default;
    virtual void on_table(const StoredTable& table) = 0;
    virtual void on_item(std::string_view table, std::string_view item_json) = 0;
    // Streams come after every table; a stream before its records, records in sequence order.
    virtual void on_stream(const StoredStream& stream) = 0;
    virtual void on_stream_record(std::string_view stream_arn, std::string_view record_json) = 0;
    // Tokens come last, in any order; the default ignores them.
    virtual void on_token(const StoredToken& token);
  };

  virtual ~DurableStore() = default;

  // Creates or replaces the metadata of a table.
  virtual void put_table(const StoredTable& table) = 0;
  // Removes a table and all of its items. It may take several transactions (a large table's
  // items in chunks, letting other writes in between), provided that a crash part-way never
  // leaves the table loadable with part of its items: the bundled stores mark the table first
  // and finish an interrupted deletion when they are next opened.
  virtual void delete_table(std::string_view name) = 0;
  // Applies the changes of one operation atomically (see the contract above).
  virtual void apply(std::span<const StoredItemChange> changes) = 0;
  // Reports every stored table, then its items, to `loader`; then every stream and its
  // records; then every token (a store that keeps them).
  virtual void load(Loader& loader) = 0;

  // Applies the changes of one operation and the stream records they produced, atomically.
  // The default refuses records (a store without streams) and applies batches without any.
  virtual void apply_with_records(std::span<const StoredItemChange> changes,
                                  std::span<const StoredStreamRecord> records);
  // Creates or replaces a stream's state.
  virtual void put_stream(const StoredStream& stream);
  // Drops the records of a stream whose sequence number is at most `last_sequence`.
  virtual void trim_stream(std::string_view stream_arn, std::string_view last_sequence);
  // Drops a stream and its records.
  virtual void delete_stream(std::string_view stream_arn);

  // Applies the changes and records of one transaction and stores its token, atomically
  // (`changes` and `records` may both be empty). The default applies them without the token.
  virtual void apply_with_token(std::span<const StoredItemChange> changes,
                                std::span<const StoredStreamRecord> records, const StoredToken& token);
  // Drops the tokens written before `before_ms`. The default has none to drop.
  virtual void trim_tokens(std::int64_t before_ms);
};

}  // namespace dynamo::engine
