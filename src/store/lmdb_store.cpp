// The LMDB store: one environment with six named databases.
//
//   meta     "format"                       -> the store's format (store_internal.hpp), as
//                                              decimal text
//   tables   table name                     -> [u32 ttl length][ttl attribute][description JSON]
//   items    table name '\0' SHA-256(key)   -> item JSON
//   streams  stream ARN                     -> the stream's state (engine JSON)
//   records  stream ARN '\0' sequence       -> record JSON (sequence numbers are fixed width,
//                                              so a stream's records are in sequence order)
//   tokens   [u64 time, big-endian] token   -> [u32 request length][request JSON][response JSON]
//            (the time in milliseconds, its sign bit flipped so that the bytes order as the
//            times: trimming expired tokens walks the front of the database)
//
// Every value but meta's ends with the entry's checksum, entry_checksum({key, value}) as 4
// little-endian bytes (store format 2); loading checks it. A database missing from an
// existing environment (one written before it was added) is created when the store opens.
//
// Item keys are hashed because LMDB limits keys to 511 bytes while a DynamoDB key can reach
// 3 KB of JSON (2048-byte partition key, 1024-byte sort key). The key JSON is canonical
// (durable_store.hpp), so equal keys hash alike; table names cannot contain '\0', so the
// prefix of one table never matches another's.
//
// Durability (store.hpp) maps to LMDB's commit flags: process = MDB_NOSYNC, consistent =
// MDB_NOMETASYNC, power = neither. A background mdb_env_sync every few milliseconds on top of
// MDB_NOSYNC was considered for consistent and rejected: lmdb.h says MDB_NOSYNC "means a
// system crash can corrupt the database" unless the filesystem preserves write order, and
// ext4 or XFS do not promise that for pages written between two syncs; MDB_NOMETASYNC
// flushes a transaction's data pages before its meta page points at them, which "maintains
// database integrity, but a system crash may undo the last committed transaction".
//
// The map (MDB_env's address space, the most the file may grow to before it is enlarged)
// starts at StoreOptions::lmdb_map_size. A write that finds it full is aborted by LMDB as a
// whole; the store then doubles the map (mdb_env_set_mapsize, which lmdb.h allows only
// while this process has no transaction open, hence map_mutex_) and runs the write again.
//
// A damaged data file (LMDB keeps no checksums of its own) is refused with a StoreError
// rather than ending the process or loading wrong data: a file that is not a whole number of
// pages (it would die of SIGBUS), a failed LMDB assertion (it would abort), a cursor error
// (it was taken for the end of the data), an entry whose size reaches past the file, an
// entry whose checksum does not match, a database holding entries that no table or stream
// owns (a damaged key), and an entry the engine cannot read back. docs/reliability.md,
// "Corrupted files", measures what is left.
#include <lmdb.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "store/store_internal.hpp"

namespace dynamo::store {
namespace {

// A failure of the LMDB library: a StoreError that keeps LMDB's return code, so that the
// write path can tell a full map (grow it and retry) from the rest.
class LmdbError : public Error {
 public:
  LmdbError(const std::string& path, std::string_view what, int rc)
      : Error(std::string(error_code::store_error), "LMDB store " + path + ": " + std::string(what) + ": " + mdb_strerror(rc), 500), rc_(rc) {}
  [[nodiscard]] int rc() const noexcept { return rc_; }

