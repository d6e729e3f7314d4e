// The LMDB store: one environment with four named databases.
//
//   tables   table name                     -> [u32 ttl length][ttl attribute][description JSON]
//   items    table name '\0' SHA-256(key)   -> item JSON
//   streams  stream ARN                     -> the stream's state (engine JSON)
//   records  stream ARN '\0' sequence       -> record JSON (sequence numbers are fixed width,
//                                              so a stream's records are in sequence order)
//
// Item keys are hashed because LMDB limits keys to 511 bytes while a DynamoDB key can reach
// 3 KB of JSON (2048-byte partition key, 1024-byte sort key). The key JSON is canonical
// (durable_store.hpp), so equal keys hash alike; table names cannot contain '\0', so the
// prefix of one table never matches another's.
#include <lmdb.h>
#include <openssl/sha.h>

#include <cstring>
#include <vector>

#include "store/store_internal.hpp"

namespace dynamo::store {
namespace {

[[noreturn]] void fail(const std::string& path, std::string_view what, int rc) {
  throw Error("StoreError", "LMDB store " + path + ": " + std::string(what) + ": " + mdb_strerror(rc), 500);
}

MDB_val view(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}

std::string_view view(const MDB_val& value) { return {static_cast<const char*>(value.mv_data), value.mv_size}; }

std::string item_key(std::string_view table, std::string_view key_json) {
  std::string key(table);
  key.push_back('\0');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key_json.data()), key_json.size(), digest);
  key.append(reinterpret_cast<const char*>(digest), sizeof digest);
  return key;
}

std::string table_prefix(std::string_view table) {
  std::string prefix(table);
  prefix.push_back('\0');
  return prefix;
}

std::string record_key(std::string_view stream_arn, std::string_view sequence) {
  std::string key = table_prefix(stream_arn);
  key.append(sequence);
  return key;
}

// A transaction that aborts unless committed, so an exception never leaves one open.
class Transaction {
 public:
  Transaction(MDB_env* env, const std::string& path, bool read_only) : path_(path) {
    if (int rc = mdb_txn_begin(env, nullptr, read_only ? MDB_RDONLY : 0, &txn_); rc != 0) {
      fail(path_, "beginning a transaction", rc);
    }
  }
  ~Transaction() {
    if (txn_) mdb_txn_abort(txn_);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    const int rc = mdb_txn_commit(txn_);
    txn_ = nullptr;
    if (rc != 0) fail(path_, "committing", rc);
  }
  MDB_txn* get() const noexcept { return txn_; }

 private:
  const std::string& path_;
  MDB_txn* txn_ = nullptr;
};

class LmdbStore final : public engine::DurableStore {
 public:
  LmdbStore(const std::string& path, const StoreOptions& options) : path_(path), lock_(path) {
    if (int rc = mdb_env_create(&env_); rc != 0) fail(path_, "creating the environment", rc);
    mdb_env_set_maxdbs(env_, 4);
    mdb_env_set_mapsize(env_, options.lmdb_map_size);
    // process durability: commits are written to the file (the page cache outlives us) but
    // not flushed to the disk. MDB_NOTLS: transactions are not tied to threads.
    unsigned flags = MDB_NOTLS;
    if (options.durability == Durability::process) flags |= MDB_NOSYNC;
    if (int rc = mdb_env_open(env_, path_.c_str(), flags, 0644); rc != 0) {
      mdb_env_close(env_);
      fail(path_, "opening", rc);
    }
    Transaction txn(env_, path_, false);
    if (int rc = mdb_dbi_open(txn.get(), "tables", MDB_CREATE, &tables_); rc != 0) fail(path_, "opening tables", rc);
    if (int rc = mdb_dbi_open(txn.get(), "items", MDB_CREATE, &items_); rc != 0) fail(path_, "opening items", rc);
    if (int rc = mdb_dbi_open(txn.get(), "streams", MDB_CREATE, &streams_); rc != 0) fail(path_, "opening streams", rc);
    if (int rc = mdb_dbi_open(txn.get(), "records", MDB_CREATE, &records_); rc != 0) fail(path_, "opening records", rc);
    txn.commit();
  }

