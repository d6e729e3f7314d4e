// Internal: pieces shared by the store implementations.
#pragma once

#include <memory>
#include <string>

#include "dynamo/error.hpp"
#include "dynamo/store/store.hpp"

namespace dynamo::store {

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

std::shared_ptr<engine::DurableStore> open_lmdb(const std::string& path, const StoreOptions& options);
std::shared_ptr<engine::DurableStore> open_sqlite(const std::string& path, const StoreOptions& options);

}  // namespace dynamo::store
