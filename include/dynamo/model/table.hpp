// dynamo::ModelTable<T> — a model's table: PynamoDB's Model class methods, typed.
//
//   auto db = dynamo::Connection::embedded();
//   auto threads = dynamo::table_of<Thread>(db);          // or dynamo::ModelTable<Thread>(db)
//   threads.create_table({.wait = true});
//   threads.save(Thread{.forum_name = "C++", .subject = "Modules"});
//   Thread t = threads.get("C++", "Modules");             // throws dynamo::DoesNotExist
//   using dynamo::field;
//   threads.update(t, {field(&Thread::views).set(field(&Thread::views) + 1)},
//                  field(&Thread::views) < 100);         // t now holds the stored item
//   for (const Thread& m : threads.query("C++", field(&Thread::subject).begins_with("M"))) ...
//   std::int64_t n = threads.count("C++");
//   Thread posted = threads.put_document(R"({"forum_name": "C++", "subject": "Ranges"})");
//
// Keys are typed by the schema: get("C++", 1) does not compile when the range key is a
// string. Calls map one to one onto DynamoDB operations (no hidden DescribeTable); errors
// are the client's exceptions (PutError, UpdateError, QueryError, TableDoesNotExist, ...)
// plus DoesNotExist, ModelUsageError and ValidationError (model/errors.hpp): every write
// checks the schema's validation rules (model/validation.hpp) before sending anything.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamo/api/table_types.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/model/batch.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/model/index.hpp"
#include "dynamo/model/result_iterator.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/serialize.hpp"
#include "dynamo/model/statement.hpp"
#include "dynamo/model/validation.hpp"

namespace dynamo {

struct CreateTableOptions {
  bool wait{};  // return only once the table (and its indexes) are ACTIVE
  // Provisioned capacity; falls back to the model's settings. With neither, and no billing
  // mode, the table is created on demand (PAY_PER_REQUEST).
  std::optional<std::int64_t> read_capacity_units{};
  std::optional<std::int64_t> write_capacity_units{};
  std::optional<api::BillingMode> billing_mode{};
  std::optional<api::StreamViewType> stream_view_type{};  // enables a stream with this view
  bool ignore_update_ttl_errors{};  // a backend without TTL support (dynalite) is not fatal
  std::chrono::milliseconds wait_timeout{std::chrono::seconds(120)};
};

struct DeleteTableOptions {
  bool wait{};  // return only once the table is gone
  std::chrono::milliseconds wait_timeout{std::chrono::seconds(120)};
};

struct GetOptions {
  bool consistent_read{};
  std::vector<std::string> attributes_to_get{};  // stored names; empty = all
  // When set, the call asks for ReturnConsumedCapacity INDEXES and stores what it consumed
  // here (PynamoDB's per-call consumed capacity). The connection's totals count it too.
  api::ConsumedCapacity* consumed_capacity{};
};

struct WriteOptions {
  // For models with a version(): check the stored version (PynamoDB's add_version_condition).
  bool add_version_condition{true};
  // When set, the call asks for ReturnConsumedCapacity INDEXES and stores what it consumed
  // here; also when the write fails its condition (the capacity was still consumed, and
  // the error carries none, so this then holds an empty ConsumedCapacity).
  api::ConsumedCapacity* consumed_capacity{};
};

struct QueryOptions {
  std::optional<std::int64_t> limit{};           // items returned in all, over every page
  std::optional<int> page_size{};                // DynamoDB's Limit per request (default: limit)
  std::optional<Item> last_evaluated_key{};      // resume point from a previous iterator
  bool consistent_read{};
  bool scan_index_forward{true};                 // false: descending range key order
  std::vector<std::string> attributes_to_get{};  // stored names; empty = all
  std::optional<double> rate_limit{};            // read units per second
};

struct ScanOptions {
  std::optional<std::int64_t> limit{};
  std::optional<int> page_size{};
  std::optional<Item> last_evaluated_key{};
  bool consistent_read{};
  std::vector<std::string> attributes_to_get{};
  std::optional<double> rate_limit{};
  std::optional<int> segment{};         // parallel scan: this worker's segment...
  std::optional<int> total_segments{};  // ...of this many
};

struct CountOptions {
  bool consistent_read{};
  std::optional<std::int64_t> limit{};
  std::optional<double> rate_limit{};
};

namespace detail {

// What a write knows of the stored item's version, for models with a version attribute:
// nullopt when nothing (a write by key: no check), else the object's version member, where
// 0 means the object was never written (PynamoDB: no value), so the item must not have a
// version yet: the check is attribute_not_exists(version), not version = 0.
using KnownVersion = std::optional<std::int64_t>;

// The non-template work of ModelTable and ModelIndex (src/model/table.cpp).
class TableCore {
 public:
  // With a discriminator in the schema, queries and scans read only this model's items
  // unless `only_this_model` is false (a polymorphic table reads them all).
  TableCore(Connection connection, const SchemaCore& schema, bool only_this_model = true);