 private:
  int rc_;
};

[[noreturn]] void fail(const std::string& path, std::string_view what, int rc) { throw LmdbError(path, what, rc); }

unsigned commit_flags(Durability durability) {
  switch (durability) {
    case Durability::process: return MDB_NOSYNC;
    case Durability::consistent: return MDB_NOMETASYNC;
    case Durability::power: return 0;
  }
  return 0;
}

// What failed, for a commit's error: LMDB reports a write that the disk cut short (a full
// disk) as EIO, so the free space is added to make the cause plain in the server's log.
std::string commit_failure(const std::string& path, int rc) {
  std::string what = "committing";
  struct statvfs disk{};
  if ((rc == EIO || rc == ENOSPC || rc == EFBIG) && ::statvfs(path.c_str(), &disk) == 0) {
    what += " (" + std::to_string(static_cast<unsigned long long>(disk.f_bavail) * disk.f_frsize) +
            " bytes free on its filesystem)";
  }
  return what;
}

// LMDB's handler of a failed internal assertion (a page that is not what the tree says it
// is: a damaged file). LMDB would print the message and abort the process; throwing
// instead turns a damaged store into an error of the call that found it. The exception
// leaves LMDB's C frames by their unwind tables (.eh_frame); the transaction the call ran
// in is then aborted by its owner (Transaction), as after any other failure.
void damaged_page(MDB_env* env, const char* message) {
  const auto* path = static_cast<const std::string*>(mdb_env_get_userctx(env));
  throw Error(std::string(error_code::store_error),
              "LMDB store " + (path != nullptr ? *path : std::string("?")) + ": the data file is damaged (" + message + ")",
              500);
}

// The checksum at the end of every stored value.
constexpr std::size_t checksum_size = 4;

void put_checksum(char* out, std::uint32_t checksum) {
  for (std::size_t i = 0; i < checksum_size; ++i) out[i] = static_cast<char>(checksum >> (8 * i));
}

std::uint32_t stored_checksum(const char* in) {
  std::uint32_t checksum = 0;
  for (std::size_t i = 0; i < checksum_size; ++i) checksum |= std::uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  return checksum;
}

// Doublings of the map one write may ask for: from 1 MiB, 2^30 times that is more address
// space than any machine has, so the limit only stops a runaway loop.
constexpr int max_map_growths = 30;

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

constexpr std::string_view deleting_marker = lmdb_deleting_marker;
constexpr auto delete_chunk = static_cast<std::size_t>(table_delete_chunk);

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

// A token's key: its time (milliseconds, the sign bit flipped, big-endian: the bytes order
// as the times), then the token.
std::string token_key(std::int64_t written_at_ms, std::string_view token) {
  const std::uint64_t ordered = static_cast<std::uint64_t>(written_at_ms) ^ (std::uint64_t{1} << 63);
  std::string key(sizeof ordered, '\0');
  for (std::size_t i = 0; i < sizeof ordered; ++i) {
    key[i] = static_cast<char>(static_cast<unsigned char>(ordered >> (8 * (sizeof ordered - 1 - i))));
  }
  key.append(token);
  return key;
}

std::int64_t token_time(std::string_view key) {
  std::uint64_t ordered = 0;
  for (std::size_t i = 0; i < sizeof ordered; ++i) ordered = (ordered << 8) | static_cast<unsigned char>(key[i]);
  return static_cast<std::int64_t>(ordered ^ (std::uint64_t{1} << 63));
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
    if (rc != 0) fail(path_, commit_failure(path_, rc), rc);
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
    mdb_env_set_maxdbs(env_, 6);
    if (int rc = mdb_env_set_mapsize(env_, options.lmdb_map_size); rc != 0) {
      mdb_env_close(env_);
      fail(path_, "setting the map size", rc);
    }
    // MDB_NOTLS: transactions are not tied to threads.
    mdb_env_set_userctx(env_, &path_);
    mdb_env_set_assert(env_, damaged_page);
    int opened = 0;
    try {
      check_store_directory(path_, Kind::lmdb);
      check_lmdb_meta_pages(path_);
      opened = mdb_env_open(env_, path_.c_str(), MDB_NOTLS | commit_flags(options.durability), 0644);
    } catch (...) {  // check_lmdb_meta_pages, damaged_page
      mdb_env_close(env_);
      throw;
    }
    if (opened != 0) {
      mdb_env_close(env_);
      fail(path_, "opening", opened);
    }
    try {
      check_data_file();
      write([&](Transaction& txn) {
        if (int rc = mdb_dbi_open(txn.get(), "tables", MDB_CREATE, &tables_); rc != 0) fail(path_, "opening tables", rc);
        if (int rc = mdb_dbi_open(txn.get(), "items", MDB_CREATE, &items_); rc != 0) fail(path_, "opening items", rc);
        if (int rc = mdb_dbi_open(txn.get(), "streams", MDB_CREATE, &streams_); rc != 0) {
          fail(path_, "opening streams", rc);
        }
        if (int rc = mdb_dbi_open(txn.get(), "records", MDB_CREATE, &records_); rc != 0) {
          fail(path_, "opening records", rc);
        }
        if (int rc = mdb_dbi_open(txn.get(), "tokens", MDB_CREATE, &tokens_); rc != 0) fail(path_, "opening tokens", rc);
        if (int rc = mdb_dbi_open(txn.get(), "meta", MDB_CREATE, &meta_); rc != 0) fail(path_, "opening meta", rc);
        upgrade_format(txn);
      });
      finish_interrupted_deletions();
      mark_store_directory(path_, Kind::lmdb);
    } catch (...) {
      mdb_env_close(env_);
      throw;
    }
  }

