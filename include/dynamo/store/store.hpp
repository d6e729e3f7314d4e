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
//          transaction. Chosen by measurement: docs/performance.md, "Persistent store"
//          (in process durability; in the default, consistent, SQLite writes single items
//          faster, as "Persistent store: durability modes" there shows).
//   SQLite one database file in WAL mode; kept as the alternative the measurement was
//          made against, and for users who want to inspect their data with sqlite3.
//
// Durability: what an acknowledged write survives. Every mode survives the process dying at
// any moment (SIGKILL, a crash, the OOM killer): a commit is in the operating system's page
// cache before the write is acknowledged, and the page cache outlives the process. The
// modes differ in what a crash of the operating system or a power loss does:
//
//   mode                  process killed   OS crash or power loss
//   process               nothing lost     the store may be CORRUPTED (fail to open, or
//                                          hold a mix of old and new pages)
//   consistent (default)  nothing lost     the store stays intact, but the last writes
//                                          acknowledged before the crash may be missing
//   power                 nothing lost     nothing lost
//
//   * process: nothing is flushed to the disk at commit (LMDB MDB_NOSYNC, SQLite
//     synchronous=OFF). Both libraries' documentation says a system crash can then corrupt
//     the database. For data that can be rebuilt (caches, tests).
//   * consistent: LMDB flushes a transaction's data pages at commit and its meta page (the
//     pointer to them) at the next commit (MDB_NOMETASYNC): a crash loses at most the last
//     committed write. SQLite appends commits to its write-ahead log and flushes the log
//     before each checkpoint (synchronous=NORMAL): a crash loses at most the writes since
//     the last checkpoint (by default every 1000 pages, about 4 MB of log). Neither can
//     leave a half-written or corrupted store.
//   * power: every commit is flushed (fsync) before the write is acknowledged (LMDB's
//     default, SQLite synchronous=FULL); assumes a disk that keeps what it reported flushed.
//
// Closing a store (destroying the last reference) flushes everything in every mode, so a
// clean shutdown loses nothing later. The price of each mode, measured per PutItem:
// docs/performance.md, "Persistent store: durability modes". tests/store/crash_test.cpp
// proves the process-crash guarantee with SIGKILL; the OS-crash columns are the libraries'
// documented guarantees (lmdb.h, sqlite.org/pragma.html#pragma_synchronous), not tested here.
//
// Failures: a write the store cannot make (disk full, I/O error) throws dynamo::Error
// "StoreError" (HTTP status 500, the message names the directory) and leaves nothing of
// that write in the store; the engine's memory is unchanged too (durable_store.hpp). The
// store keeps working once the cause is gone. LMDB's map (the most its file may grow to)
// is enlarged automatically when full; see StoreOptions::lmdb_map_size.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/engine/durable_store.hpp"
#include "dynamo/store/durability.hpp"

namespace dynamo::store {

enum class Kind { lmdb, sqlite };

struct StoreOptions {
  Kind kind{Kind::lmdb};
  Durability durability{Durability::consistent};
  // LMDB's initial map size: the address space reserved for the database file (the file
  // itself grows as data is written). A write that finds the map full makes the store
  // double it and retry, so this is not a limit on the data; a size the data already
  // exceeds is raised to fit. Reserving costs only address space, so the default is large
  // enough that most stores never grow.
  std::size_t lmdb_map_size{std::size_t{64} << 30};
};

// Opens (creating when missing) the store in directory `path`. Throws dynamo::Error with
// code "StoreError" naming the path and the library's reason when it cannot, e.g. when
// another process holds it open for writing, when its data file is cut short, missing or
// empty, when the directory holds a store of the other kind, or when it was written by a
// later version of dynamo. Damage found later, as the engine loads the store (a page that
// is not what it should be, an entry whose checksum does not match, an entry no table
// owns), is a StoreError naming the path too: every stored entry carries a checksum of its
// key and value, so damage loads as an error, not as other data (docs/reliability.md,
// "Corrupted files"). A store written by an earlier version, without checksums, gets them
// in one transaction the first time it is opened.
//
// The directory holds the data file (data.mdb, or dynamo.sqlite3 with its -wal and -shm
// files), LOCK (held while the store is open) and STORE (the kind of store, written once).
[[nodiscard]] std::shared_ptr<engine::DurableStore> open(const std::string& path, const StoreOptions& options = {});

}  // namespace dynamo::store