  [[nodiscard]] const Connection& connection() const noexcept { return connection_; }
  [[nodiscard]] const SchemaCore& schema() const noexcept { return *schema_; }

  void create_table(const CreateTableOptions& options) const;
  void delete_table(const DeleteTableOptions& options) const;
  [[nodiscard]] bool exists() const;
  [[nodiscard]] api::TableDescription describe_table() const;
  void update_ttl(bool ignore_errors) const;

  // PutItem. With a version field, adds its condition and returns the new version.
  std::optional<std::int64_t> put(Item item, const expr::Condition& condition, const WriteOptions& options) const;
  [[nodiscard]] std::optional<Item> get(Item key, const GetOptions& options) const;
  // `version` is what the caller knows of the item's version (see KnownVersion): remove
  // checks it, update checks it and increments the stored one.
  void remove(Item key, KnownVersion version, const expr::Condition& condition, const WriteOptions& options) const;
  // UpdateItem returning ALL_NEW.
  [[nodiscard]] Item update(Item key, KnownVersion version, const expr::Update& actions,
                            const expr::Condition& condition, const WriteOptions& options) const;

  // The requests behind put/remove/update, also used by transactions: the version
  // condition and increment are in them. `new_version` receives the version put will store.
  [[nodiscard]] api::PutItemRequest put_request(Item item, const expr::Condition& condition,
                                                const WriteOptions& options,
                                                std::optional<std::int64_t>& new_version) const;
  [[nodiscard]] api::DeleteItemRequest delete_request(Item key, KnownVersion version, const expr::Condition& condition,
                                                      const WriteOptions& options) const;
  [[nodiscard]] api::UpdateItemRequest update_request(Item key, KnownVersion version, const expr::Update& actions,
                                                      const expr::Condition& condition,
                                                      const WriteOptions& options) const;

  // BatchGetItem of `keys` (batch.hpp).
  [[nodiscard]] std::vector<Item> batch_get(std::vector<Item> keys, const BatchGetOptions& options) const;

  [[nodiscard]] std::shared_ptr<PageReader> query(const IndexCore* index, AttributeValue hash,
                                                  const expr::Condition& range_key_condition,
                                                  const expr::Condition& filter, const QueryOptions& options,
                                                  bool count_only) const;
  [[nodiscard]] std::shared_ptr<PageReader> scan(const IndexCore* index, const expr::Condition& filter,
                                                 const ScanOptions& options, bool count_only) const;
  [[nodiscard]] std::int64_t count(const IndexCore* index, std::optional<AttributeValue> hash,
                                   const expr::Condition& range_key_condition, const expr::Condition& filter,
                                   const CountOptions& options) const;

  // "Thread item {forum_name: C++, subject: Modules}" for DoesNotExist messages.
  [[nodiscard]] std::string describe_item(const Item& key) const;

 private:
  // `filter` plus, for a model with a discriminator, "discriminator IN (its values)".
  [[nodiscard]] expr::Condition with_model_filter(const expr::Condition& filter) const;

