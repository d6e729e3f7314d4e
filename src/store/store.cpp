#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/store_internal.hpp"

namespace dynamo::store {

DirectoryLock::DirectoryLock(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) throw Error(std::string(error_code::store_error), "store " + path + ": cannot create the directory: " + error.message(), 500);
  const std::string lock_file = path + "/LOCK";
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(std::string(error_code::store_error), "store " + path + ": cannot open " + lock_file + ": " + std::strerror(errno), 500);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int why = errno;
    ::close(fd_);
    fd_ = -1;
    throw Error(std::string(error_code::store_error),
                "store " + path + " is in use by another process (" + std::string(std::strerror(why)) + ")", 500);
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

std::string_view to_string(Durability durability) noexcept {
  switch (durability) {
    case Durability::process: return "process";
    case Durability::consistent: return "consistent";
    case Durability::power: return "power";
  }
  return "unknown";
}

std::optional<Durability> parse_durability(std::string_view text) noexcept {
  for (const Durability durability : {Durability::process, Durability::consistent, Durability::power}) {
    if (text == to_string(durability)) return durability;
  }
  return std::nullopt;
}

std::shared_ptr<engine::DurableStore> open(const std::string& path, const StoreOptions& options) {
  if (path.empty()) throw Error(std::string(error_code::store_error), "a store needs a directory path", 500);
  switch (options.kind) {
    case Kind::lmdb: return open_lmdb(path, options);
    case Kind::sqlite: return open_sqlite(path, options);
  }
  throw Error(std::string(error_code::store_error), "unknown store kind", 500);
}

}  // namespace dynamo::store