  ~LmdbStore() override {
    // Flush what process and consistent durability left unflushed, so a clean shutdown is
    // also safe against a later power failure.
    mdb_env_sync(env_, 1);
    mdb_env_close(env_);
  }

  LmdbStore(const LmdbStore&) = delete;
  LmdbStore& operator=(const LmdbStore&) = delete;

  // Refuses a damaged data file before LMDB reads a page of it (check_lmdb_file): one cut
  // short, even at a page boundary, or whose pages do not hold together.
  void check_data_file() {
    MDB_stat stat{};
    mdb_filehandle_t fd{};
    if (mdb_env_stat(env_, &stat) != 0 || mdb_env_get_fd(env_, &fd) != 0) return;  // LMDB's own checks remain
    check_lmdb_file(path_, fd, stat.ms_psize);
  }

  // The current size of the map.
  [[nodiscard]] std::size_t map_size() const {
    MDB_envinfo info{};
    mdb_env_info(env_, &info);
    return info.me_mapsize;
  }

  void put_table(const engine::StoredTable& table) override {
    std::string value;
    const auto ttl_length = static_cast<std::uint32_t>(table.ttl_attribute.size());
    value.append(reinterpret_cast<const char*>(&ttl_length), sizeof ttl_length);
    value.append(table.ttl_attribute);
    value.append(table.description_json);
    pending_deletions_.finish_before_reuse(table.name, [&](std::string_view name) { finish_deleting(name); });
    write([&](Transaction& txn) { put(txn, tables_, table.name, value, "writing a table"); });
  }

  // The table's entry becomes deleting_marker (the deletion takes effect, or fails with
  // nothing changed), then its items go a chunk per transaction (other writers get in
  // between), then the entry. A deletion cut short by a crash is finished when the store is
  // next opened; one cut short by a failure, also before a table of its name is stored.
  void delete_table(std::string_view name) override {
    write([&](Transaction& txn) { put(txn, tables_, name, deleting_marker, "deleting a table"); });
    pending_deletions_.finish_or_keep("LMDB store " + path_, name, [&](std::string_view doomed) {
      finish_deleting(doomed);
    });
  }

  void apply(std::span<const engine::StoredItemChange> changes) override { apply_with_records(changes, {}); }

  void apply_with_records(std::span<const engine::StoredItemChange> changes,
                          std::span<const engine::StoredStreamRecord> records) override {
    write([&](Transaction& txn) { write_changes(txn, changes, records); });
  }

  void apply_with_token(std::span<const engine::StoredItemChange> changes,
                        std::span<const engine::StoredStreamRecord> records, const engine::StoredToken& token) override {
    const std::string key_bytes = token_key(token.written_at_ms, token.token);
    std::string value;
    const auto request_length = static_cast<std::uint32_t>(token.request_json.size());
    value.append(reinterpret_cast<const char*>(&request_length), sizeof request_length);
    value.append(token.request_json);
    value.append(token.response_json);
    write([&](Transaction& txn) {
      write_changes(txn, changes, records);
      put(txn, tokens_, key_bytes, value, "writing a token");
    });
  }

  void trim_tokens(std::int64_t before_ms) override {
    const std::string limit = token_key(before_ms, {});
    write([&](Transaction& txn) {
      std::vector<std::string> doomed;
      {
        Cursor cursor(txn, tokens_, path_);
        cursor.each_below(limit, [&](std::string_view key, std::string_view) { doomed.emplace_back(key); });
      }
      delete_keys(txn, tokens_, doomed, "trimming tokens");
    });
  }

  void put_stream(const engine::StoredStream& stream) override {
    write([&](Transaction& txn) { put(txn, streams_, stream.arn, stream.description_json, "writing a stream"); });
  }