  ~LmdbStore() override {
    // Flush what process durability left in the page cache, so a clean shutdown is also
    // safe against a later power failure.
    mdb_env_sync(env_, 1);
    mdb_env_close(env_);
  }

  void put_table(const engine::StoredTable& table) override {
    std::string value;
    const auto ttl_length = static_cast<std::uint32_t>(table.ttl_attribute.size());
    value.append(reinterpret_cast<const char*>(&ttl_length), sizeof ttl_length);
    value.append(table.ttl_attribute);
    value.append(table.description_json);
    Transaction txn(env_, path_, false);
    MDB_val key = view(table.name);
    MDB_val data = view(value);
    if (int rc = mdb_put(txn.get(), tables_, &key, &data, 0); rc != 0) fail(path_, "writing a table", rc);
    txn.commit();
  }

  void delete_table(std::string_view name) override {
    Transaction txn(env_, path_, false);
    MDB_val key = view(name);
    if (int rc = mdb_del(txn.get(), tables_, &key, nullptr); rc != 0 && rc != MDB_NOTFOUND) {
      fail(path_, "deleting a table", rc);
    }
    delete_prefixed(txn, items_, table_prefix(name), "deleting a table's items");
    txn.commit();
  }

  void apply(std::span<const engine::StoredItemChange> changes) override { apply_with_records(changes, {}); }

  void apply_with_records(std::span<const engine::StoredItemChange> changes,
                          std::span<const engine::StoredStreamRecord> records) override {
    Transaction txn(env_, path_, false);
    for (const auto& change : changes) {
      const std::string key_bytes = item_key(change.table, change.key);
      MDB_val key = view(key_bytes);
      if (change.item) {
        MDB_val data = view(*change.item);
        if (int rc = mdb_put(txn.get(), items_, &key, &data, 0); rc != 0) fail(path_, "writing an item", rc);
      } else if (int rc = mdb_del(txn.get(), items_, &key, nullptr); rc != 0 && rc != MDB_NOTFOUND) {
        fail(path_, "deleting an item", rc);
      }
    }
    for (const auto& record : records) {
      const std::string key_bytes = record_key(record.stream_arn, record.sequence_number);
      MDB_val key = view(key_bytes);
      MDB_val data = view(record.record_json);
      if (int rc = mdb_put(txn.get(), records_, &key, &data, 0); rc != 0) fail(path_, "writing a stream record", rc);
    }
    txn.commit();
  }

  void put_stream(const engine::StoredStream& stream) override {
    Transaction txn(env_, path_, false);
    MDB_val key = view(stream.arn);
    MDB_val data = view(stream.description_json);
    if (int rc = mdb_put(txn.get(), streams_, &key, &data, 0); rc != 0) fail(path_, "writing a stream", rc);
    txn.commit();
  }

  void trim_stream(std::string_view stream_arn, std::string_view last_sequence) override {
    Transaction txn(env_, path_, false);
    const std::string prefix = table_prefix(stream_arn);
    const std::string last = record_key(stream_arn, last_sequence);
    delete_prefixed(txn, records_, prefix, "trimming a stream", last);
    txn.commit();
  }

  void delete_stream(std::string_view stream_arn) override {
    Transaction txn(env_, path_, false);
    MDB_val key = view(stream_arn);
    if (int rc = mdb_del(txn.get(), streams_, &key, nullptr); rc != 0 && rc != MDB_NOTFOUND) {
      fail(path_, "deleting a stream", rc);
    }
    delete_prefixed(txn, records_, table_prefix(stream_arn), "deleting a stream's records");
    txn.commit();
  }