  Connection connection_;
  const SchemaCore* schema_;
  bool only_this_model_ = true;
};

[[nodiscard]] Connection connection_from_settings(const ModelSettings& settings);

// `item`'s version member (0 when it was never written), or nullopt when its model has no
// version attribute.
template <class T>
[[nodiscard]] KnownVersion version_of(const T& item) {
  const auto* field = schema_of<T>().core().version_field();
  if (!field) return std::nullopt;
  Entries entries;
  field->write(&item, *field, entries);
  if (entries.empty() || !entries.front().second.is(Type::number)) return std::int64_t{0};
  return entries.front().second.as_number().to<std::int64_t>();
}
// Sets `item`'s version attribute (nothing when its model has none).
template <class T>
void set_version(T& item, std::int64_t version) {
  const auto* field = schema_of<T>().core().version_field();
  if (field) field->read(&item, *field, AttributeValue(Number(version)));
}

}  // namespace detail

template <class T>
class BatchWriter;

template <class T, class H, class R>
class ModelIndex;

template <class T>
class ModelTable {
 public:
  using schema_type = std::remove_cvref_t<decltype(schema_of<T>())>;
  using hash_type = typename schema_type::hash_type;
  using range_type = typename schema_type::range_type;
  static constexpr bool has_range_key = !std::is_same_v<range_type, NoRangeKey>;
  static_assert(!std::is_void_v<hash_type>, "the model's schema has no hash_key(): declare one with dynamo::table<T>(...).hash_key(...)");

  // A primary key: {hash} or {hash, range}.
  class Key {
   public:
    template <class Hash>
      requires(!has_range_key && std::constructible_from<hash_type, Hash &&>)
    Key(Hash&& hash)  // NOLINT: a bare hash value is a key
        : hash_(std::forward<Hash>(hash)) {}
    template <class Hash, class Range>
      requires(has_range_key && std::constructible_from<hash_type, Hash &&> &&
               std::constructible_from<range_type, Range &&>)
    Key(Hash&& hash, Range&& range) : hash_(std::forward<Hash>(hash)), range_(std::forward<Range>(range)) {}

    [[nodiscard]] Item to_item() const {
      const auto& schema = schema_of<T>().core();
      Item key;
      key.insert_or_assign(schema.hash_field().name, attribute_traits<hash_type>::to_attribute(hash_));
      if constexpr (has_range_key) {
        key.insert_or_assign(schema.range_field().name, attribute_traits<range_type>::to_attribute(range_));
      }
      return key;
    }

   private:
    hash_type hash_;
    [[no_unique_address]] range_type range_{};
  };

  explicit ModelTable(Connection connection) : core_(std::move(connection), schema_of<T>().core()) {}
  // A connection made from the model's settings (PynamoDB's Meta host/region/credentials).
  ModelTable() : ModelTable(detail::connection_from_settings(schema_of<T>().core().settings)) {}

  // The same table, its calls sent with `settings` (timeouts, retries, extra headers) over
  // the connection's: PynamoDB's `settings=OperationSettings(...)` of one call.
  //   threads.with_settings({.extra_headers = {{"X-Request-Source", "batch-job"}}}).save(thread);
  [[nodiscard]] ModelTable with_settings(const OperationSettings& settings) const {
    return ModelTable(core_.connection().with_settings(settings));
  }

  // ---- the table ----

  void create_table(const CreateTableOptions& options = {}) const { core_.create_table(options); }
  void delete_table(const DeleteTableOptions& options = {}) const { core_.delete_table(options); }
  [[nodiscard]] bool exists() const { return core_.exists(); }
  [[nodiscard]] api::TableDescription describe_table() const { return core_.describe_table(); }
  void update_ttl(bool ignore_update_ttl_errors = false) const { core_.update_ttl(ignore_update_ttl_errors); }

  // ---- items ----

