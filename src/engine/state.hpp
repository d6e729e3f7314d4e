// The engine's internal data model: tables, their rows, secondary indexes, and the
// helpers every operation file shares (key order, validation, capacity, expressions).
//
// Layout, chosen for the two access paths DynamoDB has:
//   * a partition (all items sharing a partition key) is found by hash lookup, so GetItem,
//     PutItem and Query reach it in O(1): one slot of an open-addressing array, then the
//     partition (PartitionMap, partition_map.hpp);
//   * the same array keeps the partitions in (64-bit hash of the partition key, key)
//     order, which is the Scan order: it is stable across runs, lets a Scan resume after
//     any key, and lets parallel-scan segments be contiguous, disjoint hash ranges;
//   * inside a partition, items are ordered by sort key in DynamoDB's key order, so Query
//     ranges are map ranges; a table without a sort key holds its one item per partition
//     in the partition itself (TableRows, table_rows.hpp);
//   * each item is held packed in one block of its own (PackedItem, packed_item.hpp), a
//     little more than its DynamoDB size, and decoded for whoever reads it.
// A secondary index has the same shape; its rows point at the table's stored items (so
// index maintenance copies no item) and are ordered by (index sort key, table key).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "dynamo/api/table_types.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/limits.hpp"
#include "dynamo/expr/parse.hpp"
#include "dynamo/value/item_size.hpp"
#include "engine/idempotency.hpp"
#include "engine/partition_map.hpp"
#include "engine/streams.hpp"
#include "engine/table_rows.hpp"

namespace dynamo::engine::detail {

// ---- index rows ------------------------------------------------------------------------------

// An index row key: the index sort key (NULL when the index has none), then the table key,
// which makes rows unique and gives items with equal index keys a stable order.
struct IndexRowKey {
  AttributeValue sort;
  AttributeValue table_partition;
  AttributeValue table_sort;
};
struct IndexRowLess {
  using is_transparent = void;
  bool operator()(const IndexRowKey& a, const IndexRowKey& b) const noexcept {
    if (int c = compare_keys(a.sort, b.sort)) return c < 0;
    if (int c = compare_keys(a.table_partition, b.table_partition)) return c < 0;
    return compare_keys(a.table_sort, b.table_sort) < 0;
  }
  // Probes by index sort key alone (Query ranges).
  bool operator()(const IndexRowKey& a, const AttributeValue& b) const noexcept { return compare_keys(a.sort, b) < 0; }
  bool operator()(const AttributeValue& a, const IndexRowKey& b) const noexcept { return compare_keys(a, b.sort) < 0; }
};
using IndexRows = std::map<IndexRowKey, const StoredItem*, IndexRowLess>;
// Starts loading an index partition's first row (PartitionMap's walk-ahead hint).
inline void prefetch_front(const IndexRows& rows) noexcept {
  if (!rows.empty()) __builtin_prefetch(&*rows.begin());
}

// ---- schema -----------------------------------------------------------------------------

struct KeyAttribute {
  std::string name;
  Type type = Type::string;
};

struct KeySchema {
  KeyAttribute partition;
  std::optional<KeyAttribute> sort;
};

struct Index {
  std::string name;
  bool global = false;
  KeySchema key;
  api::ProjectionType projection = api::ProjectionType::all;
  std::vector<std::string> included;  // INCLUDE's NonKeyAttributes, sorted
  PartitionMap<IndexRows> rows;
  std::size_t item_count = 0;
  std::size_t size_bytes = 0;

  // True when the item is in this index (has every index key attribute, of the right type).
  [[nodiscard]] bool covers(const Item& item) const noexcept;
};

struct Table {
  mutable std::shared_mutex mutex;
  bool deleted = false;  // set under `mutex` by DeleteTable; operations holding the table check it
  // Set under the catalog lock by the DeleteTable that owns the deletion, for as long as it
  // deletes the table's data without the catalog lock; a second DeleteTable refuses then.
  std::atomic<bool> deleting{false};