  void load(Loader& loader) override {
    Transaction txn(env_, path_, true);
    Cursor tables(txn, tables_, path_);
    Cursor items(txn, items_, path_);
    tables.each([&](std::string_view key, std::string_view value) {
      std::uint32_t ttl_length = 0;
      if (value.size() < sizeof ttl_length) fail(path_, "reading a table", MDB_CORRUPTED);
      std::memcpy(&ttl_length, value.data(), sizeof ttl_length);
      if (value.size() < sizeof ttl_length + ttl_length) fail(path_, "reading a table", MDB_CORRUPTED);
      engine::StoredTable table{
          .name = std::string(key),
          .description_json = std::string(value.substr(sizeof ttl_length + ttl_length)),
          .ttl_attribute = std::string(value.substr(sizeof ttl_length, ttl_length)),
      };
      loader.on_table(table);
      items.each_with_prefix(table_prefix(table.name),
                             [&](std::string_view, std::string_view item) { loader.on_item(table.name, item); });
    });
    Cursor streams(txn, streams_, path_);
    Cursor records(txn, records_, path_);
    streams.each([&](std::string_view key, std::string_view state) {
      const std::string arn(key);
      loader.on_stream(engine::StoredStream{.arn = arn, .description_json = std::string(state)});
      records.each_with_prefix(table_prefix(arn),
                               [&](std::string_view, std::string_view record) { loader.on_stream_record(arn, record); });
    });
  }

 private:
  // A cursor over one database, closed when it goes out of scope.
  class Cursor {
   public:
    Cursor(Transaction& txn, MDB_dbi dbi, const std::string& path) : path_(path) {
      if (int rc = mdb_cursor_open(txn.get(), dbi, &cursor_); rc != 0) fail(path_, "opening a cursor", rc);
    }
    ~Cursor() { mdb_cursor_close(cursor_); }
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;

    // Calls visit(key, value) for every entry, in key order.
    template <class Visit>
    void each(Visit&& visit) {
      MDB_val key{};
      MDB_val data{};
      for (int rc = mdb_cursor_get(cursor_, &key, &data, MDB_FIRST); rc == 0;
           rc = mdb_cursor_get(cursor_, &key, &data, MDB_NEXT)) {
        visit(view(key), view(data));
      }
    }
    // The same for the entries whose key starts with `prefix` (and, when `last` is given, is
    // at most `last`: the walk stops there).
    template <class Visit>
    void each_with_prefix(const std::string& prefix, Visit&& visit, std::string_view last = {}) {
      MDB_val key = view(prefix);
      MDB_val data{};
      for (int rc = mdb_cursor_get(cursor_, &key, &data, MDB_SET_RANGE);
           rc == 0 && view(key).substr(0, prefix.size()) == prefix && (last.empty() || view(key) <= last);
           rc = mdb_cursor_get(cursor_, &key, &data, MDB_NEXT)) {
        visit(view(key), view(data));
      }
    }

   private:
    const std::string& path_;
    MDB_cursor* cursor_ = nullptr;
  };

  // Deletes the keys of `dbi` that start with `prefix` (and are at most `last`, when given).
  // Keys are collected first, then deleted: simpler than deleting under a moving cursor.
  void delete_prefixed(Transaction& txn, MDB_dbi dbi, const std::string& prefix, std::string_view what,
                       std::string_view last = {}) {
    std::vector<std::string> doomed;
    {
      Cursor cursor(txn, dbi, path_);
      cursor.each_with_prefix(
          prefix, [&](std::string_view key, std::string_view) { doomed.emplace_back(key); }, last);
    }
    for (const auto& doomed_key : doomed) {
      MDB_val key = view(doomed_key);
      if (int rc = mdb_del(txn.get(), dbi, &key, nullptr); rc != 0) fail(path_, what, rc);
    }
  }

  std::string path_;
  DirectoryLock lock_;
  MDB_env* env_ = nullptr;
  MDB_dbi tables_ = 0;
  MDB_dbi items_ = 0;
  MDB_dbi streams_ = 0;
  MDB_dbi records_ = 0;
};

}  // namespace

std::shared_ptr<engine::DurableStore> open_lmdb(const std::string& path, const StoreOptions& options) {
  return std::make_shared<LmdbStore>(path, options);
}

}  // namespace dynamo::store
