// Persistent stores for the embedded engine: where Connection::embedded("path") and
// dynamo-server --data-dir keep their data.
//
//   auto store = dynamo::store::open("/var/lib/myapp/dynamo");   // LMDB, created if missing
//   dynamo::engine::Engine engine({.store = store});              // state loaded from it
//
// The engine keeps all tables in memory and writes every acknowledged change through the
// store before answering (engine/durable_store.hpp states the contract). Two stores exist:
//
//   LMDB   (the default) one memory-mapped B+tree file; each change is one write
//          transaction. Chosen by measurement: docs/performance.md, "Persistent store".
//   SQLite one database file in WAL mode; kept as the alternative the measurement was
//          made against, and for users who want to inspect their data with sqlite3.
//
// Durability: with Durability::process (the default) an acknowledged write survives the
// process being killed at any moment (it is in the operating system's page cache, which
// outlives the process), but not a power failure or kernel crash. Durability::power syncs
// every commit to the disk (fsync) and survives those too, at the cost of a disk flush per
// write. tests/store/crash_test.cpp proves the process-crash guarantee with SIGKILL.
#pragma once

#include <memory>
#include <string>

#include "dynamo/engine/durable_store.hpp"

namespace dynamo::store {

enum class Durability {
  process,  // survives the process dying (SIGKILL, crash); the default
  power,    // also survives power loss: fsync at every commit
};

enum class Kind { lmdb, sqlite };

struct StoreOptions {
  Kind kind{Kind::lmdb};
  Durability durability{Durability::process};
  // LMDB's map size: the most the database may grow to. Address space only (the file
  // grows as data is written), so the default is generous.
  std::size_t lmdb_map_size{std::size_t{64} << 30};
};

// Opens (creating when missing) the store in directory `path`. Throws dynamo::Error with
// code "StoreError" naming the path and the library's reason when it cannot, e.g. when
// another process holds it open for writing.
[[nodiscard]] std::shared_ptr<engine::DurableStore> open(const std::string& path, const StoreOptions& options = {});

}  // namespace dynamo::store