  void trim_stream(std::string_view stream_arn, std::string_view last_sequence) override {
    const std::string prefix = table_prefix(stream_arn);
    const std::string last = record_key(stream_arn, last_sequence);
    write([&](Transaction& txn) { delete_prefixed(txn, records_, prefix, "trimming a stream", last); });
  }

  void delete_stream(std::string_view stream_arn) override {
    write([&](Transaction& txn) {
      MDB_val key = view(stream_arn);
      if (int rc = mdb_del(txn.get(), streams_, &key, nullptr); rc != 0 && rc != MDB_NOTFOUND) {
        fail(path_, "deleting a stream", rc);
      }
      delete_prefixed(txn, records_, table_prefix(stream_arn), "deleting a stream's records");
    });
  }

  void load(Loader& loader) override {
    loading("LMDB store " + path_, [&] { load_entries(loader); });
  }

 private:
  void load_entries(Loader& loader) {
    const std::shared_lock no_resize = enter();
    Transaction txn(env_, path_, true);
    const MappedFile file = mapped_file();
    // An entry read from `database`: inside the file, its checksum matched; the value
    // without its checksum.
    const auto read = [&](std::string_view key, std::string_view value, std::string_view database) {
      check_inside(file, key, database);
      check_inside(file, value, database);
      return checked(key, value, database);
    };
    Cursor tables(txn, tables_, path_);
    Cursor items(txn, items_, path_);
    std::size_t owned_items = 0;
    tables.each([&](std::string_view key, std::string_view stored) {
      const std::string_view value = read(key, stored, "tables");
      if (value == deleting_marker) return;  // finished at open; only a damaged file gets here
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
      items.each_with_prefix(table_prefix(table.name), [&](std::string_view item_key, std::string_view item) {
        loader.on_item(table.name, read(item_key, item, "items"));
        ++owned_items;
      });
    });
    check_all_owned(txn, items_, "items", owned_items, "its tables");
    Cursor streams(txn, streams_, path_);
    Cursor records(txn, records_, path_);
    std::size_t owned_records = 0;
    streams.each([&](std::string_view key, std::string_view stored) {
      const std::string_view state = read(key, stored, "streams");
      const std::string arn(key);
      loader.on_stream(engine::StoredStream{.arn = arn, .description_json = std::string(state)});
      records.each_with_prefix(table_prefix(arn), [&](std::string_view record_key, std::string_view record) {
        loader.on_stream_record(arn, read(record_key, record, "records"));
        ++owned_records;
      });
    });
    check_all_owned(txn, records_, "records", owned_records, "its streams");
    Cursor tokens(txn, tokens_, path_);
    tokens.each([&](std::string_view key, std::string_view stored) {
      const std::string_view value = read(key, stored, "tokens");
      std::uint32_t request_length = 0;
      if (key.size() < sizeof(std::uint64_t) || value.size() < sizeof request_length) {
        fail(path_, "reading a token", MDB_CORRUPTED);
      }
      std::memcpy(&request_length, value.data(), sizeof request_length);
      if (value.size() < sizeof request_length + request_length) fail(path_, "reading a token", MDB_CORRUPTED);
      loader.on_token(engine::StoredToken{
          .token = key.substr(sizeof(std::uint64_t)),
          .request_json = value.substr(sizeof request_length, request_length),
          .response_json = value.substr(sizeof request_length + request_length),
          .written_at_ms = token_time(key),
      });
    });
  }

  // Refuses a database holding more entries than the load visited (`owned`, those under
  // the prefix of a table or stream): an entry whose key was damaged is found under no prefix,
  // and would otherwise be missing without a word.
  void check_all_owned(Transaction& txn, MDB_dbi dbi, std::string_view database, std::size_t owned,
                       std::string_view owners) const {
    MDB_stat stat{};
    if (int rc = mdb_stat(txn.get(), dbi, &stat); rc != 0) fail(path_, "reading the size of a database", rc);
    if (stat.ms_entries == owned) return;
    throw Error(std::string(error_code::store_error),
                "LMDB store " + path_ + ": the data file is damaged: the " + std::string(database) + " database holds " +
                    std::to_string(stat.ms_entries) + " entries, but " + std::to_string(owned) + " belong to " +
                    std::string(owners),
                500);
  }