  std::string name;
  KeySchema key;
  std::vector<std::string> key_names;  // for apply_update's key check
  api::TableDescription meta;          // everything but counts and sizes
  std::vector<std::unique_ptr<Index>> indexes;
  std::optional<std::string> ttl_attribute;
  std::map<std::string, std::string, std::less<>> tags;  // TagResource's key -> value
  std::shared_ptr<Stream> stream;  // the open stream while the StreamSpecification is enabled

  PartitionMap<TableRows> rows;
  std::size_t item_count = 0;
  std::size_t size_bytes = 0;

  [[nodiscard]] const Index* find_index(std::string_view index_name) const noexcept;

  // The stored item with this primary key (key values already validated), or nullptr.
  [[nodiscard]] const StoredItem* find_item(const AttributeValue& pk, const AttributeValue& sk) const;
  // The same, given hash_key(pk) (a caller that hashed the key already).
  [[nodiscard]] const StoredItem* find_item(const AttributeValue& pk, const AttributeValue& sk, std::uint64_t pk_hash) const;
  // The same, for a read that decodes the item next: its block is already on its way to the
  // cache (StoredItem::prefetch), so that a table larger than the cache waits once for the
  // whole block, and a caller finding several items first waits for their misses together.
  [[nodiscard]] const StoredItem* find_item_to_read(const AttributeValue& pk, const AttributeValue& sk) const;
  // Stores `item`, packed (replacing any item with its key), maintaining counts and indexes.
  void store_item(const AttributeValue& pk, const AttributeValue& sk, const Item& item, std::size_t size);
  // Removes the item with this key if present, maintaining counts and indexes.
  void remove_item(const AttributeValue& pk, const AttributeValue& sk);
  // Adds / removes the index rows of one stored item, given decoded as `item`.
  void index_item(Index& index, const StoredItem& stored, const Item& item);
  void unindex_item(Index& index, const StoredItem& stored, const Item& item);
  // Adds the index rows of one stored item (decoding it).
  void index_item(Index& index, const StoredItem& stored);
  // Removes the rows of one stored item from every index.
  void unindex_all(const StoredItem& stored);

  // The sort key value of an item (NULL when the table has no sort key).
  [[nodiscard]] AttributeValue sort_value_of(const Item& item) const;
};

// An item's primary key, validated.
struct PrimaryKey {
  AttributeValue partition;
  AttributeValue sort;  // NULL when the table has no sort key
};

// One key to find in one table.
struct ItemLookup {
  const Table* table;
  const PrimaryKey* key;
};
// Starts looking up many keys, of one table or several, in stages: every key's hash slot is
// started loading, then every key's partition (PartitionMap::prefetch_slot,
// prefetch_partition), so that in tables larger than the cache the keys' misses overlap
// rather than queue. Returns each key's hash_key, in order. Hints only.
std::vector<std::uint64_t> start_lookups(const std::vector<ItemLookup>& lookups);
// Table::find_item_to_read for many keys, in order (BatchGetItem, TransactGetItems,
// TransactWriteItems' conditions): start_lookups, and only then is each key found.
[[nodiscard]] std::vector<const StoredItem*> find_items_to_read(const std::vector<ItemLookup>& lookups);

// ---- the engine's state -------------------------------------------------------------------

}  // namespace dynamo::engine::detail

namespace dynamo::engine {

struct Engine::State {
  EngineOptions options;

  mutable std::shared_mutex catalog_mutex;
  // Sorted (ListTables order); std::less<> lets lookups by string_view skip building a string.
  std::map<std::string, std::shared_ptr<detail::Table>, std::less<>> tables;

  // Every stream, open or closed, by ARN (ListStreams order). Lock order: a table's mutex,
  // then streams_mutex, then a stream's own mutex.
  mutable std::shared_mutex streams_mutex;
  std::map<std::string, std::shared_ptr<detail::Stream>, std::less<>> streams;

  // ClientRequestTokens of the last 10 minutes.
  detail::IdempotencyRecords idempotency;

  std::mutex sweeper_mutex;
  std::condition_variable sweeper_wake;
  bool stopping = false;
  std::thread sweeper;

