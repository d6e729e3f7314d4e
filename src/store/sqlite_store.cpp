// The SQLite store: one database file in WAL mode.
//
//   tables(name TEXT PRIMARY KEY, ttl TEXT, description TEXT, checksum INTEGER)
//   items(tbl TEXT, key BLOB, item BLOB, checksum INTEGER, PRIMARY KEY (tbl, key)) WITHOUT ROWID
//   streams(arn TEXT PRIMARY KEY, state TEXT, checksum INTEGER)
//   records(arn TEXT, seq TEXT, record BLOB, checksum INTEGER, PRIMARY KEY (arn, seq)) WITHOUT ROWID
//   tokens(token TEXT PRIMARY KEY, written_at INTEGER, request BLOB, response BLOB, checksum INTEGER),
//     indexed by written_at for trimming the expired ones
//
// checksum is entry_checksum() of the row's other columns in the order above (written_at
// as decimal text), checked as the store is loaded; PRAGMA user_version holds the store's
// format (store_internal.hpp). Every table is created when missing, so a database written
// before one was added opens; a table written before checksums gets its column, and every
// row its checksum, in the transaction that opens a store of format 1.
//
// One connection serialised by a mutex: the engine already serialises writes per table,
// and SQLite allows one writer at a time anyway.
#include <sqlite3.h>

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_internal.hpp"

namespace dynamo::store {
namespace {

constexpr std::string_view deleting_marker = sqlite_deleting_marker;
constexpr int delete_chunk = table_delete_chunk;

// A table of the database: how it is created, its primary key, and the columns its
// checksum covers (in order; as SQL, for the rewrite of a format 1 table).
struct TableLayout {
  const char* name;
  const char* create;
  const char* key;  // its primary key's columns, as SQL
  int key_columns;
  const char* key_match;  // a WHERE clause naming one row by its key
  const char* summed;
};
constexpr TableLayout layouts[] = {
    {"tables", "CREATE TABLE IF NOT EXISTS tables(name TEXT PRIMARY KEY, ttl TEXT NOT NULL, description TEXT NOT NULL, "
               "checksum INTEGER NOT NULL)",
     "name", 1, "name = ?", "name, ttl, description"},
    {"items", "CREATE TABLE IF NOT EXISTS items(tbl TEXT NOT NULL, key BLOB NOT NULL, item BLOB NOT NULL, "
              "checksum INTEGER NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID",
     "tbl, key", 2, "tbl = ? AND key = ?", "tbl, key, item"},
    {"streams", "CREATE TABLE IF NOT EXISTS streams(arn TEXT PRIMARY KEY, state TEXT NOT NULL, checksum INTEGER NOT NULL)",
     "arn", 1, "arn = ?", "arn, state"},
    {"records", "CREATE TABLE IF NOT EXISTS records(arn TEXT NOT NULL, seq TEXT NOT NULL, record BLOB NOT NULL, "
                "checksum INTEGER NOT NULL, PRIMARY KEY (arn, seq)) WITHOUT ROWID",
     "arn, seq", 2, "arn = ? AND seq = ?", "arn, seq, record"},
    {"tokens", "CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY, written_at INTEGER NOT NULL, "
               "request BLOB NOT NULL, response BLOB NOT NULL, checksum INTEGER NOT NULL)",
     "token", 1, "token = ?", "token, CAST(written_at AS TEXT), request, response"},
};

const char* synchronous_pragma(Durability durability) {
  switch (durability) {
    case Durability::process: return "PRAGMA synchronous=OFF";
    case Durability::consistent: return "PRAGMA synchronous=NORMAL";
    case Durability::power: return "PRAGMA synchronous=FULL";
  }
  return "PRAGMA synchronous=FULL";
}

class SqliteStore final : public engine::DurableStore {
 public:
  SqliteStore(const std::string& path, const StoreOptions& options) : path_(path), lock_(path) {
    check_store_directory(path_, Kind::sqlite);
    const std::string file = path + "/dynamo.sqlite3";
    if (int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
        rc != SQLITE_OK) {
      const std::string reason = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw Error(std::string(error_code::store_error), "SQLite store " + path_ + ": opening: " + reason, 500);
    }
    // A damaged file often opens and fails at the first statement: the destructor does not
    // run for a constructor that throws, so the connection (and its file descriptor) is
    // closed here.
    try {
      // WAL: each commit is appended to the log file. synchronous (store.hpp's table):
      // OFF never flushes, so an OS crash during a checkpoint can corrupt the file; NORMAL
      // flushes the log before each checkpoint copies it into the database, so a crash can
      // only lose the commits since then; FULL also flushes the log at every commit.
      exec("PRAGMA journal_mode=WAL");
      exec(synchronous_pragma(options.durability));
      in_transaction([&] { create_or_upgrade(); });
      put_item_ = prepare("INSERT OR REPLACE INTO items(tbl, key, item, checksum) VALUES (?, ?, ?, ?)");
      delete_item_ = prepare("DELETE FROM items WHERE tbl = ? AND key = ?");
      put_record_ = prepare("INSERT OR REPLACE INTO records(arn, seq, record, checksum) VALUES (?, ?, ?, ?)");
      put_token_ = prepare(
          "INSERT OR REPLACE INTO tokens(token, written_at, request, response, checksum) VALUES (?, ?, ?, ?, ?)");
      finish_interrupted_deletions();
      mark_store_directory(path_, Kind::sqlite);
    } catch (...) {
      close();
      throw;
    }
  }