  // Writes `value` and its checksum under `key` in `dbi`, straight into the page
  // (MDB_RESERVE: no copy of the value is made to append the checksum).
  void put(Transaction& txn, MDB_dbi dbi, std::string_view key, std::string_view value, std::string_view what) {
    MDB_val stored_key = view(key);
    MDB_val data{value.size() + checksum_size, nullptr};
    if (int rc = mdb_put(txn.get(), dbi, &stored_key, &data, MDB_RESERVE); rc != 0) fail(path_, what, rc);
    auto* out = static_cast<char*>(data.mv_data);
    if (!value.empty()) std::memcpy(out, value.data(), value.size());
    put_checksum(out + value.size(), entry_checksum({key, value}));
  }

  // The value of an entry of `database` read from the file, without its checksum; throws a
  // StoreError when the checksum does not match the key and value.
  [[nodiscard]] std::string_view checked(std::string_view key, std::string_view stored, std::string_view database) const {
    if (stored.size() >= checksum_size) {
      const std::string_view value = stored.substr(0, stored.size() - checksum_size);
      if (!verify_checksums || stored_checksum(stored.data() + value.size()) == entry_checksum({key, value})) return value;
    }
    throw Error(std::string(error_code::store_error),
                "LMDB store " + path_ + ": the data file is damaged: an entry of the " + std::string(database) +
                    " database (" + std::to_string(key.size()) + "-byte key, " + std::to_string(stored.size()) +
                    "-byte value) does not match its checksum",
                500);
  }

  // Reads the store's format from the meta database, inside the transaction that opens the
  // databases: a store without one (written before formats were recorded: format 1, or
  // new and empty) has every entry rewritten with its checksum and is marked as format 2;
  // a later format is refused.
  void upgrade_format(Transaction& txn) {
    MDB_val key = view("format");
    MDB_val data{};
    const int rc = mdb_get(txn.get(), meta_, &key, &data);
    if (rc == 0) {
      const std::string_view format = view(data);
      if (format == std::to_string(store_format)) return;
      int number = 0;
      const auto [end, error] = std::from_chars(format.data(), format.data() + format.size(), number);
      if (error != std::errc{} || end != format.data() + format.size() || number <= store_format) {
        throw Error(std::string(error_code::store_error),
                    "LMDB store " + path_ + ": the data file is damaged: its format entry reads \"" +
                        std::string(format.substr(0, 20)) + "\"",
                    500);
      }
      throw Error(std::string(error_code::store_error),
                  "LMDB store " + path_ + ": written in store format " + std::string(format) +
                      " by a later version of dynamo; this one reads formats up to " + std::to_string(store_format),
                  500);
    }
    if (rc != MDB_NOTFOUND) fail(path_, "reading the store's format", rc);
    for (const MDB_dbi dbi : {tables_, items_, streams_, records_, tokens_}) {
      std::vector<std::pair<std::string, std::string>> entries;
      {
        Cursor cursor(txn, dbi, path_);
        cursor.each([&](std::string_view entry_key, std::string_view value) { entries.emplace_back(entry_key, value); });
      }
      for (const auto& [entry_key, value] : entries) put(txn, dbi, entry_key, value, "adding checksums to the entries");
    }
    const std::string format = std::to_string(store_format);
    MDB_val format_data = view(format);
    if (int put_rc = mdb_put(txn.get(), meta_, &key, &format_data, 0); put_rc != 0) {
      fail(path_, "writing the store's format", put_rc);
    }
  }

 private:
  // The item changes and stream records of one batch, inside `txn`.
  void write_changes(Transaction& txn, std::span<const engine::StoredItemChange> changes,
                     std::span<const engine::StoredStreamRecord> records) {
    for (const auto& change : changes) {
      const std::string key_bytes = item_key(change.table, change.key);
      if (change.item) {
        put(txn, items_, key_bytes, *change.item, "writing an item");
        continue;
      }
      MDB_val key = view(key_bytes);
      if (int rc = mdb_del(txn.get(), items_, &key, nullptr); rc != 0 && rc != MDB_NOTFOUND) {
        fail(path_, "deleting an item", rc);
      }
    }
    for (const auto& record : records) {
      put(txn, records_, record_key(record.stream_arn, record.sequence_number), record.record_json,
          "writing a stream record");
    }
  }