  [[nodiscard]] std::chrono::system_clock::time_point now() const {
    return options.clock ? options.clock() : std::chrono::system_clock::now();
  }

  // The table named so (by name, or by an ARN of this engine's region and account), or
  // ResourceNotFoundException with `message`.
  [[nodiscard]] std::shared_ptr<detail::Table> table(std::string_view name, std::string_view message) const;
  // The table name a TableName parameter means: itself, or the name in a table ARN of this
  // engine's region and account. ResourceNotFoundException with `message` for another ARN.
  [[nodiscard]] std::string_view table_name_of(std::string_view name_or_arn, std::string_view message) const;
  // Every table (for the sweeper).
  [[nodiscard]] std::vector<std::shared_ptr<detail::Table>> all_tables() const;

  // Persistence of one table's metadata (no-op without a store).
  void persist_table(const detail::Table& table) const;
  // Persistence of one stream's state (no-op without a store); the stream's mutex is held.
  void persist_stream(const detail::Stream& stream) const;
  // Drops expired ClientRequestTokens from memory, and from the store when some may be
  // there (the sweeper runs it).
  void expire_tokens();
};

}  // namespace dynamo::engine

namespace dynamo::engine::detail {

// ---- errors -----------------------------------------------------------------------------------

[[noreturn]] void throw_validation(std::string message);
// A key value of the wrong type for its table or index (a ValidationException elsewhere):
// inside a transaction DynamoDB reports it as the action's ValidationError cancellation
// reason, where an empty key value stays a ValidationException of the whole request.
class KeyTypeMismatch : public Error {
 public:
  explicit KeyTypeMismatch(std::string message) : Error(Error::validation(std::move(message))) {}
};
[[noreturn]] void throw_not_found(std::string message);
// The message of the ResourceNotFoundException item operations raise.
inline constexpr std::string_view table_not_found = "Requested resource not found";
// DescribeTable, DeleteTable, UpdateTable: "Requested resource not found: Table: X not found".
[[nodiscard]] std::string table_not_found_named(std::string_view name);

// Collects constraint violations and throws them as the service words them:
// "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: ...".
class ConstraintErrors {
 public:
  void add(std::string_view value, std::string_view member, std::string_view constraint);
  void add_null(std::string_view member);  // "Value null at 'x' failed to satisfy constraint: Member must not be null"
  void throw_if_any() const;

