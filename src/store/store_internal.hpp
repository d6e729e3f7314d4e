// Internal: pieces shared by the store implementations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "dynamo/error.hpp"
#include "dynamo/log.hpp"
#include "dynamo/store/store.hpp"

namespace dynamo::store {

// The layout of stored entries, recorded in the store itself (LMDB: the "format" entry of
// its meta database; SQLite: PRAGMA user_version):
//   1  entries as the engine gives them;
//   2  every entry also carries the checksum of its key and value (entry_checksum), checked
//      as the store is loaded: damage inside a value is refused instead of loading.
// A store of format 1 is rewritten as format 2, in one transaction, when it is opened; a
// store of a later format (written by a newer dynamo) is refused.
inline constexpr int store_format = 2;

// The checksum of one stored entry: CRC-32 over its parts (key and value, or a row's
// columns) in order, each preceded by its length as 8 little-endian bytes, so that bytes
// moved from one part into the next change the sum too.
[[nodiscard]] std::uint32_t entry_checksum(std::span<const std::string_view> parts) noexcept;
[[nodiscard]] inline std::uint32_t entry_checksum(std::initializer_list<std::string_view> parts) noexcept {
  return entry_checksum(std::span(parts.begin(), parts.size()));
}

// Whether loading checks the entries' checksums: always, but in a fuzzing build, where a
// damaged entry is taken as it is, so that a fuzzer's damage reaches the loading behind the
// check (a fuzzer cannot forge a checksum by chance).
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
inline constexpr bool verify_checksums = false;
#else
inline constexpr bool verify_checksums = true;
#endif

// The name of a store kind's data file in its directory: "data.mdb" or "dynamo.sqlite3".
[[nodiscard]] std::string_view data_file_name(Kind kind) noexcept;

// Before a store of `kind` opens directory `path` (holding its DirectoryLock): refuses, with
// a StoreError, a directory that holds a store of the other kind (opening it would start an
// empty store beside it), and a directory that held a store whose data file is now missing
// or empty (lost, or cut to nothing: the libraries would take it for a new store and open it
// empty). What the directory held is read from its STORE file (mark_store_directory).
void check_store_directory(const std::string& path, Kind kind);

// After a store of `kind` opened directory `path`: writes the directory's STORE file, naming
// the kind, unless it is there already. A failure to write it is logged, not thrown: the
// store itself is sound.
void mark_store_directory(const std::string& path, Kind kind);

// A table being deleted: its items go a chunk per transaction, and its entry holds a marker
// meanwhile, so that a store opened after a crash finishes the deletion. The LMDB entry's
// value (never a table's: those start with the 4-byte length of the TTL attribute, which
// these bytes would make far too long) and the SQLite row's description (a table's is JSON).
inline constexpr std::string_view lmdb_deleting_marker = "\xff\xff\xff\xff deleting";
inline constexpr std::string_view sqlite_deleting_marker = "deleting";
// Items deleted per transaction while a table is deleted.
inline constexpr int table_delete_chunk = 250;

// Deletions whose mark is written (so the table is deleted, whatever happens next) but whose
// items a failure left behind (disk full, an I/O error). They are finished before a table of
// the same name is stored again, and at the next open.
class PendingDeletions {
 public:
  // Runs finish(name), the deletion of the items and the mark; when it fails, logs why at
  // ERROR and keeps the name for later instead of failing the DeleteTable, which took effect
  // with its mark.
  template <class Finish>
  void finish_or_keep(const std::string& store, std::string_view name, Finish&& finish) {
    try {
      finish(name);
    } catch (const Error& error) {
      {
        const std::lock_guard lock(mutex_);
        names_.emplace(name);
      }
      log(LogLevel::error, "store",
          store + ": table " + std::string(name) + " is deleted, but removing its items failed part-way (" +
              std::string(error.what()) +
              "); they are removed before a table of that name is stored, or at the next open");
    }
  }
  // Before a table named `name` is stored: finishes its earlier deletion if one is pending
  // (throwing, as finish does, when it fails again).
  template <class Finish>
  void finish_before_reuse(std::string_view name, Finish&& finish) {
    {
      const std::lock_guard lock(mutex_);
      if (names_.find(name) == names_.end()) return;
    }
    finish(name);
    const std::lock_guard lock(mutex_);
    names_.erase(names_.find(name));
  }

 private:
  std::mutex mutex_;
  std::set<std::string, std::less<>> names_;
};

// Creates the store directory when missing and holds an exclusive lock on it for the
// lifetime of the store: the engine keeps its state in memory, so two processes writing one
// store would each overwrite what the other wrote. Throws dynamo::Error ("StoreError").
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::string& path);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

// Runs a store's load(): an error the engine's loader raises on a stored entry (JSON it
// cannot read, an item without its key) is rethrown as a StoreError naming the store
// (`store`, e.g. "LMDB store <dir>"), so that the message says where the damage is.
template <class Body>
void loading(const std::string& store, Body&& body) {
  try {
    body();
  } catch (const Error& error) {
    if (error.code() == error_code::store_error) throw;
    throw Error(std::string(error_code::store_error),
                store + ": loading: a stored entry is unreadable (a damaged file?): " + std::string(error.message()), 500);
  }
}

// Checks the two meta pages of the LMDB data file in directory `path`, if there is one,
// before LMDB opens it: LMDB takes the page size they record without checking it (a zero
// ends the process with a division by zero). Throws dynamo::Error ("StoreError") naming the
// store and what is wrong.
void check_lmdb_meta_pages(const std::string& path);

// Checks the structure of an LMDB data file (open as `fd`, pages of `page_size` bytes) before
// LMDB reads any of it: throws dynamo::Error ("StoreError", naming the store at `path` and
// the damage) when the file is cut short or a page the trees reach is not sound
// (lmdb_check.cpp says what is checked).
void check_lmdb_file(const std::string& path, int fd, std::size_t page_size);

std::shared_ptr<engine::DurableStore> open_lmdb(const std::string& path, const StoreOptions& options);
std::shared_ptr<engine::DurableStore> open_sqlite(const std::string& path, const StoreOptions& options);

}  // namespace dynamo::store