  // The data file's bytes as this process maps them, [begin, end): found in /proc/self/maps
  // by the file's inode; {0, 0} when not found (the checks below are then skipped).
  struct MappedFile {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
  };
  [[nodiscard]] MappedFile mapped_file() const {
    mdb_filehandle_t fd{};
    struct stat file{};
    if (mdb_env_get_fd(env_, &fd) != 0 || ::fstat(fd, &file) != 0) return {};
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
      unsigned long long start = 0;
      unsigned long long stop = 0;
      unsigned long long offset = 0;
      unsigned long long inode = 0;
      if (std::sscanf(line.c_str(), "%llx-%llx %*s %llx %*s %llu", &start, &stop, &offset, &inode) != 4 ||
          inode != static_cast<unsigned long long>(file.st_ino) || offset != 0 || !line.ends_with("/data.mdb")) {
        continue;
      }
      const auto size = std::min(static_cast<unsigned long long>(file.st_size), stop - start);
      return {static_cast<std::uintptr_t>(start), static_cast<std::uintptr_t>(start + size)};
    }
    return {};
  }

  // Refuses an entry that does not lie inside the data file. LMDB takes an entry's size
  // from the page that holds it without checking it; a damaged size would have the engine
  // read past the end of the file (SIGBUS) or of the map (SIGSEGV).
  void check_inside(const MappedFile& file, std::string_view bytes, std::string_view database) const {
    if (file.begin == 0) return;
    const auto at = reinterpret_cast<std::uintptr_t>(bytes.data());
    if (at < file.begin || at > file.end || bytes.size() > file.end - at) {
      throw Error(std::string(error_code::store_error),
                  "LMDB store " + path_ + ": the data file is damaged: an entry of the " + std::string(database) +
                      " database (" + std::to_string(bytes.size()) + " bytes) reaches past the end of the file",
                  500);
    }
  }

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
      int rc = mdb_cursor_get(cursor_, &key, &data, MDB_FIRST);
      for (; rc == 0; rc = mdb_cursor_get(cursor_, &key, &data, MDB_NEXT)) visit(view(key), view(data));
      ended(rc);
    }
    // The same for the entries whose key starts with `prefix` (and, when `last` is given, is
    // at most `last`: the walk stops there), the first `limit` of them.
    template <class Visit>
    void each_with_prefix(const std::string& prefix, Visit&& visit, std::string_view last = {},
                          std::size_t limit = SIZE_MAX) {
      MDB_val key = view(prefix);
      MDB_val data{};
      int rc = mdb_cursor_get(cursor_, &key, &data, MDB_SET_RANGE);
      for (std::size_t visited = 0; rc == 0 && visited < limit && view(key).substr(0, prefix.size()) == prefix &&
                                    (last.empty() || view(key) <= last);
           rc = mdb_cursor_get(cursor_, &key, &data, MDB_NEXT), ++visited) {
        visit(view(key), view(data));
      }
      ended(rc);
    }

    // The same for the entries whose key orders before `limit`.
    template <class Visit>
    void each_below(std::string_view limit, Visit&& visit) {
      MDB_val key{};
      MDB_val data{};
      for (int rc = mdb_cursor_get(cursor_, &key, &data, MDB_FIRST); rc == 0 && view(key) < limit;
           rc = mdb_cursor_get(cursor_, &key, &data, MDB_NEXT)) {
        visit(view(key), view(data));
      }
    }

   private:
    // A walk ends at the last entry (MDB_NOTFOUND, or 0 past the prefix); any other code is
    // a failure (a damaged page, say), never taken for the end of the data.
    void ended(int rc) const {
      if (rc != 0 && rc != MDB_NOTFOUND) fail(path_, "reading", rc);
    }

    const std::string& path_;
    MDB_cursor* cursor_ = nullptr;
  };

  // Runs `body` in one write transaction and commits it: all of it is written, or none
  // (an exception from `body` or from the commit aborts the transaction). When LMDB finds
  // the map full, it has already aborted the transaction; the map is doubled and `body` runs
  // again in a new one.
  template <class Body>
  void write(Body&& body) {
    for (int growths = 0;; ++growths) {
      std::size_t full_size = 0;
      {
        const std::shared_lock no_resize = enter();
        try {
          Transaction txn(env_, path_, false);
          body(txn);
          txn.commit();
          return;
        } catch (const LmdbError& error) {  // the transaction is aborted by now
          if (error.rc() != MDB_MAP_FULL || growths == max_map_growths) throw;
          full_size = map_size();  // read while no resize can run
        }
      }
      grow_map(full_size);
    }
  }

  // Takes map_mutex_ shared for one transaction. Through entry_ first, so that a thread
  // waiting to resize keeps new transactions out: std::shared_mutex may let readers pass a
  // waiting writer for as long as they overlap, which a busy store would do forever.
  [[nodiscard]] std::shared_lock<std::shared_mutex> enter() {
    const std::lock_guard entering(entry_);
    return std::shared_lock(map_mutex_);
  }

  // Doubles the map unless another thread already enlarged it past `full_size`. lmdb.h:
  // mdb_env_set_mapsize "may be called at later times if no transactions are active in this
  // process"; every transaction of this store holds map_mutex_ shared, so holding it
  // exclusively guarantees that.
  void grow_map(std::size_t full_size) {
    const std::lock_guard no_entry(entry_);
    const std::unique_lock resizing(map_mutex_);
    if (map_size() > full_size) return;
    const std::size_t doubled = full_size > SIZE_MAX / 2 ? SIZE_MAX : full_size * 2;
    if (int rc = mdb_env_set_mapsize(env_, doubled); rc != 0) fail(path_, "enlarging the map", rc);
  }

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
    delete_keys(txn, dbi, doomed, what);
  }

  // Deletes the items of a table marked deleting_marker, delete_chunk per transaction, then
  // its entry.
  void finish_deleting(std::string_view name) {
    const std::string prefix = table_prefix(name);
    for (bool more = true; more;) {
      write([&](Transaction& txn) {
        std::vector<std::string> doomed;
        {
          Cursor cursor(txn, items_, path_);
          cursor.each_with_prefix(
              prefix, [&](std::string_view key, std::string_view) { doomed.emplace_back(key); }, {}, delete_chunk);
        }
        delete_keys(txn, items_, doomed, "deleting a table's items");
        more = doomed.size() == delete_chunk;
      });
    }
    write([&](Transaction& txn) {
      MDB_val key = view(name);
      if (int rc = mdb_del(txn.get(), tables_, &key, nullptr); rc != 0 && rc != MDB_NOTFOUND) {
        fail(path_, "deleting a table", rc);
      }
    });
  }

  // Finishes the deletions a crash cut short (tables whose entry is deleting_marker).
  void finish_interrupted_deletions() {
    std::vector<std::string> doomed;
    {
      const std::shared_lock no_resize = enter();
      Transaction txn(env_, path_, true);
      Cursor tables(txn, tables_, path_);
      tables.each([&](std::string_view key, std::string_view value) {
        // Only values of the marker's size are read: the file is not yet known to hold the
        // others whole (load_entries checks that as it goes).
        if (value.size() == deleting_marker.size() + checksum_size && checked(key, value, "tables") == deleting_marker) {
          doomed.emplace_back(key);
        }
      });
    }
    for (const std::string& name : doomed) finish_deleting(name);
  }

  void delete_keys(Transaction& txn, MDB_dbi dbi, const std::vector<std::string>& doomed, std::string_view what) {
    for (const auto& doomed_key : doomed) {
      MDB_val key = view(doomed_key);
      if (int rc = mdb_del(txn.get(), dbi, &key, nullptr); rc != 0) fail(path_, what, rc);
    }
  }

  std::string path_;
  DirectoryLock lock_;
  PendingDeletions pending_deletions_;
  // Held shared by every transaction, exclusively while the map is resized; entry_ is
  // passed to take it shared, and held while waiting to take it exclusively.
  std::mutex entry_;
  mutable std::shared_mutex map_mutex_;
  MDB_env* env_ = nullptr;
  MDB_dbi tables_ = 0;
  MDB_dbi items_ = 0;
  MDB_dbi streams_ = 0;
  MDB_dbi records_ = 0;
  MDB_dbi tokens_ = 0;
  MDB_dbi meta_ = 0;
};

}  // namespace

std::shared_ptr<engine::DurableStore> open_lmdb(const std::string& path, const StoreOptions& options) {
  return std::make_shared<LmdbStore>(path, options);
}

}  // namespace dynamo::store