 private:
  std::vector<std::string> problems_;
};

// ---- validation (validation.cpp) ------------------------------------------------------------

void check_table_name(std::string_view name, ConstraintErrors& errors, std::string_view member = "tableName");
void check_table_name(std::string_view name);
// The TableName rule of the item operations (GetItem, PutItem, UpdateItem, DeleteItem,
// Query, Scan), where a name or an ARN may be given: 1 to 1024 characters, no pattern. A name
// no table can have is then simply not found, as on the service.
void check_item_table_name(std::string_view name);
// The rule of the operations that take a name or an ARN but check names strictly
// (DescribeTable, DeleteTable, UpdateTable, the TTL and batch and transaction operations):
// an ARN is held to the item operations' rule, a name to the name pattern.
void check_table_name_or_arn(std::string_view name);
void check_table_name_or_arn(std::string_view name, ConstraintErrors& errors);
void check_limit(const std::optional<int>& limit, ConstraintErrors& errors);

// Validates the Key parameter against the schema; returns the key values.
[[nodiscard]] PrimaryKey key_from_request(const Table& table, const Item& key);
// The same checks, returning views into `key` (the sort value is a NULL when the table has
// no sort key): for reads, which need not copy the key.
struct KeyView {
  const AttributeValue& partition;
  const AttributeValue& sort;
};
[[nodiscard]] KeyView key_view_from_request(const Table& table, const Item& key);
// Validates a whole item for a write (key attributes, index key types, size, nesting);
// returns its key and size.
[[nodiscard]] std::pair<PrimaryKey, std::size_t> validate_item_for_write(const Table& table, const Item& item);
// Validates an item produced by an update (index key types, size); returns its size.
[[nodiscard]] std::size_t validate_updated_item(const Table& table, const Item& item);
// Whether an update expression only removes (REMOVE and DELETE actions): such an update
// does not create an absent item, where any other update does (UpdateItem and a
// TransactWriteItems Update alike).
[[nodiscard]] bool update_only_removes(const expr::Update& update);
// The key attributes of an item, as an item.
[[nodiscard]] Item key_item_of(const Table& table, const Item& item);
// Checks the value of one key attribute (size, emptiness); `where` prefixes the message.
void check_key_value(const KeyAttribute& attribute, bool partition, const AttributeValue& value);

// ---- expressions (expressions.cpp) --------------------------------------------------------------

// Refuses a value nested deeper than DynamoDB allows (limits::nesting_depth levels, the
// attribute itself being level 1): item attributes, and the ExpressionAttributeValues of
// PutItem, UpdateItem and DeleteItem, which the service checks the same way.
void check_nesting(const AttributeMap& values);

// The request's ExpressionAttributeNames/Values, checked as DynamoDB checks them when no
// expression uses them. `uses_names`/`uses_values` say whether any expression was given.
// `value_expressions` names the operation's expressions that take values, as DynamoDB ends
// its refusal of values without them: "ConditionExpression is null", "UpdateExpression and
// ConditionExpression are null".
[[nodiscard]] expr::ExpressionAttributes expression_attributes(
    const std::optional<api::ExpressionAttributeNames>& names,
    const std::optional<api::ExpressionAttributeValues>& values, bool has_expression_with_names,
    bool has_expression_with_values, std::string_view value_expressions = {});

// Projection from ProjectionExpression or legacy AttributesToGet (rejecting both at once).
[[nodiscard]] std::optional<expr::Projection> read_projection(
    const std::optional<std::string>& projection_expression,
    const std::optional<std::vector<std::string>>& attributes_to_get, expr::ExpressionAttributes& attributes);

// Rejects the legacy parameters dynamo's engine does not implement.
void reject_legacy(bool present, std::string_view parameter, std::string_view replacement);

// ---- capacity (capacity.cpp) ----------------------------------------------------------------------

// Read capacity units for `bytes` read: 4 KB units rounded up (at least one), halved for an
// eventually consistent read.
[[nodiscard]] double read_units(std::size_t bytes, bool consistent) noexcept;
// Write capacity units for `bytes` written: 1 KB units rounded up (at least one).
[[nodiscard]] double write_units(std::size_t bytes) noexcept;

// Capacity of one operation on one table, split by table and index.
struct CapacityTally {
  double table = 0;
  std::map<std::string, double> global_indexes;
  std::map<std::string, double> local_indexes;
  [[nodiscard]] double total() const noexcept;
};
// The ConsumedCapacity to return for `mode` (nullopt for NONE). `read` picks
// ReadCapacityUnits or WriteCapacityUnits.
[[nodiscard]] std::optional<api::ConsumedCapacity> consumed_capacity(
    const std::optional<api::ReturnConsumedCapacity>& mode, const std::string& table_name,
    const CapacityTally& tally, bool read);
// Adds the index write units of replacing `old` by `new_item` (either may be absent).
void tally_index_writes(const Table& table, ReplacedItem& old, const Item* new_item, CapacityTally& tally,
                        double factor);

// The attributes an index holds for an item (its keys, the table keys, and the projection).
[[nodiscard]] Item project_for_index(const Table& table, const Index& index, const Item& item);
[[nodiscard]] std::size_t projected_size(const Table& table, const Index& index, const Item& item, std::size_t size);

// ItemCollectionMetrics of the collection (the items sharing `partition`, with their local
// index rows) as it stands: nullopt unless `mode` is SIZE and the table has a local
// secondary index, the only case in which DynamoDB tracks item collections.
[[nodiscard]] std::optional<api::ItemCollectionMetrics> item_collection_metrics(
    const std::optional<api::ReturnItemCollectionMetrics>& mode, const Table& table, const AttributeValue& partition);
struct PendingWrite;
// The same for each distinct collection the writes touch, by table name (nullopt when none
// qualifies), for BatchWriteItem and TransactWriteItems: as the collections will stand once
// the writes are applied, computed before commit() (so that a transaction's response can be
// stored with its ClientRequestToken).
[[nodiscard]] std::optional<std::map<std::string, std::vector<api::ItemCollectionMetrics>>> item_collection_metrics(
    const std::optional<api::ReturnItemCollectionMetrics>& mode, const std::vector<PendingWrite>& writes);

// ---- persistence helpers (engine.cpp) ---------------------------------------------------------------

// Canonical DynamoDB JSON of a key.
[[nodiscard]] std::string encode_key(const Table& table, const AttributeValue& pk, const AttributeValue& sk);

// ---- single-item writes shared by items.cpp, batch.cpp and transactions.cpp ---------------------

// A change computed but not yet applied: write it to the store, then apply it.
struct PendingWrite {
  Table* table = nullptr;
  PrimaryKey key;
  std::optional<Item> item;  // nullopt: delete
  std::size_t size = 0;
  bool by_service = false;  // a Time to Live deletion: its stream record names DynamoDB as the actor
};
// Writes the changes, and the stream records of the tables that have a stream, to the store
// (if any) as one batch, then applies them in memory. The tables' locks are held. With
// `token` (a transaction's ClientRequestToken), the store gets the token in the same batch,
// even when there is no change.
void commit(const Engine::State& state, std::vector<PendingWrite>& writes, const StoredToken* token = nullptr);

// ---- streams (streams.cpp) ----------------------------------------------------------------------

// The stream records of `writes` (none for a write that changes nothing, or a table without
// a stream), with their sequence numbers taken; the tables' locks are held.
struct PendingRecord {
  Stream* stream = nullptr;
  StreamEntry entry;
  std::string sequence;  // formatted
  std::string json;      // encoded, when there is a store
};
[[nodiscard]] std::vector<PendingRecord> stream_records_of(const Engine::State& state,
                                                           const std::vector<PendingWrite>& writes);
// Appends committed records to their streams and wakes their waiters.
void append_stream_records(std::vector<PendingRecord>& records);
// A StreamSpecification of UpdateTable against `table` (locked exclusively), or of
// CreateTable (`table` null): refused as DynamoDB refuses it, before anything changes.
void check_stream_specification(const std::optional<api::StreamSpecification>& spec, const Table* table);
// Applies a checked StreamSpecification: opens a new stream or closes the open one, and
// writes the specification, LatestStreamArn and LatestStreamLabel into `meta` (the metadata
// the table is about to get).
void apply_stream_specification(Engine::State& state, Table& table, api::TableDescription& meta,
                                const api::StreamSpecification& spec);
// Closes the open stream of a table being deleted.
void close_table_stream(const Engine::State& state, Table& table);

// ---- tables (tables.cpp) ---------------------------------------------------------------------------

// A table (without items) from its metadata: the key schema, attribute types and indexes.
[[nodiscard]] std::shared_ptr<Table> build_table(api::TableDescription meta);
// Checks the key schemas of a description read back from a store (the table's and each
// index's) as CreateTable checks them: build_table would otherwise make, from a damaged
// one (two HASH elements, say), a table keyed differently from what it describes. Throws
// InternalServerError naming the table.
void check_stored_key_schemas(const api::TableDescription& meta);
// The metadata with current counts and sizes.
[[nodiscard]] api::TableDescription describe(const Table& table);
// Seconds since the epoch, as DynamoDB's timestamps.
[[nodiscard]] double epoch_seconds(std::chrono::system_clock::time_point t) noexcept;

// Runs `body` with `table` locked exclusively, after checking it was not deleted meanwhile.
template <class Body>
decltype(auto) with_table_write(Table& table, Body&& body) {
  std::unique_lock lock(table.mutex);
  if (table.deleted) throw_not_found(std::string(table_not_found));
  return body();
}
template <class Body>
decltype(auto) with_table_read(const Table& table, Body&& body) {
  std::shared_lock lock(table.mutex);
  if (table.deleted) throw_not_found(std::string(table_not_found));
  return body();
}

}  // namespace dynamo::engine::detail