  // PutItem: replaces the whole item (see docs/model.md on attributes the schema lacks).
  // The lvalue form first fills `item`'s unset members that have a default_to() (so a
  // generated default is generated once and the object holds what was written), and
  // afterwards updates its version attribute, when the model has one. Throws
  // ValidationError, sending nothing, when the item breaks a validation rule.
  void save(T& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    schema_of<T>().core().apply_defaults(&item);
    detail::ensure_valid(schema_of<T>().core(), &item);
    const auto version = core_.put(serialize(item), condition, options);
    if (version) detail::set_version(item, *version);
  }
  void save(const T& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    detail::ensure_valid(schema_of<T>().core(), &item);
    (void)core_.put(serialize(item), condition, options);
  }

  // DynamORM's Thing.put({...}): reads a raw document through the schema, then saves it
  // (PutItem) and returns the object written. The document is plain JSON text or an Item
  // (model/validation.hpp says how values are read); an undeclared attribute, a value of
  // the wrong type, a missing key or required attribute, or a broken rule throws
  // ValidationError listing them all, and nothing is sent.
  T put_document(std::string_view json, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    T item = from_document<T>(json);
    save(item, condition, options);
    return item;
  }
  T put_document(const Item& document, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    T item = from_document<T>(document);
    save(item, condition, options);
    return item;
  }

  // GetItem; throws DoesNotExist when there is no such item.
  [[nodiscard]] T get(const Key& key, const GetOptions& options = {}) const {
    Item k = key.to_item();
    auto found = core_.get(k, options);
    if (!found) throw DoesNotExist(core_.describe_item(k));
    return deserialize<T>(*found);
  }
  [[nodiscard]] T get(hash_type hash, range_type range, const GetOptions& options = {}) const
    requires has_range_key
  {
    return get(Key(std::move(hash), std::move(range)), options);
  }
  // GetItem; nullopt when there is no such item.
  [[nodiscard]] std::optional<T> find(const Key& key, const GetOptions& options = {}) const {
    auto found = core_.get(key.to_item(), options);
    if (!found) return std::nullopt;
    return deserialize<T>(*found);
  }

  // Reloads `item` from the table (PynamoDB's refresh); throws DoesNotExist.
  void refresh(T& item, bool consistent_read = false) const { refresh(item, GetOptions{.consistent_read = consistent_read}); }
  void refresh(T& item, const GetOptions& options) const {
    Item k = schema_of<T>().core().key_of(&item);
    auto found = core_.get(k, options);
    if (!found) throw DoesNotExist(core_.describe_item(k));
    item = deserialize<T>(*found);
  }

  // DeleteItem of `item`'s key, optionally conditional (PynamoDB's delete()).
  void remove(const T& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    core_.remove(schema_of<T>().core().key_of(&item), detail::version_of(item), condition, options);
  }
  void remove_key(const Key& key, const expr::Condition& condition = {}) const {
    core_.remove(key.to_item(), std::nullopt, condition, {.add_version_condition = false});
  }

  // UpdateItem on `item`'s key; `item` becomes the stored item afterwards. The values the
  // actions write are checked against the validation rules first (ValidationError).
  void update(T& item, const expr::Update& actions, const expr::Condition& condition = {},
              const WriteOptions& options = {}) const {
    detail::ensure_valid_update(schema_of<T>().core(), actions);
    Item stored = core_.update(schema_of<T>().core().key_of(&item), detail::version_of(item), actions, condition, options);
    item = deserialize<T>(stored);
  }
  // UpdateItem by key; returns the stored item afterwards. Note that DynamoDB creates the
  // item when it does not exist: add `field(&T::key).exists()` as condition to prevent it.
  T update(const Key& key, const expr::Update& actions, const expr::Condition& condition = {},
           const WriteOptions& options = {}) const {
    detail::ensure_valid_update(schema_of<T>().core(), actions);
    return deserialize<T>(core_.update(key.to_item(), std::nullopt, actions, condition, options));
  }

  // ---- query, scan, count ----