  ~SqliteStore() override {
    // Closing checkpoints the log into the database; at FULL that checkpoint is flushed, so
    // a clean shutdown is safe against a later power failure whatever the durability.
    sqlite3_exec(db_, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
    close();
  }

  void put_table(const engine::StoredTable& table) override {
    pending_deletions_.finish_before_reuse(table.name, [&](std::string_view name) { finish_deleting(name); });
    std::lock_guard guard(mutex_);
    Statement statement(*this, "INSERT OR REPLACE INTO tables(name, ttl, description, checksum) VALUES (?, ?, ?, ?)");
    bind_row(statement.get(), {table.name, table.ttl_attribute, table.description_json});
    step_done(statement.get(), "writing a table");
  }

  // The table's row gets the description deleting_marker (the deletion takes effect, or
  // fails with nothing changed), then its items go a chunk per transaction (other writers
  // get in between), then the row. A deletion cut short by a crash is finished when the
  // store is next opened; one cut short by a failure, also before a table of its name is
  // stored.
  void delete_table(std::string_view name) override {
    {
      std::lock_guard guard(mutex_);
      Statement mark(*this, "INSERT OR REPLACE INTO tables(name, ttl, description, checksum) VALUES (?, ?, ?, ?)");
      bind_row(mark.get(), {name, "", deleting_marker});
      step_done(mark.get(), "deleting a table");
    }
    pending_deletions_.finish_or_keep("SQLite store " + path_, name, [&](std::string_view doomed) {
      finish_deleting(doomed);
    });
  }

  void apply(std::span<const engine::StoredItemChange> changes) override { apply_with_records(changes, {}); }

  void apply_with_records(std::span<const engine::StoredItemChange> changes,
                          std::span<const engine::StoredStreamRecord> records) override {
    std::lock_guard guard(mutex_);
    in_transaction([&] { write_changes(changes, records); });
  }

  void apply_with_token(std::span<const engine::StoredItemChange> changes,
                        std::span<const engine::StoredStreamRecord> records, const engine::StoredToken& token) override {
    std::lock_guard guard(mutex_);
    in_transaction([&] {
      write_changes(changes, records);
      sqlite3_reset(put_token_);
      bind(put_token_, 1, token.token);
      bind_int(put_token_, 2, token.written_at_ms);
      bind(put_token_, 3, token.request_json);
      bind(put_token_, 4, token.response_json);
      bind_int(put_token_, 5,
               entry_checksum({token.token, std::to_string(token.written_at_ms), token.request_json, token.response_json}));
      step_done(put_token_, "writing a token");
    });
  }

  void trim_tokens(std::int64_t before_ms) override {
    std::lock_guard guard(mutex_);
    Statement statement(*this, "DELETE FROM tokens WHERE written_at < ?");
    bind_int(statement.get(), 1, before_ms);
    step_done(statement.get(), "trimming tokens");
  }

  void put_stream(const engine::StoredStream& stream) override {
    std::lock_guard guard(mutex_);
    Statement statement(*this, "INSERT OR REPLACE INTO streams(arn, state, checksum) VALUES (?, ?, ?)");
    bind_row(statement.get(), {stream.arn, stream.description_json});
    step_done(statement.get(), "writing a stream");
  }

  void trim_stream(std::string_view stream_arn, std::string_view last_sequence) override {
    std::lock_guard guard(mutex_);
    Statement statement(*this, "DELETE FROM records WHERE arn = ? AND seq <= ?");
    bind(statement.get(), 1, stream_arn);
    bind(statement.get(), 2, last_sequence);
    step_done(statement.get(), "trimming a stream");
  }

  void delete_stream(std::string_view stream_arn) override {
    std::lock_guard guard(mutex_);
    in_transaction([&] {
      for (const char* sql : {"DELETE FROM streams WHERE arn = ?", "DELETE FROM records WHERE arn = ?"}) {
        Statement statement(*this, sql);
        bind(statement.get(), 1, stream_arn);
        step_done(statement.get(), "deleting a stream");
      }
    });
  }

  void load(Loader& loader) override {
    loading("SQLite store " + path_, [&] { load_entries(loader); });
  }

 private:
  // Deletes the items of a table marked deleting_marker, delete_chunk per transaction, then
  // its row.
  void finish_deleting(std::string_view name) {
    for (bool more = true; more;) {
      std::lock_guard guard(mutex_);
      static const std::string sql = "DELETE FROM items WHERE tbl = ?1 AND key IN (SELECT key FROM items WHERE tbl = ?1 "
                                     "LIMIT " + std::to_string(delete_chunk) + ")";
      Statement chunk(*this, sql.c_str());
      bind(chunk.get(), 1, name);
      step_done(chunk.get(), "deleting a table's items");
      more = sqlite3_changes(db_) == delete_chunk;
    }
    std::lock_guard guard(mutex_);
    Statement row(*this, "DELETE FROM tables WHERE name = ?");
    bind(row.get(), 1, name);
    step_done(row.get(), "deleting a table");
  }

  // Finishes the deletions a crash cut short (tables whose description is deleting_marker).
  void finish_interrupted_deletions() {
    std::vector<std::string> doomed;
    {
      std::lock_guard guard(mutex_);
      Statement tables(*this, "SELECT name FROM tables WHERE CAST(description AS BLOB) = ?");
      bind(tables.get(), 1, deleting_marker);
      while (step_row(tables.get(), "reading tables")) doomed.push_back(text(tables.get(), 0));
    }
    for (const std::string& name : doomed) finish_deleting(name);
  }

  // Every row is checked against its checksum before the engine sees it, and the items and
  // records tables must hold no row that no table or stream owns (a damaged tbl or arn
  // column: the row would be missing without a word).
  void load_entries(Loader& loader) {
    std::lock_guard guard(mutex_);
    Statement tables(*this, "SELECT name, ttl, description, checksum FROM tables "
                            "WHERE CAST(description AS BLOB) <> ? ORDER BY name");
    bind(tables.get(), 1, deleting_marker);
    std::int64_t owned_items = 0;
    while (step_row(tables.get(), "reading tables")) {
      const engine::StoredTable table{
          .name = text(tables.get(), 0),
          .description_json = text(tables.get(), 2),
          .ttl_attribute = text(tables.get(), 1),
      };
      check_row(tables.get(), 3, {table.name, table.ttl_attribute, table.description_json}, "tables");
      loader.on_table(table);
      Statement items(*this, "SELECT key, item, checksum FROM items WHERE tbl = ?");
      bind(items.get(), 1, table.name);
      while (step_row(items.get(), "reading items")) {
        const std::string item = text(items.get(), 1);
        check_row(items.get(), 2, {table.name, bytes(items.get(), 0), item}, "items");
        loader.on_item(table.name, item);
        ++owned_items;
      }
    }
    check_all_owned("items", owned_items, "its tables");
    Statement streams(*this, "SELECT arn, state, checksum FROM streams ORDER BY arn");
    std::int64_t owned_records = 0;
    while (step_row(streams.get(), "reading streams")) {
      const engine::StoredStream stream{.arn = text(streams.get(), 0), .description_json = text(streams.get(), 1)};
      check_row(streams.get(), 2, {stream.arn, stream.description_json}, "streams");
      loader.on_stream(stream);
      Statement records(*this, "SELECT seq, record, checksum FROM records WHERE arn = ? ORDER BY seq");
      bind(records.get(), 1, stream.arn);
      while (step_row(records.get(), "reading stream records")) {
        const std::string record = text(records.get(), 1);
        check_row(records.get(), 2, {stream.arn, bytes(records.get(), 0), record}, "records");
        loader.on_stream_record(stream.arn, record);
        ++owned_records;
      }
    }
    check_all_owned("records", owned_records, "its streams");
    Statement tokens(*this, "SELECT token, written_at, request, response, checksum FROM tokens ORDER BY written_at");
    while (step_row(tokens.get(), "reading tokens")) {
      const std::string token = text(tokens.get(), 0);
      const std::string request = text(tokens.get(), 2);
      const std::string response = text(tokens.get(), 3);
      const std::int64_t written_at = sqlite3_column_int64(tokens.get(), 1);
      check_row(tokens.get(), 4, {token, std::to_string(written_at), request, response}, "tokens");
      loader.on_token(engine::StoredToken{
          .token = token, .request_json = request, .response_json = response, .written_at_ms = written_at});
    }
  }

  // Refuses a row whose checksum (column `checksum_column` of the current row) does not
  // match `columns`.
  void check_row(sqlite3_stmt* statement, int checksum_column, std::initializer_list<std::string_view> columns,
                 std::string_view table) const {
    if (!verify_checksums || (sqlite3_column_type(statement, checksum_column) == SQLITE_INTEGER &&
                              sqlite3_column_int64(statement, checksum_column) == std::int64_t{entry_checksum(columns)})) {
      return;
    }
    throw Error(std::string(error_code::store_error),
                "SQLite store " + path_ + ": the database is damaged: a row of its " + std::string(table) +
                    " table does not match its checksum",
                500);
  }

  // Refuses a table holding more rows than the load read (`owned`).
  void check_all_owned(std::string_view table, std::int64_t owned, std::string_view owners) {
    const std::string sql = "SELECT COUNT(*) FROM " + std::string(table);
    Statement count(*this, sql.c_str());
    if (!step_row(count.get(), "counting rows")) fail("counting rows");
    const std::int64_t rows = sqlite3_column_int64(count.get(), 0);
    if (rows == owned) return;
    throw Error(std::string(error_code::store_error),
                "SQLite store " + path_ + ": the database is damaged: its " + std::string(table) + " table holds " +
                    std::to_string(rows) + " rows, but " + std::to_string(owned) + " belong to " + std::string(owners),
                500);
  }

  // Creates the tables a new store needs, or brings a store of an earlier format to this
  // one (store_internal.hpp): a table without checksums gets the column, and each of its rows
  // the checksum of what it holds. Refuses a later format.
  void create_or_upgrade() {
    std::int64_t format = 0;
    {
      Statement version(*this, "PRAGMA user_version");
      if (!step_row(version.get(), "reading the store's format")) fail("reading the store's format");
      format = sqlite3_column_int64(version.get(), 0);
    }
    if (format > store_format) {
      throw Error(std::string(error_code::store_error),
                  "SQLite store " + path_ + ": written in store format " + std::to_string(format) +
                      " by a later version of dynamo; this one reads formats up to " + std::to_string(store_format),
                  500);
    }
    for (const TableLayout& layout : layouts) {
      exec(layout.create);
      if (!has_checksums(layout.name)) add_checksums(layout);
    }
    exec("CREATE INDEX IF NOT EXISTS tokens_by_time ON tokens(written_at)");
    if (format != store_format) exec(("PRAGMA user_version = " + std::to_string(store_format)).c_str());
  }

  bool has_checksums(const char* table) {
    Statement columns(*this, "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = 'checksum'");
    if (sqlite3_bind_text(columns.get(), 1, table, -1, SQLITE_STATIC) != SQLITE_OK) fail("binding");
    if (!step_row(columns.get(), "reading a table's columns")) fail("reading a table's columns");
    return sqlite3_column_int64(columns.get(), 0) == 1;
  }

  // Adds the checksum column to a table of format 1 and fills it in.
  void add_checksums(const TableLayout& layout) {
    const std::string table = layout.name;
    exec(("ALTER TABLE " + table + " ADD COLUMN checksum INTEGER NOT NULL DEFAULT 0").c_str());
    const auto key_columns = static_cast<std::size_t>(layout.key_columns);
    std::vector<std::vector<std::string>> rows;  // the key columns, then the summed ones
    {
      const std::string select = "SELECT " + std::string(layout.key) + ", " + layout.summed + " FROM " + table;
      Statement all(*this, select.c_str());
      const int width = sqlite3_column_count(all.get());
      while (step_row(all.get(), "adding checksums")) {
        auto& row = rows.emplace_back();
        for (int column = 0; column < width; ++column) row.push_back(text(all.get(), column));
      }
    }
    const std::string update = "UPDATE " + table + " SET checksum = ? WHERE " + layout.key_match;
    Statement statement(*this, update.c_str());
    for (const auto& row : rows) {
      sqlite3_reset(statement.get());
      const std::vector<std::string_view> summed(row.begin() + static_cast<std::ptrdiff_t>(key_columns), row.end());
      bind_int(statement.get(), 1, entry_checksum(summed));
      for (std::size_t column = 0; column < key_columns; ++column) {
        bind(statement.get(), static_cast<int>(column) + 2, row[column]);
      }
      step_done(statement.get(), "adding checksums");
    }
  }

  class Statement {
   public:
    Statement(SqliteStore& store, const char* sql) : statement_(store.prepare(sql)) {}
    ~Statement() { sqlite3_finalize(statement_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    sqlite3_stmt* get() const noexcept { return statement_; }

   private:
    sqlite3_stmt* statement_;
  };

  // The item changes and stream records of one batch, inside a transaction.
  void write_changes(std::span<const engine::StoredItemChange> changes,
                     std::span<const engine::StoredStreamRecord> records) {
    for (const auto& change : changes) {
      sqlite3_stmt* statement = change.item ? put_item_ : delete_item_;
      sqlite3_reset(statement);
      if (change.item) {
        bind_row(statement, {change.table, change.key, *change.item});
      } else {
        bind(statement, 1, change.table);
        bind(statement, 2, change.key);
      }
      step_done(statement, change.item ? "writing an item" : "deleting an item");
    }
    for (const auto& record : records) {
      sqlite3_reset(put_record_);
      bind_row(put_record_, {record.stream_arn, record.sequence_number, record.record_json});
      step_done(put_record_, "writing a stream record");
    }
  }

  // Runs `body` in one transaction: all of it is written, or none.
  template <class Body>
  void in_transaction(Body&& body) {
    exec("BEGIN");
    try {
      body();
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  [[noreturn]] void fail(std::string_view what) const {
    throw Error(std::string(error_code::store_error), "SQLite store " + path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_), 500);
  }
  // Finalizes the prepared statements and closes the connection.
  void close() noexcept {
    sqlite3_finalize(put_item_);
    sqlite3_finalize(delete_item_);
    sqlite3_finalize(put_record_);
    sqlite3_finalize(put_token_);
    sqlite3_close(db_);
  }

  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) fail(sql);
    return statement;
  }
  void bind(sqlite3_stmt* statement, int index, std::string_view bytes) {
    if (sqlite3_bind_blob64(statement, index, bytes.data(), bytes.size(), SQLITE_STATIC) != SQLITE_OK) fail("binding");
  }
  void bind_int(sqlite3_stmt* statement, int index, std::int64_t value) {
    if (sqlite3_bind_int64(statement, index, value) != SQLITE_OK) fail("binding");
  }
  // Binds `columns` to parameters 1..n and their checksum to parameter n + 1.
  void bind_row(sqlite3_stmt* statement, std::initializer_list<std::string_view> columns) {
    int index = 1;
    for (const std::string_view column : columns) bind(statement, index++, column);
    bind_int(statement, index, entry_checksum(columns));
  }
  void step_done(sqlite3_stmt* statement, std::string_view what) {
    if (sqlite3_step(statement) != SQLITE_DONE) fail(what);
  }
  bool step_row(sqlite3_stmt* statement, std::string_view what) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(what);
    return false;
  }
  static std::string text(sqlite3_stmt* statement, int column) { return std::string(bytes(statement, column)); }
  // The same without a copy: valid until the statement steps again.
  static std::string_view bytes(sqlite3_stmt* statement, int column) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, column));
    return {data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, column))};
  }

  std::string path_;
  DirectoryLock lock_;
  PendingDeletions pending_deletions_;
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  sqlite3_stmt* put_item_ = nullptr;
  sqlite3_stmt* delete_item_ = nullptr;
  sqlite3_stmt* put_record_ = nullptr;  // prepared once: one per stream record of every write
  sqlite3_stmt* put_token_ = nullptr;
};

}  // namespace

std::shared_ptr<engine::DurableStore> open_sqlite(const std::string& path, const StoreOptions& options) {
  return std::make_shared<SqliteStore>(path, options);
}

}  // namespace dynamo::store
