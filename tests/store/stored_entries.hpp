// Test support for tests that write a store's files with LMDB's or SQLite's own library (to
// build a state dynamo would not write, or an older layout): the libraries opened on a store
// directory, and entries with their checksums as the stores write them
// (src/store/store_internal.hpp, store format 2).
#pragma once

#include <gtest/gtest.h>
#include <lmdb.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "store/store_internal.hpp"

namespace dynamo::testing {

// An LMDB value as the store writes it under `key`: `value` and its checksum.
inline std::string lmdb_value(std::string_view key, std::string_view value) {
  const std::uint32_t checksum = store::entry_checksum({key, value});
  std::string stored(value);
  for (int i = 0; i < 4; ++i) stored.push_back(static_cast<char>(checksum >> (8 * i)));
  return stored;
}

// The value of a stored LMDB entry, without its checksum.
inline std::string lmdb_payload(std::string_view stored) { return std::string(stored.substr(0, stored.size() - 4)); }

// Adds the SQL function dynamo_checksum(column, ...) to `db`: a row's checksum, for
// "UPDATE tables SET checksum = dynamo_checksum(name, ttl, description)" after a test has
// rewritten a column. Returns SQLite's result code.
inline int add_checksum_function(sqlite3* db) {
  const auto checksum = [](sqlite3_context* context, int count, sqlite3_value** arguments) {
    std::vector<std::string_view> columns;
    for (int i = 0; i < count; ++i) {
      const auto* bytes = static_cast<const char*>(sqlite3_value_blob(arguments[i]));
      columns.emplace_back(bytes != nullptr ? bytes : "", static_cast<std::size_t>(sqlite3_value_bytes(arguments[i])));
    }
    sqlite3_result_int64(context, store::entry_checksum(columns));
  };
  return sqlite3_create_function(db, "dynamo_checksum", -1, SQLITE_UTF8, nullptr, checksum, nullptr, nullptr);
}

// An LMDB environment opened with the library itself, closed when it goes out of scope.
class RawLmdb {
 public:
  explicit RawLmdb(const std::string& dir) {
    EXPECT_EQ(mdb_env_create(&env_), 0);
    EXPECT_EQ(mdb_env_set_maxdbs(env_, 8), 0);
    EXPECT_EQ(mdb_env_open(env_, dir.c_str(), MDB_NOTLS, 0644), 0);
    EXPECT_EQ(mdb_txn_begin(env_, nullptr, 0, &txn_), 0);
  }
  ~RawLmdb() {
    if (txn_ != nullptr) {
      EXPECT_EQ(mdb_txn_commit(txn_), 0);
    }
    mdb_env_close(env_);
  }
  RawLmdb(const RawLmdb&) = delete;
  RawLmdb& operator=(const RawLmdb&) = delete;

  MDB_dbi database(const char* name) {
    MDB_dbi dbi = 0;
    EXPECT_EQ(mdb_dbi_open(txn_, name, MDB_CREATE, &dbi), 0);
    return dbi;
  }
  std::vector<std::pair<std::string, std::string>> entries(MDB_dbi dbi) {
    std::vector<std::pair<std::string, std::string>> all;
    MDB_cursor* cursor = nullptr;
    EXPECT_EQ(mdb_cursor_open(txn_, dbi, &cursor), 0);
    MDB_val key{};
    MDB_val value{};
    for (int rc = mdb_cursor_get(cursor, &key, &value, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)) {
      all.emplace_back(std::string(static_cast<const char*>(key.mv_data), key.mv_size),
                       std::string(static_cast<const char*>(value.mv_data), value.mv_size));
    }
    mdb_cursor_close(cursor);
    return all;
  }
  void put(MDB_dbi dbi, std::string key, std::string value) {
    MDB_val k{key.size(), key.data()};
    MDB_val v{value.size(), value.data()};
    EXPECT_EQ(mdb_put(txn_, dbi, &k, &v, 0), 0);
  }
  void erase(MDB_dbi dbi, std::string key) {
    MDB_val k{key.size(), key.data()};
    EXPECT_EQ(mdb_del(txn_, dbi, &k, nullptr), 0);
  }

 private:
  MDB_env* env_ = nullptr;
  MDB_txn* txn_ = nullptr;
};

// A SQLite database opened with the library itself, with dynamo_checksum() defined.
class RawSqlite {
 public:
  explicit RawSqlite(const std::string& dir) {
    EXPECT_EQ(sqlite3_open((dir + "/dynamo.sqlite3").c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(add_checksum_function(db_), SQLITE_OK);
  }
  ~RawSqlite() { sqlite3_close(db_); }
  RawSqlite(const RawSqlite&) = delete;
  RawSqlite& operator=(const RawSqlite&) = delete;

  void exec(const std::string& sql) { EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql << ": " << sqlite3_errmsg(db_); }
  std::int64_t number(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(statement), SQLITE_ROW) << sql;
    const std::int64_t value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace dynamo::testing