  [[nodiscard]] ResultIterator<T> query(const hash_type& hash, const expr::Condition& range_key_condition = {},
                                        const expr::Condition& filter = {}, const QueryOptions& options = {}) const {
    return ResultIterator<T>(core_.query(nullptr, attribute_traits<hash_type>::to_attribute(hash),
                                         range_key_condition, filter, options, false));
  }
  [[nodiscard]] ResultIterator<T> scan(const expr::Condition& filter = {}, const ScanOptions& options = {}) const {
    return ResultIterator<T>(core_.scan(nullptr, filter, options, false));
  }
  // A PartiQL SELECT of this table: `clause` follows `SELECT * FROM "<table>"` ("WHERE ...",
  // "ORDER BY ..."), each `?` bound to the next argument (dynamo/model/statement.hpp).
  template <class... Params>
  [[nodiscard]] StatementResults<T> select(std::string_view clause, const Params&... parameters) const {
    return select_models<T>(core_.connection(), clause, std::nullopt, parameters...);
  }
  // Items with this hash key (and conditions), counted by DynamoDB (Select=COUNT).
  [[nodiscard]] std::int64_t count(const hash_type& hash, const expr::Condition& range_key_condition = {},
                                   const expr::Condition& filter = {}, const CountOptions& options = {}) const {
    return core_.count(nullptr, attribute_traits<hash_type>::to_attribute(hash), range_key_condition, filter,
                       options);
  }
  // Every item of the table, counted with a Select=COUNT scan (exact, unlike DescribeTable's
  // ItemCount, which DynamoDB refreshes only every few hours).
  [[nodiscard]] std::int64_t count(const CountOptions& options = {}) const {
    return core_.count(nullptr, std::nullopt, {}, {}, options);
  }
  // PynamoDB's count(None, ...): without a hash key, conditions are refused with
  // ModelUsageError (a filtered count of a whole table is a scan: say so with scan()).
  [[nodiscard]] std::int64_t count(std::nullopt_t, const expr::Condition& range_key_condition,
                                   const expr::Condition& filter = {}, const CountOptions& options = {}) const {
    return core_.count(nullptr, std::nullopt, range_key_condition, filter, options);
  }

  // ---- batches (model/batch.hpp) ----

  // BatchGetItem of any number of keys (100 per request; duplicates read once; unprocessed
  // keys retried, BatchIncomplete when they remain). Missing items are simply absent; the
  // order is DynamoDB's, not that of `keys`.
  [[nodiscard]] std::vector<T> batch_get(const std::vector<Key>& keys, const BatchGetOptions& options = {}) const {
    std::vector<Item> key_items;
    key_items.reserve(keys.size());
    for (const Key& key : keys) key_items.push_back(key.to_item());
    std::vector<T> models;
    for (const Item& item : core_.batch_get(std::move(key_items), options)) models.push_back(deserialize<T>(item));
    return models;
  }
  // The same read, lazily (PynamoDB's batch_get is a generator): nothing is sent until the
  // loop asks for an item, then one request of up to 100 keys each time the items of the
  // last one are used up. A name of its own rather than batch_get() returning a range: code
  // that keeps batch_get()'s vector in an `auto` and calls size() or loops over it twice
  // relies on it holding every item, and would still compile with a range that does not.
  [[nodiscard]] BatchGetResults<T> batch_get_lazy(const std::vector<Key>& keys, const BatchGetOptions& options = {}) const {
    std::vector<Item> key_items;
    key_items.reserve(keys.size());
    for (const Key& key : keys) key_items.push_back(key.to_item());
    return BatchGetResults<T>(
        std::make_shared<detail::BatchGetReader>(core_.connection(), table_name(), std::move(key_items), options));
  }

  // PynamoDB's `with Model.batch_write() as batch:`. `body(batch)` queues saves and
  // deletes, which are sent 25 at a time as they come (or, with auto_commit off, only at
  // batch.commit()), and what is still queued when `body` ends, also when it throws, as the
  // context manager does. Then the body's exception propagates, even if that last commit
  // failed too (a batch is not atomic: what was sent stays written either way).
  template <class Body>
    requires std::invocable<Body&, BatchWriter<T>&>
  void batch_write(Body&& body, const BatchWriteOptions& options = {}) const {
    BatchWriter<T> batch(core_, options);
    detail::run_batch_body(batch, body);
  }

