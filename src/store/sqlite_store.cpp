// The SQLite store: one database file in WAL mode.
//
//   tables(name TEXT PRIMARY KEY, ttl TEXT, description TEXT)
//   items(tbl TEXT, key BLOB, item BLOB, PRIMARY KEY (tbl, key)) WITHOUT ROWID
//   streams(arn TEXT PRIMARY KEY, state TEXT)
//   records(arn TEXT, seq TEXT, record BLOB, PRIMARY KEY (arn, seq)) WITHOUT ROWID
//   tokens(token TEXT PRIMARY KEY, written_at INTEGER, request BLOB, response BLOB),
//     indexed by written_at for trimming the expired ones
//
// Every table is created when missing, so a database written before one was added opens.
//
// One connection serialised by a mutex: the engine already serialises writes per table,
// and SQLite allows one writer at a time anyway.
#include <sqlite3.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/store_internal.hpp"

namespace dynamo::store {
namespace {

constexpr std::string_view deleting_marker = sqlite_deleting_marker;
constexpr int delete_chunk = table_delete_chunk;

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
      exec("CREATE TABLE IF NOT EXISTS tables(name TEXT PRIMARY KEY, ttl TEXT NOT NULL, description TEXT NOT NULL)");
      exec("CREATE TABLE IF NOT EXISTS items(tbl TEXT NOT NULL, key BLOB NOT NULL, item BLOB NOT NULL, "
           "PRIMARY KEY (tbl, key)) WITHOUT ROWID");
      exec("CREATE TABLE IF NOT EXISTS streams(arn TEXT PRIMARY KEY, state TEXT NOT NULL)");
      exec("CREATE TABLE IF NOT EXISTS records(arn TEXT NOT NULL, seq TEXT NOT NULL, record BLOB NOT NULL, "
           "PRIMARY KEY (arn, seq)) WITHOUT ROWID");
      exec("CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY, written_at INTEGER NOT NULL, "
           "request BLOB NOT NULL, response BLOB NOT NULL)");
      exec("CREATE INDEX IF NOT EXISTS tokens_by_time ON tokens(written_at)");
      put_item_ = prepare("INSERT OR REPLACE INTO items(tbl, key, item) VALUES (?, ?, ?)");
      delete_item_ = prepare("DELETE FROM items WHERE tbl = ? AND key = ?");
      put_record_ = prepare("INSERT OR REPLACE INTO records(arn, seq, record) VALUES (?, ?, ?)");
      put_token_ = prepare("INSERT OR REPLACE INTO tokens(token, written_at, request, response) VALUES (?, ?, ?, ?)");
      finish_interrupted_deletions();
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
    Statement statement(*this, "INSERT OR REPLACE INTO tables(name, ttl, description) VALUES (?, ?, ?)");
    bind(statement.get(), 1, table.name);
    bind(statement.get(), 2, table.ttl_attribute);
    bind(statement.get(), 3, table.description_json);
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
      Statement mark(*this, "INSERT OR REPLACE INTO tables(name, ttl, description) VALUES (?, '', ?)");
      bind(mark.get(), 1, name);
      bind(mark.get(), 2, deleting_marker);
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
    Statement statement(*this, "INSERT OR REPLACE INTO streams(arn, state) VALUES (?, ?)");
    bind(statement.get(), 1, stream.arn);
    bind(statement.get(), 2, stream.description_json);
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

  void load_entries(Loader& loader) {
    std::lock_guard guard(mutex_);
    Statement tables(*this,
                     "SELECT name, ttl, description FROM tables WHERE CAST(description AS BLOB) <> ? ORDER BY name");
    bind(tables.get(), 1, deleting_marker);
    while (step_row(tables.get(), "reading tables")) {
      const engine::StoredTable table{
          .name = text(tables.get(), 0),
          .description_json = text(tables.get(), 2),
          .ttl_attribute = text(tables.get(), 1),
      };
      loader.on_table(table);
      Statement items(*this, "SELECT item FROM items WHERE tbl = ?");
      bind(items.get(), 1, table.name);
      while (step_row(items.get(), "reading items")) loader.on_item(table.name, text(items.get(), 0));
    }
    Statement streams(*this, "SELECT arn, state FROM streams ORDER BY arn");
    while (step_row(streams.get(), "reading streams")) {
      const engine::StoredStream stream{.arn = text(streams.get(), 0), .description_json = text(streams.get(), 1)};
      loader.on_stream(stream);
      Statement records(*this, "SELECT record FROM records WHERE arn = ? ORDER BY seq");
      bind(records.get(), 1, stream.arn);
      while (step_row(records.get(), "reading stream records")) loader.on_stream_record(stream.arn, text(records.get(), 0));
    }
    Statement tokens(*this, "SELECT token, written_at, request, response FROM tokens ORDER BY written_at");
    while (step_row(tokens.get(), "reading tokens")) {
      const std::string token = text(tokens.get(), 0);
      const std::string request = text(tokens.get(), 2);
      const std::string response = text(tokens.get(), 3);
      loader.on_token(engine::StoredToken{.token = token,
                                          .request_json = request,
                                          .response_json = response,
                                          .written_at_ms = sqlite3_column_int64(tokens.get(), 1)});
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
      bind(statement, 1, change.table);
      bind(statement, 2, change.key);
      if (change.item) bind(statement, 3, *change.item);
      step_done(statement, change.item ? "writing an item" : "deleting an item");
    }
    for (const auto& record : records) {
      sqlite3_reset(put_record_);
      bind(put_record_, 1, record.stream_arn);
      bind(put_record_, 2, record.sequence_number);
      bind(put_record_, 3, record.record_json);
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
  void step_done(sqlite3_stmt* statement, std::string_view what) {
    if (sqlite3_step(statement) != SQLITE_DONE) fail(what);
  }
  bool step_row(sqlite3_stmt* statement, std::string_view what) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(what);
    return false;
  }
  static std::string text(sqlite3_stmt* statement, int column) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, column));
    return std::string(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
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