  // A secondary index declared in the schema.
  template <class H, class R>
  [[nodiscard]] ModelIndex<T, H, R> index(const IndexSchema<T, H, R>& declared) const {
    return ModelIndex<T, H, R>(core_, schema_of<T>().core().index_named(declared.name()));
  }

  [[nodiscard]] const detail::TableCore& core() const noexcept { return core_; }
  [[nodiscard]] const std::string& table_name() const noexcept { return schema_of<T>().core().table_name; }

 private:
  detail::TableCore core_;
};

// Query, scan and count on a secondary index; keys typed by the index's declaration.
template <class T, class H, class R>
class ModelIndex {
 public:
  ModelIndex(detail::TableCore core, const detail::IndexCore& index) : core_(std::move(core)), index_(&index) {}

  [[nodiscard]] ResultIterator<T> query(const H& hash, const expr::Condition& range_key_condition = {},
                                        const expr::Condition& filter = {}, const QueryOptions& options = {}) const {
    return ResultIterator<T>(
        core_.query(index_, attribute_traits<H>::to_attribute(hash), range_key_condition, filter, options, false));
  }
  [[nodiscard]] ResultIterator<T> scan(const expr::Condition& filter = {}, const ScanOptions& options = {}) const {
    return ResultIterator<T>(core_.scan(index_, filter, options, false));
  }
  [[nodiscard]] std::int64_t count(const H& hash, const expr::Condition& range_key_condition = {},
                                   const expr::Condition& filter = {}, const CountOptions& options = {}) const {
    return core_.count(index_, attribute_traits<H>::to_attribute(hash), range_key_condition, filter, options);
  }
  [[nodiscard]] const std::string& name() const noexcept { return index_->name; }

 private:
  detail::TableCore core_;
  const detail::IndexCore* index_;
};

namespace detail {

// What every batch writer has: the queue and its sending, commit() and the counts.
class BatchWriterBase {
 public:
  BatchWriterBase(const TableCore& table, const BatchWriteOptions& options)
      : core_(table.connection(), table.schema().table_name, table.schema().key_names(), options) {}
  BatchWriterBase(const BatchWriterBase&) = delete;
  BatchWriterBase& operator=(const BatchWriterBase&) = delete;

  // Sends everything queued now rather than when the body ends (PynamoDB's commit()).
  void commit() { core_.flush(); }
  void flush() { core_.flush(); }

  // Writes queued and not yet sent; writes DynamoDB has applied so far.
  [[nodiscard]] std::size_t pending() const noexcept { return core_.pending(); }
  [[nodiscard]] std::size_t written() const noexcept { return core_.written(); }

 protected:
  ~BatchWriterBase() = default;
  BatchWriteCore core_;
};

}  // namespace detail

// The writer a batch_write() body receives (model/batch.hpp).
template <class T>
class BatchWriter : public detail::BatchWriterBase {
 public:
  using Key = typename ModelTable<T>::Key;
  using BatchWriterBase::BatchWriterBase;

  // PutRequest of the whole item (no condition: batches have none). An item that breaks a
  // validation rule throws ValidationError here and is not queued; writes queued before it
  // are unaffected (see batch.hpp).
  void save(const T& item) {
    detail::ensure_valid(schema_of<T>().core(), &item);
    core_.put(serialize(item));
  }
  // DeleteRequest of `item`'s key, or of a key.
  void remove(const T& item) { core_.remove(schema_of<T>().core().key_of(&item)); }
  void remove_key(const Key& key) { core_.remove(key.to_item()); }
};

// The table of model T on `connection`; the same as connection.table<T>().
template <class T>
[[nodiscard]] ModelTable<T> table_of(Connection connection) {
  return ModelTable<T>(std::move(connection));
}

template <class T>
ModelTable<T> Connection::table() const {
  return ModelTable<T>(*this);
}
// The table of model T on a connection made from its settings (host, region, credentials).
template <class T>
[[nodiscard]] ModelTable<T> table_of() {
  return ModelTable<T>();
}

}  // namespace dynamo
